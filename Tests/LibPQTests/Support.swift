import Foundation
import LibPQ
import Logging
import XuequTestSupport

/// Runs `body` with a connection to a fresh, private database, dropped afterwards.
func withDatabase(logger: Logger? = nil, _ body: (Connection, TestDatabase) throws -> Void) throws {
    let db = try TestDatabase.create()
    defer { try? db.drop() }
    let connection: Connection
    if let logger {
        connection = try Connection(conninfo: db.conninfo, logger: logger)
    } else {
        connection = try db.connect()
    }
    defer { connection.close() }
    try body(connection, db)
}

/// Runs `body` with a connection to a fresh, private database.
func withConnection(_ body: (Connection) throws -> Void) throws {
    try withDatabase { connection, _ in try body(connection) }
}

/// One recorded log message.
struct RecordedLog: Sendable {
    var level: Logger.Level
    var message: String
    var metadata: Logger.Metadata
}

/// Collects log messages in memory (shared by all copies of the handler).
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [RecordedLog] = []

    func append(_ entry: RecordedLog) {
        lock.lock()
        defer { lock.unlock() }
        entries.append(entry)
    }

    var logs: [RecordedLog] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    /// A logger (at `.trace`) whose messages land here; LoggingSystem is not touched.
    func logger() -> Logger {
        Logger(label: "test.recorder", factory: { _ in RecordingLogHandler(recorder: self) })
    }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.append(RecordedLog(
            level: event.level, message: event.message.description,
            metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
