import CLibPQ
import Foundation
import Logging

/// One PostgreSQL connection (libpq `PGconn`). Not thread-safe: use it from one thread at a time.
///
/// Every statement is parameterised (`query`) or a fixed script (`execute`); values travel in
/// text format. The session is set up with `DateStyle=ISO, MDY`, `IntervalStyle=iso_8601`,
/// `client_encoding=UTF8` and `extra_float_digits=3`, which the decoders rely on.
public final class Connection {
    private var conn: OpaquePointer?
    /// The libpq handle, for extensions in this module (nil once closed).
    var rawConnection: OpaquePointer? { conn }
    private let noticeSink: NoticeSink
    private var savepointCounter = 0
    private var keptAlive: [AnyObject] = []

    /// The logger for notices (NOTICE/INFO → `.info`, WARNING → `.warning`) and statement traces.
    public let logger: Logger

    /// Connects and prepares the session.
    ///
    /// - Parameter conninfo: `""` (libpq then uses PGHOST, PGPORT, PGDATABASE, PGUSER, PGSERVICE,
    ///   `.pgpass`, ...), a `key=value` string, or a `postgresql://` URI.
    ///   - setup: more session settings (fixed SQL of the caller), sent in the same round trip as
    ///     the standard ones.
    /// - Throws: `PGError` of kind `.connection`; its message never contains the password.
    public init(conninfo: String, logger: Logger = Logger(label: "xuequ.libpq"), setup: String? = nil) throws {
        self.logger = logger
        self.noticeSink = NoticeSink(logger: logger)
        self.conn = PQconnectdb(conninfo)
        guard let conn else {
            throw PGError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let raw = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines()
            guard ConninfoRedaction.parses(conninfo) else {
                // libpq quotes the offending token, which may be part of a password: show neither it
                // nor the connection string
                let reason = raw.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                    .map { $0.offset % 2 == 1 ? "…" : String($0.element) }.joined(separator: "\"")
                throw PGError(kind: .connection, message: "invalid connection string: \(reason)")
            }
            let message = ConninfoRedaction.redact(message: raw, conninfo: conninfo)
            let echoed = ConnectionString.redacted(conninfo)
            throw PGError(kind: .connection, message: "\(message) (conninfo: \"\(echoed)\")")
            // deinit frees the PGconn.
        }
        noticeSink.install(on: conn)
        try execute(
            "SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'iso_8601'; "
                + "SET client_encoding = 'UTF8'; SET extra_float_digits = 3" + (setup.map { "; " + $0 } ?? ""),
            name: "session setup")
        logger.debug("connected", metadata: [
            "pg.backend_pid": "\(backendPID)", "pg.server_version": "\(serverVersion)",
        ])
    }

    deinit {
        close()
    }

    /// Closes the connection (idempotent). Later statements throw `.connection` errors.
    public func close() {
        guard let c = conn else { return }
        conn = nil
        PQfinish(c)
    }

    /// True while the connection is open and healthy.
    public var isOK: Bool {
        guard let conn else { return false }
        return PQstatus(conn) == CONNECTION_OK
    }

    /// The server version as an integer, e.g. 150018 for 15.18; 0 when closed.
    public var serverVersion: Int {
        conn.map { Int(PQserverVersion($0)) } ?? 0
    }

    /// The server process ID serving this connection; 0 when closed.
    public var backendPID: Int32 {
        conn.map { PQbackendPID($0) } ?? 0
    }

    /// A parameter the server reports (e.g. `server_version`, `TimeZone`, `DateStyle`).
    public func parameterStatus(_ name: String) -> String? {
        guard let conn, let p = PQparameterStatus(conn, name) else { return nil }
        return String(cString: p)
    }

    /// Keeps `owner` alive at least as long as this connection (e.g. a test database
    /// that drops itself when released).
    public func keepAlive(_ owner: AnyObject) {
        keptAlive.append(owner)
    }

    /// Quotes an identifier for the rare statement that cannot take it as a parameter
    /// (e.g. `CREATE DATABASE`).
    public func escapeIdentifier(_ s: String) -> String {
        if let conn, let p = PQescapeIdentifier(conn, s, s.utf8.count) {
            defer { PQfreemem(p) }
            return String(cString: p)
        }
        return "\"" + s.replacing("\"", with: "\"\"") + "\""
    }

    /// Quotes a literal for the rare statement that cannot take it as a parameter
    /// (e.g. `ALTER ROLE … PASSWORD`).
    public func escapeLiteral(_ s: String) throws -> String {
        let conn = try open("escape literal")
        guard let p = PQescapeLiteral(conn, s, s.utf8.count) else { throw connectionError(conn, name: "escape literal") }
        defer { PQfreemem(p) }
        return String(cString: p)
    }

