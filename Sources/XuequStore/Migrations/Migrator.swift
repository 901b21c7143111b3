import Foundation
import LibPQ
import Logging

/// Applies numbered migrations, each in its own transaction, and records them with a checksum in
/// the `schema_migration` ledger. A changed applied file is refused by name.
public struct Migrator {
    public let files: [MigrationFile]
    let logger: Logger

    public init(files: [MigrationFile], logger: Logger = Logger(label: "xuequ.migrate")) {
        self.files = files
        self.logger = logger
    }

    public init(directory: MigrationDirectory, logger: Logger = Logger(label: "xuequ.migrate")) throws {
        self.init(files: try directory.files(), logger: logger)
    }

    /// State of one migration in the database.
    public enum State: String, Sendable {
        case applied, pending, changed
        /// Recorded in the database but no file has that number (a newer build applied it).
        case unknown
    }

    public struct Status: Sendable {
        public let version: Int
        public let fileName: String
        public let state: State
        public let appliedAt: Date?
        public let appliedBy: String?
    }

    static let ledgerSQL = """
        CREATE TABLE schema_migration (
            version     integer PRIMARY KEY,
            file_name   text NOT NULL,
            checksum    text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now(),
            applied_by  name NOT NULL DEFAULT current_user,
            duration_ms integer NOT NULL
        )
        """

    /// SHA-256 of the file text (UTF-8), as hex: what the ledger records, computed here (the same
    /// digest as the server's `sha256()`, which earlier versions used).
    static func checksum(_ file: MigrationFile) -> String {
        SHA256.hex(file.sql)
    }

    /// The state of every migration, file by file, plus ledger rows with no file.
    public func status(on connection: Connection) throws -> [Status] {
        let exists = try connection.query("SELECT to_regclass('schema_migration') IS NOT NULL", name: "ledger exists")
        var applied: [Int: (name: String, checksum: String, at: Date, by: String)] = [:]
        if try exists[0].decode(Bool.self, at: 0) {
            for row in try connection.query("SELECT version, file_name, checksum, applied_at, applied_by::text FROM schema_migration", name: "ledger") {
                applied[try row.decode(Int.self, at: 0)] = (try row.decode(String.self, at: 1), try row.decode(String.self, at: 2),
                                                            try row.decode(Date.self, at: 3), try row.decode(String.self, at: 4))
            }
        }
        var result: [Status] = []
        for file in files {
            if let rec = applied.removeValue(forKey: file.version) {
                let sum = Self.checksum(file)
                result.append(Status(version: file.version, fileName: file.fileName,
                                     state: sum == rec.checksum && rec.name == file.fileName ? .applied : .changed,
                                     appliedAt: rec.at, appliedBy: rec.by))
            } else {
                result.append(Status(version: file.version, fileName: file.fileName, state: .pending, appliedAt: nil, appliedBy: nil))
            }
        }
        for (version, rec) in applied.sorted(by: { $0.key < $1.key }) {
            result.append(Status(version: version, fileName: rec.name, state: .unknown, appliedAt: rec.at, appliedBy: rec.by))
        }
        return result
    }

    /// Applies every pending migration in order (none with `dryRun`), each in its own transaction,
    /// under a session advisory lock so two hosts migrating at once take turns.
    /// Returns the migrations that were (or, with `dryRun`, would be) applied.
    @discardableResult
    public func migrate(on connection: Connection, dryRun: Bool = false) throws -> [MigrationFile] {
        try connection.query("SELECT pg_advisory_lock(hashtext('xuequ.migrate'))", name: "migration lock")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(hashtext('xuequ.migrate'))", name: "migration unlock") }
        let hasLedger = try connection.query("SELECT to_regclass('schema_migration') IS NOT NULL", name: "ledger exists")[0].decode(Bool.self, at: 0)
        if !dryRun && !hasLedger { try connection.execute(Self.ledgerSQL, name: "create ledger") }
        let states = try status(on: connection)
        if let changed = states.first(where: { $0.state == .changed }) {
            throw StoreError.schema("migration \(changed.fileName) was changed after it was applied; restore the applied version and add a new migration instead")
        }
        let pending = files.filter { file in states.contains { $0.version == file.version && $0.state == .pending } }
        if let newest = states.filter({ $0.state == .applied || $0.state == .unknown }).map(\.version).max(),
           let early = pending.first(where: { $0.version < newest }) {
            throw StoreError.schema("migration \(early.fileName) is older than the newest applied one (\(newest)); renumber it after \(newest)")
        }
        if dryRun { return pending }
        for file in pending {
            let started = Date()
            try connection.transaction { conn in
                try conn.execute(file.sql, name: file.fileName)
                let ms = Int(Date().timeIntervalSince(started) * 1000)
                try conn.query("INSERT INTO schema_migration (version, file_name, checksum, duration_ms) VALUES ($1, $2, $3, $4)",
                               [file.version, file.fileName, Self.checksum(file), ms], name: "record migration")
            }
            logger.info("applied migration", metadata: ["file": "\(file.fileName)"])
        }
        return pending
    }

    /// Throws unless every migration file is applied unchanged: other commands call this first.
    public func ensureCurrent(on connection: Connection) throws {
        let states = try status(on: connection)
        if let changed = states.first(where: { $0.state == .changed }) {
            throw StoreError.schema("migration \(changed.fileName) differs from the one applied to this database; run `xuequ db status`")
        }
        if let unknown = states.first(where: { $0.state == .unknown }) {
            throw StoreError.schema("the database has migration \(unknown.fileName), which this xuequ does not know; it was made by a newer version: upgrade xuequ")
        }
        let pending = states.filter { $0.state == .pending }
        if !pending.isEmpty {
            let names = pending.map(\.fileName).joined(separator: ", ")
            throw StoreError.schema("the database schema is behind (\(pending.count) migration(s) pending: \(names)); run `xuequ db migrate`")
        }
    }
}
