import Foundation
import LibPQ
import Testing
import XuequTestSupport

/// Faults a night in production may bring: the batch killed at any moment, PostgreSQL restarted
/// under an import and under the batch, the disk full under an import's staging table. Slow (a
/// minute or two): they run when XUEQU_SLOW_TESTS=1, which `.ci/run` sets.
enum Slow {
    static let enabled = ProcessInfo.processInfo.environment["XUEQU_SLOW_TESTS"] == "1"
}

/// A process of the built CLI running in the background, its output in files.
final class Background {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(_ arguments: [String], environment: [String: String]) throws {
        let tmp = FileManager.default.temporaryDirectory
        stdoutURL = tmp.appendingPathComponent("xuequ-bg-out-\(UUID().uuidString)")
        stderrURL = tmp.appendingPathComponent("xuequ-bg-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = MigratedDatabase.xuequBinary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = MigratedDatabase.repositoryRoot
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    func wait() -> (status: Int32, stdout: String, stderr: String) {
        process.waitUntilExit()
        return (process.terminationStatus,
                (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
                (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: stdoutURL)
        try? FileManager.default.removeItem(at: stderrURL)
    }
}

/// Polls `condition` every 10 ms for up to `seconds`.
func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

@Suite("Faults: SIGKILL of the batch, PostgreSQL restarts, a full disk", .serialized, .enabled(if: Slow.enabled))
struct FaultTests {
    static let asOf = "2027-06-30"
    static let demoSize = ["--schools", "10", "--staff", "800", "--assignment-share", "0.3"]

    /// The i-th change of the kill loop, the same on any database loaded from the same demo: one
    /// evaluation's score, chosen by its natural key.
    static func change(_ i: Int, on c: Connection) throws {
        try c.query("""
            UPDATE evaluation e SET score = $2::numeric
            FROM (SELECT x.period_id, x.staff_id, x.school_id, x.dimension, x.evaluator
                  FROM evaluation x JOIN staff s USING (staff_id) JOIN school sc ON sc.school_id = x.school_id
                  ORDER BY s.staff_no, sc.code, x.dimension, x.evaluator OFFSET $1 LIMIT 1) k
            WHERE (e.period_id, e.staff_id, e.school_id, e.dimension, e.evaluator) = (k.period_id, k.staff_id, k.school_id, k.dimension, k.evaluator)
            """, [i * 37, String(60 + (i * 7) % 40)])
    }

    @Test("SIGKILL at a random moment until 20 runs died mid-way, some full and some incremental: never a partial publication; the end equals an uninterrupted run")
    func killLoop() throws {
        let dir = try CLIRunner.temporaryFolder()
        // the reference: the same data and changes, one uninterrupted run
        let refDB = try MigratedDatabase.create()
        let ref = CLIRunner(database: refDB.conninfo)
        #expect(try ref.run(["demo", "load", "--dir", dir.path] + Self.demoSize).status == 0)
        let refConn = try refDB.connect()
        // attempts until 20 runs were killed in the middle (a kill may come after a short run ended)
        let maxAttempts = 60
        for i in 0..<maxAttempts { try Self.change(i, on: refConn) }
        let started = Date()
        #expect(try [0, 3].contains(ref.run(["nightly", "--as-of", Self.asOf, "--full"]).status))
        let runSeconds = Date().timeIntervalSince(started)
        let reference = try IncrementalNightlyTests.publishedState(refConn)

        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        #expect(try cli.run(["demo", "load", "--dir", dir.path] + Self.demoSize).status == 0)
        let c = try db.connect()
        var generator = SystemRandomNumberGenerator()
        var killedMidRun = 0, completed = 0
        var published = try c.query("SELECT count(*) FROM published_run").scalar(Int.self) == 0 ? [String]() : try IncrementalNightlyTests.publishedState(c)
        var attempts = 0
        for i in 0..<maxAttempts where killedMidRun < 20 {
            attempts += 1
            try Self.change(i, on: c)
            let last = try c.query("SELECT coalesce(max(run_id), 0) FROM nightly_run").scalar(Int64.self)
            let full = i % 3 == 0
            let run = try Background(["nightly", "--as-of", Self.asOf, "--wait"] + (full ? ["--full"] : []), environment: cli.environment)
            _ = try waitUntil(60) {
                if !run.process.isRunning { return true }
                return try c.query("SELECT count(*) FROM nightly_run WHERE run_id > $1", [last]).scalar(Int.self) > 0
            }
            // anywhere in the first 70 % of a full run (an incremental run is shorter)
            usleep(UInt32(Double.random(in: 0...(runSeconds * 0.7), using: &generator) * 1_000_000))
            let finishedBeforeKill = !run.process.isRunning
            kill(run.process.processIdentifier, SIGKILL)
            let out = run.wait()
            let state = try c.query("SELECT count(*) FROM published_run").scalar(Int.self) == 0 ? [String]() : try IncrementalNightlyTests.publishedState(c)
            let status = try c.query("SELECT status FROM nightly_run WHERE run_id > $1 ORDER BY run_id LIMIT 1", [last]).first?[0] ?? nil
            if finishedBeforeKill || run.process.terminationReason == .exit {
                #expect([0, 3].contains(out.status), "attempt \(i): \(out.stderr)")
                completed += 1
            } else if status == "running" {
                killedMidRun += 1
                // nothing of the killed run is visible
                #expect(state == published, "attempt \(i): the published results changed under a killed run")
            }
            if status == "succeeded" || status == "partial" { published = state }
            #expect(try c.query("SELECT count(*) FROM published_run p JOIN nightly_run r USING (run_id) WHERE r.status NOT IN ('succeeded', 'partial')")
                .scalar(Int.self) == 0, "attempt \(i): a published run that did not finish")
        }
        print("kill loop: \(attempts) attempts, \(killedMidRun) killed mid-run, \(completed) finished first; a full run takes \(String(format: "%.2f", runSeconds)) s")
        #expect(killedMidRun >= 20)
        for i in attempts..<maxAttempts { try Self.change(i, on: c) }
        // the run after the last kill: incremental from whatever the killed runs left, equal to the reference
        let final = try cli.run(["nightly", "--as-of", Self.asOf, "--wait"])
        #expect([0, 3].contains(final.status), "\(final.stderr)")
        #expect(try IncrementalNightlyTests.publishedState(c) == reference)
        #expect(try c.query("SELECT count(*) FROM nightly_change").scalar(Int.self) == 0)
        #expect(try c.query("SELECT count(*) FROM nightly_run WHERE status = 'running'").scalar(Int.self) == 0)
        #expect(try c.query("SELECT count(*) FROM nightly_run WHERE status = 'abandoned'").scalar(Int.self) >= killedMidRun)
    }
}

@Suite("Principals entering scores while the batch runs", .enabled(if: Slow.enabled))
struct EntriesDuringBatchTests {
    @Test("every score entered during a full run is in that run or the next: counted, stored with its last value, published, no note left")
    func entriesDuringBatch() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path] + FaultTests.demoSize).status == 0)
        let c = try db.connect()
        let school = try c.query("SELECT sc.code FROM evaluation e JOIN school sc USING (school_id) GROUP BY sc.code ORDER BY count(*) DESC, 1 LIMIT 1")
            .scalar(String.self)
        let login = "pe_" + String(UUID().uuidString.prefix(6)).lowercased()
        defer { _ = try? c.execute("DROP ROLE IF EXISTS \(login)") }
        #expect(try cli.run(["user", "add", login, "--role", "principal", "--name", "王校长", "--school", school]).status == 0)
        // the teachers this school already scores, with their period (the principal adds their own score)
        let targets = try c.query("""
            SELECT DISTINCT e.period_id, e.district_id, e.staff_id, e.school_id FROM evaluation e JOIN school sc USING (school_id)
            WHERE sc.code = $1 ORDER BY e.staff_id
            """, [school]).map { ($0[0]!, $0[1]!, $0[2]!, $0[3]!) }
        #expect(targets.count >= 5)
        let principal = try Connection(conninfo: db.conninfo + " user=\(login)")
        let dimensions = ["ethics", "teaching", "care", "growth"]
        var last: [String: String] = [:]
        var entries = 0, duringRun = 0
        let batch = try Background(["nightly", "--as-of", FaultTests.asOf, "--full"], environment: cli.environment)
        var i = 0
        // keep entering until the batch has finished, and a little after
        var after = 0
        while after < 20 {
            if !batch.process.isRunning { after += 1 } else { duringRun += 1 }
            let t = targets[i % targets.count], d = dimensions[(i / targets.count) % 4]
            let score = String(60 + (i * 13) % 40)
            let r = try principal.query("""
                INSERT INTO evaluation (period_id, district_id, staff_id, school_id, evaluator, dimension, score)
                VALUES ($1, $2, $3, $4, session_user, $5, $6::numeric)
                ON CONFLICT (period_id, staff_id, school_id, evaluator, dimension) DO UPDATE SET score = EXCLUDED.score
                """, [t.0, t.1, t.2, t.3, d, score])
            #expect(r.affectedRows == 1)
            entries += 1
            last["\(t.0)/\(t.2)/\(t.3)/\(d)"] = score
            i += 1
        }
        let batchOut = batch.wait()
        #expect([0, 3].contains(batchOut.status), "\(batchOut.stderr)")
        print("entries during the batch: \(duringRun) while it ran, \(entries) in all, \(last.count) distinct scores")
        #expect(duringRun >= 10)
        // counted: every key holds the last value written
        let stored = try c.query("""
            SELECT period_id || '/' || staff_id || '/' || school_id || '/' || dimension, score::text FROM evaluation WHERE evaluator = $1
            """, [login])
        var found: [String: String] = [:]
        for row in stored { found[row[0]!] = row[1]! }
        #expect(found.count == last.count)
        #expect(found.keys.filter { Decimal(string: found[$0]!) != Decimal(string: last[$0] ?? "") }.isEmpty)
        // the next run (incremental) publishes what the running one could not see, and leaves no note
        let next = try cli.run(["nightly", "--as-of", FaultTests.asOf])
        #expect([0, 3].contains(next.status), "\(next.stderr)")
        #expect(try c.query("SELECT count(*) FROM nightly_change").scalar(Int.self) == 0)
        let incremental = try IncrementalNightlyTests.publishedState(c)
        // a full run from scratch publishes exactly the same: no entry was lost between the two
        #expect([0, 3].contains(try cli.run(["nightly", "--as-of", FaultTests.asOf, "--full"]).status))
        #expect(try IncrementalNightlyTests.publishedState(c) == incremental)
        // and each score entered is in the published parts: this school's mean counts the principal
        let published = try c.query("""
            SELECT count(*) FROM published_unit u JOIN score_part p ON p.run_id = u.run_id AND p.period_id = u.period_id
            JOIN score_teacher t ON t.run_id = p.run_id AND t.period_id = p.period_id AND t.staff_id = p.staff_id AND t.unit_school_id = u.unit_school_id
            JOIN school sc ON sc.school_id = p.school_id
            WHERE sc.code = $1 AND p.evaluators >= 2
            """, [school]).scalar(Int.self)
        #expect(published >= last.count, "\(published) published parts with the principal's score, \(last.count) entered")
    }
}

