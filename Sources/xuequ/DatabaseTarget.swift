import Foundation
import LibPQ
import Logging
import XuequStore

/// Where the CLI connects, in order: `--database`, `XUEQU_DATABASE_URL`, libpq's own environment
/// (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSERVICE; libpq also reads ~/.pgpass), the configuration
/// file's `database.url`, and last the project's private cluster (`var/pg/conninfo`, written by
/// `deploy/pg up`).
enum DatabaseTarget {
    case conninfo(String, source: String)
    case privateCluster(conninfo: String, folder: String)

    static let libpqVariables = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"]

    static func resolve(explicit: String?, configured: (url: String, source: String)? = nil,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseTarget {
        if let explicit, !explicit.isEmpty { return .conninfo(explicit, source: "--database") }
        if let url = environment["XUEQU_DATABASE_URL"], !url.isEmpty { return .conninfo(url, source: "XUEQU_DATABASE_URL") }
        if libpqVariables.contains(where: { environment[$0].map { !$0.isEmpty } ?? false }) {
            return .conninfo("", source: "PG* environment")
        }
        if let configured { return .conninfo(configured.url, source: configured.source) }
        if let folder = findPrivateCluster(),
           let text = try? String(contentsOfFile: folder + "/conninfo", encoding: .utf8) {
            return .privateCluster(conninfo: text.trimmingCharacters(in: .whitespacesAndNewlines), folder: folder)
        }
        throw CLIError("没有配置数据库：请用 --database、XUEQU_DATABASE_URL 或 PGHOST 等变量，或者用 deploy/pg up 启动项目自带的 PostgreSQL"
                       + " / no database configured: pass --database, set XUEQU_DATABASE_URL or PGHOST…, or start the private cluster with deploy/pg up")
    }

    /// `var/pg` above the current folder or above the binary.
    static func findPrivateCluster() -> String? {
        let exe = MigrationDirectory.executableURL.deletingLastPathComponent()
        for start in [URL(fileURLWithPath: FileManager.default.currentDirectoryPath), exe] {
            var dir = start
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("var/pg")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("conninfo").path) { return candidate.path }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// Whether the unix socket named by a private-cluster conninfo (`host=… port=…`) exists.
    static func socketExists(_ conninfo: String) -> Bool {
        guard let params = try? ConnectionString.parameters(conninfo),
              let host = params.first(where: { $0.key == "host" })?.value,
              let port = params.first(where: { $0.key == "port" })?.value else { return false }
        return FileManager.default.fileExists(atPath: "\(host)/.s.PGSQL.\(port)")
    }

    func open(logger: Logger, setup: String? = nil) throws -> Connection {
        switch self {
        case .conninfo(let info, _):
            return try Connection(conninfo: info, logger: logger, setup: setup)
        case .privateCluster(let info, let folder):
            do {
                return try Connection(conninfo: info, logger: logger, setup: setup)
            } catch let error as PGError where error.kind == .connection && !Self.socketExists(info) {
                let root = URL(fileURLWithPath: folder).deletingLastPathComponent().deletingLastPathComponent().path
                throw CLIError("项目自带的 PostgreSQL（\(folder)）没有运行；请运行：\(root)/deploy/pg up"
                               + " / the private PostgreSQL is not running; start it with: \(root)/deploy/pg up")
            }
        }
    }
}
