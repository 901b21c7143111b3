import Foundation
import LibPQ
import Testing
import XuequStore
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
