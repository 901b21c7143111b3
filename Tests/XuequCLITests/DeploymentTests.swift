import Foundation
import LibPQ
import Testing
import XuequTestSupport

/// Issue 9's operations: deploy/install.sh into a fresh prefix, the installed binary's doctor and
/// nightly against the test PostgreSQL (configured by its file), the metrics file, the systemd
/// units and the CronJob checked, migrations from two hosts at once, and a backup restored.
@Suite("Deployment and operations", .serialized)
struct DeploymentTests {
    static let series = [
        "xuequ_nightly_exit_status", "xuequ_nightly_last_run_timestamp_seconds", "xuequ_nightly_last_success_timestamp_seconds",
        "xuequ_nightly_duration_seconds", "xuequ_nightly_stage_duration_seconds", "xuequ_nightly_rows_read", "xuequ_nightly_rows_written",
        "xuequ_nightly_incomplete_teachers", "xuequ_nightly_pending_units", "xuequ_nightly_run_id", "xuequ_nightly_full_run",
    ]

    static func sh(_ command: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CLIRunner.Output {
        try Shell.run(command, environment: environment)
    }

    /// An installed copy in a fresh prefix, its configuration pointing at `conninfo`.
    static func install(conninfo: String) throws -> (prefix: URL, runner: CLIRunner) {
        let prefix = try CLIRunner.temporaryFolder().appendingPathComponent("opt xuequ")
        let out = try sh("deploy/install.sh --prefix '\(prefix.path)' --config-dir '\(prefix.path)/etc/xuequ' --binary '\(MigratedDatabase.xuequBinary.path)' --no-deps")
        guard out.status == 0 else { throw TestError("install.sh: \(out.stderr)") }
        let config = """
            [database]
            url = "\(conninfo.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))"
            [log]
            format = "logfmt"   # every line with the run id
            [nightly]
            metrics_file = "\(prefix.path)/var/xuequ.prom"
            """
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("var"), withIntermediateDirectories: true)
        try config.write(to: prefix.appendingPathComponent("etc/xuequ/xuequ.toml"), atomically: true, encoding: .utf8)
        // the installed binary on its own: no checkout's migrations, no database in the environment
        var runner = CLIRunner(database: nil)
        runner.environment.removeValue(forKey: "XUEQU_SQL_DIR")
        runner.environment["XUEQU_CONFIG"] = prefix.appendingPathComponent("etc/xuequ/xuequ.toml").path
        runner.directory = prefix
        return (prefix, runner)
    }

    static func run(_ runner: CLIRunner, _ prefix: URL, _ arguments: [String]) throws -> CLIRunner.Output {
        var r = runner
        r.executable = prefix.appendingPathComponent("bin/xuequ")
        return try r.run(arguments)
    }

