import Foundation

/// The folder of numbered migrations and how to find it.
///
/// Looked up, in order: `XUEQU_SQL_DIR`; `share/xuequ/sql` beside an installed binary
/// (`PREFIX/bin/xuequ` → `PREFIX/share/xuequ/sql`); `sql/` in a folder above the binary or
/// above the current directory (a source checkout).
public struct MigrationDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// Finds the migrations folder, or throws a `StoreError` saying where it looked.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MigrationDirectory {
        if let dir = environment["XUEQU_SQL_DIR"], !dir.isEmpty {
            let url = URL(fileURLWithPath: dir)
            guard isMigrationFolder(url) else {
                throw StoreError.configuration("XUEQU_SQL_DIR=\(dir) holds no migrations (0001_*.sql)")
            }
            return MigrationDirectory(url: url)
        }
        var starts: [URL] = []
        starts.append(executableURL.deletingLastPathComponent())
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            let installed = start.deletingLastPathComponent().appendingPathComponent("share/xuequ/sql")
            if isMigrationFolder(installed) { return MigrationDirectory(url: installed) }
            var dir = start
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("sql")
                if isMigrationFolder(candidate) { return MigrationDirectory(url: candidate) }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw StoreError.configuration("the migrations folder (sql/0001_*.sql) was not found; set XUEQU_SQL_DIR")
    }

    /// The running binary, even when started through PATH (argv[0] is then just `xuequ`).
    public static var executableURL: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    }

    static func isMigrationFolder(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("0001_foundation.sql").path)
    }

    /// The migration files in version order. Names must be `NNNN_name.sql` with unique numbers.
    public func files() throws -> [MigrationFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".sql") }.sorted()
        var result: [MigrationFile] = []
        var seen: [Int: String] = [:]
        for name in names {
            let prefix = name.prefix { $0.isNumber }
            guard prefix.count == 4, name.dropFirst(4).first == "_", let version = Int(prefix) else {
                throw StoreError.configuration("\(url.path)/\(name): a migration file must be named NNNN_name.sql")
            }
            if let other = seen[version] {
                throw StoreError.configuration("\(name) and \(other) share the number \(prefix)")
            }
            seen[version] = name
            let data = try Data(contentsOf: url.appendingPathComponent(name))
            guard let sql = String(data: data, encoding: .utf8) else {
                throw StoreError.configuration("\(name) is not UTF-8")
            }
            result.append(MigrationFile(version: version, fileName: name, sql: sql))
        }
        return result
    }
}
