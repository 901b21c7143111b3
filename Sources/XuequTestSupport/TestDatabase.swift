import Foundation
import LibPQ

/// A private, uniquely named database on the test cluster, dropped by `drop()` or when released.
///
/// Connections from `connect()` keep their `TestDatabase` alive, so the database is never
/// dropped under an open connection of this process.
public final class TestDatabase {
    /// The database name, `xqt_<pid>_<counter>_<random>`.
    public let name: String
    /// The admin conninfo with `dbname` replaced, as `key='value'` pairs.
    public let conninfo: String
    private let adminConninfo: String
    private var dropped = false

    private static let counter = Locked(0)
    /// Templates known to exist in this process. The lock is held while one is being prepared.
    private static let readyTemplates = Locked<Set<String>>([])

    private init(name: String, conninfo: String, adminConninfo: String) {
        self.name = name
        self.conninfo = conninfo
        self.adminConninfo = adminConninfo
    }

    deinit {
        do {
            try drop()
        } catch {
            FileHandle.standardError.write(Data("warning: could not drop test database \(name): \(error)\n".utf8))
        }
    }

    /// Creates an empty database (a copy of `template1`), or a clone of `template`.
    ///
    /// - Parameters:
    ///   - template: a template database name (at most 48 bytes). If no such database exists yet
    ///     it is created once — per process (under a lock) and across processes (under a
    ///     `pg_advisory_lock`) — and `prepareTemplate` is run on a connection to it. An existing
    ///     template is reused as-is: put a hash of its inputs in its name to invalidate it.
    ///   - prepareTemplate: fills a new template (e.g. runs migrations).
    public static func create(
        template: String? = nil, prepareTemplate: ((Connection) throws -> Void)? = nil
    ) throws -> TestDatabase {
        let admin = try TestPostgres.adminConninfo()
        let n = counter.withLock { value -> Int in
            value += 1
            return value
        }
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let name = "xqt_\(getpid())_\(n)_\(random)"
        let adminConnection = try Connection(conninfo: admin)
        defer { adminConnection.close() }
        if let template {
            try ensureTemplate(template, adminConninfo: admin, admin: adminConnection, prepare: prepareTemplate)
        }
        try createDatabase(name, template: template, admin: adminConnection)
        return TestDatabase(
            name: name,
            conninfo: try ConnectionString.replacing("dbname", with: name, in: admin),
            adminConninfo: admin)
    }

    /// Opens a connection to this database (which it keeps alive).
    public func connect() throws -> Connection {
        let connection = try Connection(conninfo: conninfo)
        connection.keepAlive(self)
        return connection
    }

    /// Drops the database, terminating any connections to it (idempotent).
    public func drop() throws {
        guard !dropped else { return }
        let admin = try Connection(conninfo: adminConninfo)
        defer { admin.close() }
        do {
            try admin.execute("DROP DATABASE \(admin.escapeIdentifier(name)) WITH (FORCE)", name: "drop test database")
        } catch let error as PGError where error.sqlState == "3D000" {
            // Already gone.
        }
        dropped = true
    }

    // MARK: Internals

    private static func createDatabase(_ name: String, template: String?, admin: Connection) throws {
        var sql = "CREATE DATABASE \(admin.escapeIdentifier(name))"
        if let template { sql += " TEMPLATE \(admin.escapeIdentifier(template))" }
        try retryingWhileInUse {
            try admin.execute(sql, name: "create test database")
        }
    }

    /// Retries `body` while the server says a database is still in use (55006): a backend we
    /// just disconnected from a template may take a moment to exit.
    private static func retryingWhileInUse(_ body: () throws -> Void) throws {
        var attempt = 0
        while true {
            do {
                try body()
                return
            } catch let error as PGError where error.sqlState == "55006" && attempt < 50 {
                attempt += 1
                usleep(100_000)
            }
        }
    }

    private static func ensureTemplate(
        _ template: String, adminConninfo: String, admin: Connection, prepare: ((Connection) throws -> Void)?
    ) throws {
        guard template.utf8.count <= 48 else { throw TestPostgresError.templateNameTooLong(template) }
        try readyTemplates.withLock { ready in
            if ready.contains(template) { return }
            let key = stableHash("xuequ test template " + template)
            try admin.query("SELECT pg_advisory_lock($1)", [key], name: "lock template")
            defer { _ = try? admin.query("SELECT pg_advisory_unlock($1)", [key], name: "unlock template") }
            let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template],
                                         name: "find template").count == 1
            if !exists {
                try buildTemplate(template, adminConninfo: adminConninfo, admin: admin, prepare: prepare)
            }
            ready.insert(template)
        }
    }

    /// Builds the template under a temporary name and renames it when complete, so a template
    /// that exists is always fully prepared. Caller holds the advisory lock.
    private static func buildTemplate(
        _ template: String, adminConninfo: String, admin: Connection, prepare: ((Connection) throws -> Void)?
    ) throws {
        let prefix = template + "_build_"
        // Leftovers of a process that died while building (nobody else builds under the lock).
        for row in try admin.query("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix],
                                   name: "find stale template builds") {
            if let stale = row[0] {
                try admin.execute("DROP DATABASE \(admin.escapeIdentifier(stale)) WITH (FORCE)",
                                  name: "drop stale template build")
            }
        }
        let build = prefix + String(getpid())
        try createDatabase(build, template: nil, admin: admin)
        do {
            if let prepare {
                let connection = try Connection(
                    conninfo: try ConnectionString.replacing("dbname", with: build, in: adminConninfo))
                defer { connection.close() }
                try prepare(connection)
            }
            try retryingWhileInUse {
                try admin.execute(
                    "ALTER DATABASE \(admin.escapeIdentifier(build)) RENAME TO \(admin.escapeIdentifier(template))",
                    name: "publish template")
            }
        } catch {
            _ = try? admin.execute("DROP DATABASE \(admin.escapeIdentifier(build)) WITH (FORCE)",
                                   name: "drop failed template build")
            throw error
        }
    }

    /// 64-bit FNV-1a: stable across processes (unlike `Hasher`), for advisory lock keys.
    static func stableHash(_ s: String) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return Int64(bitPattern: h)
    }
}