    /// The server's password verifier for `password` (SCRAM-SHA-256 unless the server says
    /// otherwise), computed here by libpq (`PQencryptPasswordConn`), so the clear text never
    /// reaches the server or its logs.
    public func encryptPassword(_ password: String, user: String) throws -> String {
        let conn = try open("encrypt password")
        guard let p = PQencryptPasswordConn(conn, password, user, nil) else {
            throw connectionError(conn, name: "encrypt password")
        }
        defer { PQfreemem(p) }
        return String(cString: p)
    }

    // MARK: Statements

    /// Runs one statement with `$1`, `$2`, ... parameters (text format; nil is NULL).
    ///
    /// - Parameter name: a label for errors and logs (not a prepared statement name).
    @discardableResult
    public func query(_ sql: String, _ params: [(any PostgresEncodable)?] = [], name: String? = nil) throws -> QueryResult {
        let conn = try open(name)
        var owned: [UnsafeMutablePointer<CChar>?] = []
        defer { for p in owned { free(p) } }
        for (i, param) in params.enumerated() {
            guard let param, !param.isPostgresNull else {
                owned.append(nil)
                continue
            }
            let text = param.postgresText
            guard !text.utf8.contains(0) else {
                throw PGError(kind: .protocol, message: "parameter $\(i + 1) contains a NUL byte", queryName: name)
            }
            owned.append(strdup(text))
        }
        let values: [UnsafePointer<CChar>?] = owned.map { $0.map { UnsafePointer($0) } }
        logger.trace("query", metadata: ["pg.query": .string(name ?? sql)])
        let result = PQexecParams(conn, sql, Int32(values.count), nil, values, nil, nil, 0)
        return try consume(result, name: name)
    }