    @Test("install.sh into a fresh prefix; the installed binary runs doctor and nightly from its config; the metrics file has every series")
    func installedBinary() throws {
        let db = try MigratedDatabase.create()
        let (prefix, runner) = try Self.install(conninfo: db.conninfo)
        for file in ["bin/xuequ", "share/xuequ/sql/0001_foundation.sql", "share/xuequ/systemd/xuequ-nightly.service",
                     "share/xuequ/systemd/xuequ-nightly.timer", "share/doc/xuequ/README.md", "etc/xuequ/xuequ.toml"] {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file) not installed")
        }
        let shown = try Self.run(runner, prefix, ["config", "show", "--format", "csv", "--lang", "en"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("log.format,logfmt,\(prefix.path)/etc/xuequ/xuequ.toml:4"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("password"))
        let dir = try CLIRunner.temporaryFolder()
        #expect(try Self.run(runner, prefix, ["demo", "load", "--dir", dir.path, "--schools", "3", "--staff", "60"]).status == 0)
        let doctor = try Self.run(runner, prefix, ["doctor", "--format", "csv", "--lang", "en"])
        #expect(doctor.status == 0, "\(doctor.stdout) \(doctor.stderr)")
        #expect(doctor.stdout.contains("sql,ok,\(prefix.path)/share/xuequ/sql"), "\(doctor.stdout)")
        let migrations = try MigratedDatabase.migrationDirectory.files().count
        #expect(doctor.stdout.contains("schema,ok,\"all \(migrations) migrations applied"), "\(doctor.stdout)")
        for check in ["connection,ok", "roles,ok", "row-level security,ok", "extensions,ok"] {
            #expect(doctor.stdout.contains(check), "\(check): \(doctor.stdout)")
        }
        let nightly = try Self.run(runner, prefix, ["nightly", "--as-of", "2027-06-30"])
        #expect([0, 3].contains(nightly.status), "\(nightly.stderr)")
        // logfmt, the run id on every line
        let lines = nightly.stderr.split(separator: "\n")
        #expect(lines.count >= 3)
        #expect(lines.allSatisfy { $0.hasPrefix("ts=") && $0.contains(" run_id=1") }, "\(nightly.stderr)")
        let metrics = try String(contentsOf: prefix.appendingPathComponent("var/xuequ.prom"), encoding: .utf8)
        for name in Self.series {
            #expect(metrics.contains("# TYPE \(name) gauge\n\(name)"), "\(name) missing")
        }
        #expect(metrics.contains("xuequ_nightly_exit_status \(nightly.status)\n"))
        #expect(metrics.contains("xuequ_nightly_run_id 1\n") && metrics.contains("xuequ_nightly_stage_duration_seconds{stage=\"titles read\"}"))
        let success = metrics.split(separator: "\n").first { $0.hasPrefix("xuequ_nightly_last_success_timestamp_seconds ") }
        #expect(success != nil)
        // a failed run: exit 1, recorded in the metrics, the last success kept
        var broken = runner
        broken.environment["XUEQU_DATABASE_URL"] = "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2"
        let failed = try Self.run(broken, prefix, ["nightly", "--as-of", "2027-06-30"])
        #expect(failed.status == 1)
        #expect(failed.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("ts=") && $0.contains("level=error") }, "\(failed.stderr)")
        let after = try String(contentsOf: prefix.appendingPathComponent("var/xuequ.prom"), encoding: .utf8)
        #expect(after.contains("xuequ_nightly_exit_status 1\n"))
        #expect(after.split(separator: "\n").first { $0.hasPrefix("xuequ_nightly_last_success_timestamp_seconds ") } == success)
        // installing again keeps the configuration
        let again = try Self.sh("deploy/install.sh --prefix '\(prefix.path)' --config-dir '\(prefix.path)/etc/xuequ' --binary '\(MigratedDatabase.xuequBinary.path)' --no-deps")
        #expect(again.status == 0 && again.stderr.contains("kept"))
        #expect(try String(contentsOf: prefix.appendingPathComponent("etc/xuequ/xuequ.toml"), encoding: .utf8).contains(db.conninfo.prefix(20)))
    }

    @Test("the configuration file: Windows line endings and a BOM are read; an unknown key and a bad value are refused at their line")
    func configFile() throws {
        let dir = try CLIRunner.temporaryFolder()
        let file = dir.appendingPathComponent("xuequ.toml")
        try Data(("\u{FEFF}# comment\r\n[log]\r\nformat = 'json'  # a comment with \"quotes\"\r\n[nightly]\r\nmetrics_file = \"/tmp/a#b.prom\"\r\n").utf8)
            .write(to: file)
        var cli = CLIRunner(database: nil)
        cli.environment["XUEQU_CONFIG"] = file.path
        let shown = try cli.run(["config", "show", "--format", "csv", "--lang", "en"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("log.format,json,\(file.path):3"), "\(shown.stdout)")
        #expect(shown.stdout.contains("nightly.metrics_file,/tmp/a#b.prom,\(file.path):5"), "\(shown.stdout)")
        // the environment beats the file, a flag beats the environment
        cli.environment["XUEQU_LOG_FORMAT"] = "text"
        #expect(try cli.run(["config", "show", "--format", "csv"]).stdout.contains("log.format,text,$XUEQU_LOG_FORMAT"))
        #expect(try cli.run(["config", "show", "--format", "csv", "--log-format", "logfmt"]).stdout.contains("log.format,logfmt,'--log-format"))   // CSV neutralises a leading "-"
        for (text, complaint) in [("[log]\nformt = \"json\"\n", ":2: 未知的设置“log.formt”"), ("[log]\nformat = json\n", ":2: “log.format”的值应为"),
                                  ("[log\n", ":1: 节名应写作")] {
            try text.write(to: file, atomically: true, encoding: .utf8)
            let out = try cli.run(["config", "show"])
            #expect(out.status == 1 && out.stderr.hasPrefix("xuequ: \(file.path)\(complaint)"), "\(out.stderr)")
        }
        // doctor reports a broken file as a failed check, with the rest of its report
        let doctor = try cli.run(["doctor", "--format", "csv", "--lang", "en"])
        #expect(doctor.status == 1 && doctor.stdout.contains("config,FAIL"), "\(doctor.stdout)\(doctor.stderr)")
    }

    @Test("the systemd units of an installation pass systemd-analyze verify; the timer is persistent, the service a time-limited oneshot",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "systemd-analyze is not installed"))
    func systemdUnits() throws {
        let (prefix, _) = try Self.install(conninfo: "dbname=unused")
        let units = prefix.appendingPathComponent("share/xuequ/systemd")
        let verify = try Self.sh("systemd-analyze verify '\(units.path)/xuequ-nightly.service' '\(units.path)/xuequ-nightly.timer'")
        #expect(verify.status == 0 && verify.stderr.isEmpty && verify.stdout.isEmpty, "\(verify.stdout)\(verify.stderr)")
        let service = try String(contentsOf: units.appendingPathComponent("xuequ-nightly.service"), encoding: .utf8)
        let timer = try String(contentsOf: units.appendingPathComponent("xuequ-nightly.timer"), encoding: .utf8)
        #expect(service.contains("ExecStart=\"\(prefix.path)/bin/xuequ\" nightly --log-format logfmt"), "\(service)")
        #expect(service.contains("TimeoutStartSec=") && service.contains("Type=oneshot") && !service.contains("@PREFIX@"))
        #expect(timer.contains("Persistent=true") && timer.contains("OnCalendar=*-*-* 02:00:00 Asia/Shanghai"))
        // the check catches a broken unit
        let broken = units.appendingPathComponent("broken.service")
        try service.replacingOccurrences(of: "\(prefix.path)/bin/xuequ", with: "/nonexistent/xuequ").write(to: broken, atomically: true, encoding: .utf8)
        #expect(try Self.sh("systemd-analyze verify '\(broken.path)'").status != 0)
    }

    @Test("the Kubernetes CronJob passes its schema check (Forbid, a migrate init container, the URL from a Secret); a broken one does not")
    func cronJob() throws {
        let good = try Self.sh("deploy/k8s/check-cronjob deploy/k8s/cronjob.yaml")
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let yaml = try String(contentsOf: MigratedDatabase.repositoryRoot.appendingPathComponent("deploy/k8s/cronjob.yaml"), encoding: .utf8)
        let dir = try CLIRunner.temporaryFolder()
        for (name, from, to, complaint) in [
            ("allow", "concurrencyPolicy: Forbid", "concurrencyPolicy: Allow", "concurrencyPolicy"),
            ("no-init", "initContainers:", "initContainerz:", "unknown field"),
            ("plain-url", "valueFrom:\n                    secretKeyRef:\n                      name: xuequ-database\n                      key: batch-url",
             "value: postgresql://batch:secret@db/xuequ", "must come from a Secret"),
        ] {
            let bad = dir.appendingPathComponent("\(name).yaml")
            #expect(yaml.contains(from), "\(name): the manifest changed")
            try yaml.replacingOccurrences(of: from, with: to).write(to: bad, atomically: true, encoding: .utf8)
            let out = try Self.sh("deploy/k8s/check-cronjob '\(bad.path)'")
            #expect(out.status == 1 && out.stdout.contains(complaint), "\(name): \(out.stdout)")
        }
    }

    @Test("xuequ db migrate from two hosts at once: both succeed, each migration applied once")
    func concurrentMigrate() throws {
        let admin = try Connection(conninfo: try TestPostgres.adminConninfo())
        let name = "xqt_migrate_" + String(UUID().uuidString.prefix(8)).lowercased()
        try admin.execute("CREATE DATABASE \(name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let conninfo = try ConnectionString.replacing("dbname", with: name, in: try TestPostgres.adminConninfo())
        let cli = CLIRunner(database: conninfo)
        let a = try Background(["db", "migrate"], environment: cli.environment)
        let b = try Background(["db", "migrate"], environment: cli.environment)
        let (ra, rb) = (a.wait(), b.wait())
        #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr) \(rb.stderr)")
        let c = try Connection(conninfo: conninfo)
        let migrations = try MigratedDatabase.migrationDirectory.files().count
        #expect(try c.query("SELECT count(*), count(DISTINCT version) FROM schema_migration").map { "\($0[0]!)/\($0[1]!)" } == ["\(migrations)/\(migrations)"])
    }

    @Test("backup with pg_dump and restore with pg_restore: the same counts and published results; doctor and the next night work on the copy")
    func backupRestore() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path, "--schools", "3", "--staff", "90"]).status == 0)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
        let c = try db.connect()
        let dump = dir.appendingPathComponent("xuequ.dump")
        // docs/operations.md: the backup
        let backup = try Self.sh("pg_dump --format=custom --file='\(dump.path)' \"$SRC\"", environment: ProcessInfo.processInfo.environment.merging(["SRC": db.conninfo]) { $1 })
        #expect(backup.status == 0, "\(backup.stderr)")
        // the restore into a new database
        let admin = try Connection(conninfo: try TestPostgres.adminConninfo())
        let name = "xqt_restore_" + String(UUID().uuidString.prefix(8)).lowercased()
        try admin.execute("CREATE DATABASE \(name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let target = try ConnectionString.replacing("dbname", with: name, in: db.conninfo)
        let restore = try Self.sh("pg_restore --exit-on-error --single-transaction --dbname=\"$DST\" '\(dump.path)'",
                                  environment: ProcessInfo.processInfo.environment.merging(["DST": target]) { $1 })
        #expect(restore.status == 0, "\(restore.stderr)")
        let copy = try Connection(conninfo: target)
        // every table's count and checksum, the published results and the migration ledger
        let tablesSQL = "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
        let tables = try c.query(tablesSQL).map { $0[0]! }
        #expect(try copy.query(tablesSQL).map { $0[0]! } == tables)
        for t in tables {
            let sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM \(t) x"
            #expect(try c.query(sql).scalar(String.self) == copy.query(sql).scalar(String.self), "\(t) differs")
        }
        #expect(try IncrementalNightlyTests.publishedState(c) == IncrementalNightlyTests.publishedState(copy))
        #expect(try copy.query("SELECT count(*) FROM published_unit").scalar(Int.self) > 0)
        // the copy is a working database: row-level security on, the next night runs incrementally
        let restored = CLIRunner(database: target)
        let doctor = try restored.run(["doctor", "--format", "csv", "--lang", "en"])
        #expect(doctor.status == 0 && doctor.stdout.contains("row-level security,ok"), "\(doctor.stdout)")
        let next = try restored.run(["nightly", "--as-of", "2027-06-30"])
        #expect([0, 3].contains(next.status), "\(next.stderr)")
        #expect(try copy.query("SELECT mode FROM nightly_run ORDER BY run_id DESC LIMIT 1").scalar(String.self) == "incremental")
    }
}
