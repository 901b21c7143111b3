import Foundation
import Logging

/// Log lines on standard error: plain text (the default, for people), logfmt or JSON (for log
/// collectors). Every line carries the metadata of `LogContext` — the nightly run's id once the
/// run has one — besides its own.
enum LogFormat: String, CaseIterable, Sendable {
    case text, logfmt, json
}

/// Metadata shared by every logger of the process (e.g. `run_id`), set once it is known.
final class LogContext: @unchecked Sendable {
    static let shared = LogContext()
    private let lock = NSLock()
    private var values: Logger.Metadata = [:]

    subscript(key: String) -> Logger.MetadataValue? {
        get { lock.withLock { values[key] } }
        set { lock.withLock { values[key] = newValue } }
    }

    var metadata: Logger.Metadata { lock.withLock { values } }
}

struct StructuredLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = LogContext.shared.metadata
        all.merge(metadata) { _, new in new }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let time = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current,
                                               formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        let message = "\(event.message)"
        let line: String
        switch format {
        case .text:
            let meta = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(time) \(event.level) \(label): \(message)" + (meta.isEmpty ? "" : " " + meta)
        case .logfmt:
            var fields = [("ts", time), ("level", "\(event.level)"), ("logger", label), ("msg", message)]
            fields += all.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
            line = fields.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            var object: [String: String] = ["ts": time, "level": "\(event.level)", "logger": label, "msg": message]
            for (k, v) in all { object[k] = "\(v)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A logfmt value: bare when it is a plain token, else quoted with `"` and `\` escaped.
    static func logfmtValue(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value != 0x7F }
        if plain { return s }
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}

/// Where `printError` sends errors when the logs are structured (set by the nightly command).
final class ErrorLog: @unchecked Sendable {
    static let shared = ErrorLog()
    private let lock = NSLock()
    private var value: Logger?
    var logger: Logger? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
