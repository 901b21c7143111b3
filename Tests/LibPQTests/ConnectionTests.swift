import Foundation
import LibPQ
import Logging
import Testing
import XuequTestSupport

@Suite("Connections: session settings, notices, failures")
struct ConnectionTests {
    @Test func sessionIsSetUp() throws {
        try withConnection { c throws in
            #expect(c.isOK)
            #expect(c.serverVersion >= 150000)
            #expect(c.backendPID > 0)
            #expect(try c.query("SELECT pg_backend_pid()").scalar(Int32.self) == c.backendPID)
            #expect(c.parameterStatus("DateStyle") == "ISO, MDY")
            #expect(c.parameterStatus("IntervalStyle") == "iso_8601")
            #expect(c.parameterStatus("client_encoding") == "UTF8")
            #expect(c.parameterStatus("no_such_parameter") == nil)
            #expect(try c.query("SHOW extra_float_digits").scalar(String.self) == "3")
            #expect(try c.query("SELECT interval '1 day 2 hours'").scalar(String.self) == "P1DT2H")
        }
    }

    @Test func closeIsIdempotentAndLaterUseFails() throws {
        let db = try TestDatabase.create()
        defer { try? db.drop() }
        let c = try db.connect()
        c.close()
        c.close()
        #expect(!c.isOK)
        #expect(c.backendPID == 0)
        let error = try #require(throws: PGError.self) { try c.query("SELECT 1") }
        #expect(error.kind == .connection)
    }

    @Test func escapeIdentifierQuotes() throws {
        try withConnection { c throws in
            let name = "we\"ird 表"
            let quoted = c.escapeIdentifier(name)
            #expect(quoted == "\"we\"\"ird 表\"")
            try c.execute("CREATE TABLE \(quoted) (x int)")
            #expect(try c.query("SELECT count(*) FROM pg_class WHERE relname = $1", [name]).scalar(Int.self) == 1)
        }
    }

    @Test func noticesReachTheLogger() throws {
        let recorder = LogRecorder()
        try withDatabase(logger: recorder.logger()) { c, _ in
            try c.execute("""
                DO $$ BEGIN
                    RAISE NOTICE 'hello %', 42;
                    RAISE WARNING 'careful now' USING ERRCODE = '01000', HINT = 'look left';
                    RAISE INFO 'fyi';
                END $$
                """)
        }
        let logs = recorder.logs
        let hello = try #require(logs.first { $0.message == "hello 42" })
        #expect(hello.level == .info)
        #expect(hello.metadata["pg.sqlstate"] == "00000")
        #expect(hello.metadata["pg.severity"] == "NOTICE")
        let careful = try #require(logs.first { $0.message == "careful now" })
        #expect(careful.level == .warning)
        #expect(careful.metadata["pg.sqlstate"] == "01000")
        #expect(careful.metadata["pg.hint"] == "look left")
        let fyi = try #require(logs.first { $0.message == "fyi" })
        #expect(fyi.level == .info)
    }

    @Test(arguments: [
        "host=/nonexistent-xuequ port=1 dbname=x user=x password=hunter2secret",
        "host=/nonexistent-xuequ password = 'hunter2secret' dbname=x",
        "postgresql://x:hunter2secret@/x?host=/nonexistent-xuequ",
        "password=hunter2secret bogus",
        "password=hunter2secret nonsense_option=1",
        "password='hunter2secret",
        "postgresql://x:hunter2secret@[broken",
        "postgresql://x:hunter2%zz@/x?host=/nonexistent-xuequ",
    ])
    func badConninfoDoesNotLeakThePassword(conninfo: String) throws {
        let error = try #require(throws: PGError.self) {
            _ = try Connection(conninfo: conninfo)
        }
        #expect(error.kind == .connection)
        #expect(!error.message.contains("hunter2"))
        #expect(!error.description.contains("hunter2"))
        // either the connection string is echoed with the password masked, or (when libpq cannot
        // parse it) not echoed at all
        #expect(error.message.contains("***") || error.message.hasPrefix("invalid connection string"))
    }

    @Test func shortPasswordsAreMaskedToo() throws {
        let error = try #require(throws: PGError.self) {
            _ = try Connection(conninfo: "host=/nonexistent-xuequ port=1 user=x password=zq")
        }
        #expect(error.message.contains("password=***"))
        #expect(!error.message.contains("zq"))
    }

    @Test func unknownDatabaseIsAConnectionError() throws {
        let admin = try TestPostgres.adminConninfo()
        let conninfo = try ConnectionString.replacing("dbname", with: "xqt_does_not_exist", in: admin) + " password=hunter2secret"
        let error = try #require(throws: PGError.self) { _ = try Connection(conninfo: conninfo) }
        #expect(error.kind == .connection)
        #expect(error.message.contains("xqt_does_not_exist"))
        #expect(!error.message.contains("hunter2"))
    }

    @Test func connectsWithURI() throws {
        try withDatabase { _, db throws in
            let params = Dictionary(try ConnectionString.parameters(db.conninfo), uniquingKeysWith: { $1 })
            var components = URLComponents()
            components.scheme = "postgresql"
            components.user = params["user"]
            components.host = ""
            components.path = "/" + db.name
            var items: [URLQueryItem] = []
            if let host = params["host"] { items.append(URLQueryItem(name: "host", value: host)) }
            if let port = params["port"] { items.append(URLQueryItem(name: "port", value: port)) }
            components.queryItems = items
            let uri = try #require(components.string)
            #expect(uri.hasPrefix("postgresql://"))
            let c = try Connection(conninfo: uri)
            defer { c.close() }
            #expect(try c.query("SELECT current_database()").scalar(String.self) == db.name)
        }
    }

    @Test func connectionStringQuotesValues() throws {
        let formatted = ConnectionString.format([("dbname", "it's a \\ name"), ("host", "/tmp")])
        #expect(formatted == #"dbname='it\'s a \\ name' host='/tmp'"#)
        let parsed = try ConnectionString.parameters(formatted)
        #expect(parsed.first { $0.key == "dbname" }?.value == "it's a \\ name")
        #expect(ConnectionString.redacted("host=x password=s3cr3t") == "host=x password=***")
    }
}

/// Mutates process environment variables, so its tests run one at a time. Every other test
/// passes a complete conninfo (host, port, user, dbname), so they ignore these variables.
@Suite("Empty conninfo reads the PG* environment", .serialized)
struct EnvironmentConninfoTests {
    @Test func emptyConninfoHonoursPGEnvironment() throws {
        try withDatabase { _, db throws in
            let params = Dictionary(try ConnectionString.parameters(db.conninfo), uniquingKeysWith: { $1 })
            let mapping = ["host": "PGHOST", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER"]
            var saved: [String: String?] = [:]
            for (_, variable) in mapping {
                saved[variable] = ProcessInfo.processInfo.environment[variable]
            }
            defer {
                for (variable, value) in saved {
                    if let value { setenv(variable, value, 1) } else { unsetenv(variable) }
                }
            }
            for (key, variable) in mapping {
                if let value = params[key] { setenv(variable, value, 1) } else { unsetenv(variable) }
            }
            let c = try Connection(conninfo: "")
            defer { c.close() }
            #expect(try c.query("SELECT current_database()").scalar(String.self) == db.name)
            #expect(try c.query("SELECT current_user").scalar(String.self) == params["user"] ?? NSUserName())
        }
    }
}
