import Foundation
import LibPQ
import Testing
@testable import XuequStore
import XuequTestSupport

@Suite("Migrations")
struct MigratorTests {
    @Test("a fresh database gets every migration; a second run applies nothing")
    func freshThenRepeat() throws {
        let db = try TestDatabase.create()
        let conn = try db.connect()
        let migrator = try Migrator(directory: MigratedDatabase.migrationDirectory)
        #expect(throws: StoreError.self) { try migrator.ensureCurrent(on: conn) }
        let first = try migrator.migrate(on: conn)
        #expect(first.map(\.fileName) == migrator.files.map(\.fileName))
        #expect(first.first?.fileName == "0001_foundation.sql")
        let second = try migrator.migrate(on: conn)
        #expect(second.isEmpty)
        try migrator.ensureCurrent(on: conn)
        let ledger = try conn.query("SELECT count(*), min(length(checksum)) FROM schema_migration")[0]
        #expect(try ledger.decode(Int.self, at: 0) == migrator.files.count)
        #expect(try ledger.decode(Int.self, at: 1) == 64)
        let states = try migrator.status(on: conn)
        #expect(states.allSatisfy { $0.state == .applied })
    }

    @Test("the checksum computed here is the server's sha256() of every migration file, and the standard vectors")
    func checksumMatchesServer() throws {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let db = try TestDatabase.create()
        let conn = try db.connect()
        let migrator = try Migrator(directory: MigratedDatabase.migrationDirectory)
        // lengths around the 55/56/64-byte padding edges, Chinese text, and the real files
        var texts = (50...130).map { String(repeating: "学", count: $0 / 3) + String(repeating: "x", count: $0 % 3) }
        texts += migrator.files.map(\.sql)
        let server = try conn.query("SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex') FROM unnest($1::text[]) WITH ORDINALITY u (t, n) ORDER BY n",
                                    [texts]).map { try $0.decode(String.self, at: 0) }
        #expect(server == texts.map(SHA256.hex))
    }

    @Test("dry run lists pending migrations and changes nothing")
    func dryRun() throws {
        let db = try TestDatabase.create()
        let conn = try db.connect()
        let migrator = try Migrator(directory: MigratedDatabase.migrationDirectory)
        let pending = try migrator.migrate(on: conn, dryRun: true)
        #expect(pending.count == migrator.files.count)
        let ledger = try conn.query("SELECT to_regclass('schema_migration') IS NULL AND to_regclass('staff') IS NULL")[0]
        #expect(try ledger.decode(Bool.self, at: 0))
    }

    @Test("a changed applied file is refused by name")
    func changedFileRefused() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        var files = try MigratedDatabase.migrationDirectory.files()
        files[0] = MigrationFile(version: files[0].version, fileName: files[0].fileName, sql: files[0].sql + "\n-- edited\n")
        let migrator = Migrator(files: files)
        do {
            try migrator.migrate(on: conn)
            Issue.record("a changed migration was accepted")
        } catch let error as StoreError {
            #expect(error.description.contains("0001_foundation.sql"))
            #expect(error.description.contains("changed"))
        }
        #expect(try migrator.status(on: conn)[0].state == .changed)
        #expect(throws: StoreError.self) { try migrator.ensureCurrent(on: conn) }
    }

    @Test("a new migration is pending until applied, and commands are told to migrate")
    func behindSchema() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        var files = try MigratedDatabase.migrationDirectory.files()
        files.append(MigrationFile(version: 9999, fileName: "9999_extra.sql", sql: "CREATE TABLE extra_for_test (id int);"))
        let migrator = Migrator(files: files)
        do {
            try migrator.ensureCurrent(on: conn)
            Issue.record("a behind schema passed the check")
        } catch let error as StoreError {
            #expect(error.description.contains("9999_extra.sql"))
            #expect(error.description.contains("xuequ db migrate"))
        }
        #expect(try migrator.migrate(on: conn).map(\.version) == [9999])
        try migrator.ensureCurrent(on: conn)
    }

    @Test("a failing migration rolls back entirely and is not recorded")
    func failingMigrationRollsBack() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        var files = try MigratedDatabase.migrationDirectory.files()
        files.append(MigrationFile(version: 9998, fileName: "9998_broken.sql",
                                   sql: "CREATE TABLE half_done (id int); SELECT 1/0;"))
        #expect(throws: PGError.self) { try Migrator(files: files).migrate(on: conn) }
        let row = try conn.query("SELECT to_regclass('half_done') IS NULL, (SELECT count(*) FROM schema_migration WHERE version = 9998)")[0]
        #expect(try row.decode(Bool.self, at: 0))
        #expect(try row.decode(Int.self, at: 1) == 0)
    }
}