/// A private PostgreSQL of its own (var/pgfault, port 54331) that the tests may stop, restart and
/// fill up without disturbing the other suites' cluster.
struct FaultCluster {
    static let folder = MigratedDatabase.repositoryRoot.appendingPathComponent("var/pgfault")
    static let port = ProcessInfo.processInfo.environment["XUEQU_FAULT_PG_PORT"] ?? "54331"

    static func pg(_ arguments: [String]) throws -> CLIRunner.Output {
        var env = ProcessInfo.processInfo.environment
        env["XUEQU_PG_DIR"] = folder.path
        env["XUEQU_PG_PORT"] = port
        return try Shell.run("deploy/pg " + arguments.joined(separator: " "), environment: env)
    }

    static func up() throws -> String {
        let out = try pg(["up", "--fast"])
        guard out.status == 0 else { throw TestError("deploy/pg up: \(out.stderr)") }
        return try String(contentsOf: folder.appendingPathComponent("conninfo"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func restart() throws {
        let down = try pg(["down"])
        guard down.status == 0 else { throw TestError("deploy/pg down: \(down.stderr)") }
        _ = try up()
    }

    /// A new database on the fault cluster, migrated by the CLI; its conninfo.
    static func freshDatabase(_ name: String) throws -> String {
        let base = try up()
        let admin = try Connection(conninfo: base)
        try admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try admin.execute("CREATE DATABASE \(name)")
        let conninfo = base.replacingOccurrences(of: "dbname=xuequ", with: "dbname=\(name)")
        let migrate = try CLIRunner(database: conninfo).run(["db", "migrate"])
        guard migrate.status == 0 else { throw TestError("db migrate: \(migrate.stderr)") }
        return conninfo
    }

    /// The superuser on the same socket (for a tablespace).
    static func superuser(_ conninfo: String) -> String {
        conninfo.replacingOccurrences(of: "user=xuequ", with: "user=postgres")
    }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

@Suite("Faults on a cluster of their own: restarts and a full disk", .serialized, .enabled(if: Slow.enabled))
struct ClusterFaultTests {
    /// The demo files, generated once per test run (loading them on the test cluster's scratch database).
    static func demoFiles() throws -> URL {
        let dir = try CLIRunner.temporaryFolder()
        let scratch = try MigratedDatabase.create()
        let out = try CLIRunner(database: scratch.conninfo).run(["demo", "load", "--dir", dir.path] + FaultTests.demoSize)
        guard out.status == 0 else { throw TestError("demo load: \(out.stderr)") }
        return dir
    }

    static func counts(_ c: Connection) throws -> String {
        try c.query("""
            SELECT (SELECT count(*) FROM district) || ' ' || (SELECT count(*) FROM school) || ' ' || (SELECT count(*) FROM staff) || ' '
                || (SELECT count(*) FROM evaluation) || ' ' || (SELECT count(*) FROM audit_log)
            """).scalar(String.self)
    }

    /// Runs the CLI with `arguments` while a transaction holds `table` locked, waits until the
    /// command waits for that lock, restarts PostgreSQL, and returns what the command said.
    static func restart(whenBlockedAt table: String, conninfo: String, cli: CLIRunner, _ arguments: [String]) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let holder = try Connection(conninfo: conninfo)
        try holder.execute("BEGIN; LOCK TABLE \(table) IN EXCLUSIVE MODE")
        let run = try Background(arguments, environment: cli.environment)
        let blocked = try waitUntil(120) {
            try holder.query("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = $1::regclass", [table]).scalar(Int.self) > 0
        }
        #expect(blocked, "\(arguments.first ?? "") never reached \(table)")
        try FaultCluster.restart()
        return run.wait()
    }

    @Test("PostgreSQL restarted in the middle of an import: a clear error, nothing half-written, the retry imports everything")
    func restartDuringImport() throws {
        let files = try Self.demoFiles()
        let conninfo = try FaultCluster.freshDatabase("fault_import")
        let cli = CLIRunner(database: conninfo)
        let empty = try Self.counts(try Connection(conninfo: conninfo))
        // held at its titles: the districts, schools and staff are written, not committed
        let out = try Self.restart(whenBlockedAt: "staff_title", conninfo: conninfo, cli: cli, ["import", "--dir", files.path, "--lang", "en"])
        print("import under a restart said: \(out.stderr)")
        #expect(out.status == 1, "\(out.stdout) \(out.stderr)")
        #expect(out.stderr.hasPrefix("xuequ: lost the connection to the database; what was not committed has been rolled back"), "\(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        let after = try Connection(conninfo: conninfo)
        #expect(try Self.counts(after) == empty)
        // the retry
        let retry = try cli.run(["import", "--dir", files.path, "--lang", "en"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(try after.query("SELECT count(*) FROM staff").scalar(Int.self) == 800)
    }

    @Test("PostgreSQL restarted while the batch publishes: exit 1 with a clear error, nothing published, the retry publishes")
    func restartDuringBatch() throws {
        let files = try Self.demoFiles()
        let conninfo = try FaultCluster.freshDatabase("fault_batch")
        let cli = CLIRunner(database: conninfo)
        #expect(try cli.run(["import", "--dir", files.path]).status == 0)
        // held at its publication: every result is written, not committed
        let out = try Self.restart(whenBlockedAt: "published_run", conninfo: conninfo, cli: cli, ["nightly", "--as-of", FaultTests.asOf, "--lang", "en"])
        print("batch under a restart said: \(out.stderr)")
        #expect(out.status == 1, "\(out.stdout) \(out.stderr)")
        #expect(out.stderr.hasPrefix("xuequ: lost the connection to the database"), "\(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        let after = try Connection(conninfo: conninfo)
        #expect(try after.query("SELECT count(*) FROM published_run").scalar(Int.self) == 0)
        #expect(try after.query("SELECT count(*) FROM score_teacher").scalar(Int.self) == 0)
        let retry = try cli.run(["nightly", "--as-of", FaultTests.asOf, "--lang", "en"])
        #expect([0, 3].contains(retry.status), "\(retry.stderr)")
        #expect(try after.query("SELECT count(*) FROM published_run").scalar(Int.self) == 1)
        #expect(try after.query("SELECT status FROM nightly_run ORDER BY run_id LIMIT 1").scalar(String.self) == "abandoned")
        #expect(try after.query("SELECT count(*) FROM nightly_change").scalar(Int.self) == 0)
    }

    @Test("the disk under the import's staging table fills up: a clear error, nothing written, the retry on space succeeds",
          .enabled(if: getuid() == 0, "mounting a tiny filesystem needs root"))
    func diskFull() throws {
        let files = try Self.demoFiles()
        let conninfo = try FaultCluster.freshDatabase("fault_disk")
        let tiny = FaultCluster.folder.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: tiny, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/sh")
        mount.arguments = ["-c", "umount '\(tiny.path)' 2>/dev/null; mount -t tmpfs -o size=256k,mode=0700,uid=$(id -u postgres) tmpfs '\(tiny.path)'"]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mount tmpfs")
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [tiny.path]
            try? umount.run()
            umount.waitUntilExit()
        }
        let admin = try Connection(conninfo: FaultCluster.superuser(conninfo))
        try admin.execute("DROP TABLESPACE IF EXISTS tiny")
        try admin.execute("CREATE TABLESPACE tiny LOCATION '\(tiny.path)'")
        defer { _ = try? admin.execute("DROP TABLESPACE IF EXISTS tiny") }
        try admin.execute("GRANT CREATE ON TABLESPACE tiny TO xuequ")
        let c = try Connection(conninfo: conninfo)
        let empty = try Self.counts(c)
        var cramped = CLIRunner(database: conninfo)
        cramped.environment["PGOPTIONS"] = "-c temp_tablespaces=tiny"
        let out = try cramped.run(["import", "--dir", files.path, "--lang", "en"])
        print("import on a full disk said: \(out.stderr)")
        #expect(out.status == 1, "\(out.stdout) \(out.stderr)")
        #expect(out.stderr.contains("No space left on device"), "\(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        #expect(try Self.counts(c) == empty)
        let retry = try CLIRunner(database: conninfo).run(["import", "--dir", files.path, "--lang", "en"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(try c.query("SELECT count(*) FROM staff").scalar(Int.self) == 800)
    }
}
