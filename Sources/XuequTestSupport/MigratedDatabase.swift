import Foundation
import LibPQ
import XuequStore

/// Test databases with the whole schema: each a clone of a template migrated once, named after a
/// hash of the migration files so that a changed migration builds a fresh template.
public enum MigratedDatabase {
    /// The checkout's root, found from this source file.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static var migrationDirectory: MigrationDirectory {
        MigrationDirectory(url: repositoryRoot.appendingPathComponent("sql"))
    }

    /// A new database holding the migrated schema and no data.
    public static func create() throws -> TestDatabase {
        let files = try migrationDirectory.files()
        // FNV-1a over every file: stable across runs, changes with any byte of any migration
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in files {
            for byte in Array(file.fileName.utf8) + Array(file.sql.utf8) {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        let template = "xqt_tmpl_" + String(hash, radix: 16)
        return try TestDatabase.create(template: template) { conn in
            try Migrator(files: files).migrate(on: conn)
        }
    }

    /// The built `xuequ` binary beside the test bundle (or in .build/debug).
    public static var xuequBinary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("xuequ")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("xuequ")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/xuequ")
    }
}