    /// Runs a script of one or more statements without parameters (e.g. a migration).
    /// Returns nothing; stops at the first failing statement.
    public func execute(_ sql: String, name: String? = nil) throws {
        let conn = try open(name)
        logger.trace("execute", metadata: ["pg.query": .string(name ?? String(sql.prefix(80)))])
        _ = try consume(PQexec(conn, sql), name: name)
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws (the
    /// original error is rethrown). Inside another transaction it uses a SAVEPOINT instead,
    /// and `isolation` is ignored.
    ///
    /// If a statement failed inside `body` but `body` did not throw, COMMIT turns into a
    /// rollback; this is reported as a `.server` error with SQLSTATE 25P02.
    static func isConnectionLoss(_ error: Error) -> Bool {
        (error as? PGError)?.kind == .connection
    }

    @discardableResult
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted, _ body: (Connection) throws -> T
    ) throws -> T {
        let conn = try open("BEGIN")
        if PQtransactionStatus(conn) == PQTRANS_IDLE {
            try query("BEGIN ISOLATION LEVEL \(isolation.rawValue)", name: "BEGIN")
            let value: T
            do {
                value = try body(self)
            } catch {
                do { try query("ROLLBACK", name: "ROLLBACK") } catch let rollbackError {
                    // with the connection gone the server has rolled the transaction back itself
                    logger.log(level: Self.isConnectionLoss(rollbackError) ? .debug : .warning, "ROLLBACK failed",
                               metadata: ["error": "\(rollbackError)"])
                }
                throw error
            }
            let commit = try query("COMMIT", name: "COMMIT")
            if commit.commandTag == "ROLLBACK" {
                throw PGError(kind: .server,
                              message: "transaction was aborted by an earlier error; COMMIT rolled it back",
                              sqlState: "25P02", queryName: "COMMIT")
            }
            return value
        }
        savepointCounter += 1
        let savepoint = "xq_savepoint_\(savepointCounter)"
        try query("SAVEPOINT \(savepoint)", name: "SAVEPOINT")
        let value: T
        do {
            value = try body(self)
        } catch {
            do {
                try query("ROLLBACK TO SAVEPOINT \(savepoint)", name: "ROLLBACK TO SAVEPOINT")
                try query("RELEASE SAVEPOINT \(savepoint)", name: "RELEASE SAVEPOINT")
            } catch let rollbackError {
                logger.log(level: Self.isConnectionLoss(rollbackError) ? .debug : .warning, "ROLLBACK TO SAVEPOINT failed",
                           metadata: ["error": "\(rollbackError)"])
            }
            throw error
        }
        try query("RELEASE SAVEPOINT \(savepoint)", name: "RELEASE SAVEPOINT")
        return value
    }

    // MARK: COPY

    /// Runs `COPY ... FROM STDIN` and lets `body` write the data; returns the rows the server
    /// reports. If `body` throws, the COPY is aborted (nothing is written) and the error rethrown.
    public func copyIn(_ sql: String, name: String? = nil, _ body: (CopyInWriter) throws -> Void) throws -> Int {
        let conn = try open(name)
        try startCopy(conn, sql, expecting: PGRES_COPY_IN, name: name)
        let writer = CopyInWriter(conn: conn, queryName: name)
        defer { writer.invalidate() }
        do {
            try body(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(conn, "COPY aborted by the client: \(error)")
            _ = try? finishResults(conn, name: name)
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else {
            let message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines()
            _ = try? finishResults(conn, name: name)
            throw PGError(kind: .copy, message: "could not end COPY: \(message)", queryName: name)
        }
        return try finishResults(conn, name: name).affectedRows
    }

    /// Runs `COPY ... TO STDOUT`, handing each chunk (usually one row) to `body`; returns the
    /// rows the server reports. If `body` throws, the rest is read and discarded, then the error
    /// is rethrown.
    public func copyOut(_ sql: String, name: String? = nil, _ body: ([UInt8]) throws -> Void) throws -> Int {
        let conn = try open(name)
        try startCopy(conn, sql, expecting: PGRES_COPY_OUT, name: name)
        var bodyError: (any Error)?
        var copyError: PGError?
        while true {
            var buffer: UnsafeMutablePointer<CChar>? = nil
            let n = PQgetCopyData(conn, &buffer, 0)
            if n > 0, let buffer {
                let bytes = [UInt8](UnsafeRawBufferPointer(start: buffer, count: Int(n)))
                PQfreemem(buffer)
                if bodyError == nil {
                    do { try body(bytes) } catch { bodyError = error }
                }
            } else if n == -1 {
                break
            } else {
                if let buffer { PQfreemem(buffer) }
                copyError = PGError(kind: .copy,
                                    message: String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines(),
                                    queryName: name)
                break
            }
        }
        let result = try finishResults(conn, name: name)
        if let bodyError { throw bodyError }
        if let copyError { throw copyError }
        return result.affectedRows
    }

    // MARK: Internals

    private func open(_ name: String?) throws -> OpaquePointer {
        guard let conn else {
            throw PGError(kind: .connection, message: "connection is closed", queryName: name)
        }
        return conn
    }

    private func startCopy(_ conn: OpaquePointer, _ sql: String, expecting: ExecStatusType, name: String?) throws {
        logger.trace("copy", metadata: ["pg.query": .string(name ?? sql)])
        guard let result = PQexec(conn, sql) else {
            throw connectionError(conn, name: name)
        }
        if PQresultStatus(result) == expecting {
            PGResult.clear(result)
            return
        }
        _ = try consume(result, name: name)
        let wanted = expecting == PGRES_COPY_IN ? "COPY ... FROM STDIN" : "COPY ... TO STDOUT"
        throw PGError(kind: .protocol, message: "statement is not \(wanted)", queryName: name)
    }

    /// Reads results until libpq has none left; returns the last successful one or throws the first error.
    private func finishResults(_ conn: OpaquePointer, name: String?) throws -> QueryResult {
        var firstError: (any Error)?
        var last: QueryResult?
        while let result = PQgetResult(conn) {
            do { last = try consume(result, name: name) } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        guard let last else {
            throw PGError(kind: .protocol, message: "no result from the server", queryName: name)
        }
        return last
    }

    private func connectionError(_ conn: OpaquePointer, name: String?) -> PGError {
        let message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines()
        return PGError(kind: .connection, message: message.isEmpty ? "no result (connection lost?)" : message,
                       queryName: name ?? "statement")
    }

    /// Copies `result` into a `QueryResult` (or an error) and frees it.
    private func consume(_ result: OpaquePointer?, name: String?) throws -> QueryResult {
        guard let conn else { throw PGError(kind: .connection, message: "connection is closed", queryName: name) }
        guard let result else { throw connectionError(conn, name: name) }
        defer { PGResult.clear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            let storage = ResultStorage(result: result, queryName: name)
            let tag = String(cString: PQcmdStatus(result))
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            return QueryResult(storage: storage, affectedRows: affected, commandTag: tag)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            var error = PGError(result: result, connection: conn, queryName: name)
            if error.sqlState == nil && PQstatus(conn) != CONNECTION_OK {
                // lost in the middle of a statement: always named, so readers tell it from a failed open
                error.kind = .connection
                error.queryName = name ?? "statement"
            }
            throw error
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy(conn, status: status)
            throw PGError(kind: .protocol, message: "COPY must be run with copyIn/copyOut", queryName: name)
        default:
            let text = String(cString: PQresStatus(status))
            throw PGError(kind: .protocol, message: "unexpected result status \(text)", queryName: name)
        }
    }

    /// Gets out of an unexpected COPY state so the connection stays usable.
    private func abandonCopy(_ conn: OpaquePointer, status: ExecStatusType) {
        if status == PGRES_COPY_IN {
            _ = PQputCopyEnd(conn, "COPY must be run with copyIn")
        } else {
            var buffer: UnsafeMutablePointer<CChar>? = nil
            while PQgetCopyData(conn, &buffer, 0) > 0 {
                PQfreemem(buffer)
                buffer = nil
            }
        }
        while let r = PQgetResult(conn) {
            let s = PQresultStatus(r)
            PGResult.clear(r)
            if s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH { break }
        }
    }
}
