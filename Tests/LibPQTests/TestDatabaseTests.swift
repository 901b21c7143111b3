import Foundation
import LibPQ
import Testing
import XuequTestSupport

@Suite("TestDatabase: private databases and templates")
struct TestDatabaseTests {
    @Test func databasesAreUniqueAndDroppedWhenReleased() throws {
        var names: [String] = []
        do {
            let a = try TestDatabase.create()
            let b = try TestDatabase.create()
            names = [a.name, b.name]
            #expect(a.name != b.name)
            #expect(a.name.hasPrefix("xqt_\(getpid())_"))
            let c = try a.connect()
            #expect(try c.query("SELECT current_database()").scalar(String.self) == a.name)
            c.close()
            try b.drop()
            try b.drop()
        }
        let admin = try Connection(conninfo: try TestPostgres.adminConninfo())
        defer { admin.close() }
        #expect(try admin.query("SELECT count(*) FROM pg_database WHERE datname = ANY($1)", [names]).scalar(Int.self) == 0)
    }

    @Test func templateIsPreparedOnceAndCloned() throws {
        let template = "xqt_tpl_libpq_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try Connection(conninfo: try TestPostgres.adminConninfo())
        defer {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(admin.escapeIdentifier(template)) WITH (FORCE)")
            admin.close()
        }
        var preparations = 0
        let prepare: (Connection) throws -> Void = { c in
            preparations += 1
            try c.execute("CREATE TABLE seed (x int); INSERT INTO seed VALUES (1), (2), (3);")
        }
        let first = try TestDatabase.create(template: template, prepareTemplate: prepare)
        let second = try TestDatabase.create(template: template, prepareTemplate: prepare)
        #expect(preparations == 1)
        for db in [first, second] {
            let c = try db.connect()
            #expect(try c.query("SELECT sum(x) FROM seed").scalar(Int.self) == 6)
            try c.execute("INSERT INTO seed VALUES (10)")
            c.close()
        }
        #expect(try admin.query("SELECT count(*) FROM pg_database WHERE datname = $1", [template]).scalar(Int.self) == 1)
        #expect(try admin.query("SELECT count(*) FROM pg_database WHERE starts_with(datname, $1)",
                                [template + "_build_"]).scalar(Int.self) == 0)
        try first.drop()
        try second.drop()
    }

    @Test func conninfoNamesTheDatabase() throws {
        let db = try TestDatabase.create()
        defer { try? db.drop() }
        let params = try ConnectionString.parameters(db.conninfo)
        #expect(params.first { $0.key == "dbname" }?.value == db.name)
    }
}
