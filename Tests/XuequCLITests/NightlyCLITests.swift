import Foundation
import LibPQ
import Testing
import XuequTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The nightly batch end to end on a generated district: results checked by independent SQL,
/// repeat runs identical, a run killed with SIGKILL leaving the published results untouched, and
/// a principal told plainly what they may not do.
@Suite("xuequ nightly, score and eval on the demo district")
struct NightlyCLITests {
    /// A small demo district (12 schools, 900 staff, a third with cross-school work), or with `full`
    /// the demo district itself (60 schools, 4,000 staff), with its evaluations and pools, loaded
    /// through the CLI; one host school's scores of one teacher are withdrawn, so the run has an
    /// incomplete teacher and a pending unit.
    func demo(full: Bool = false) throws -> (TestDatabase, CLIRunner, Connection) {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        let size = full ? [] : ["--schools", "12", "--staff", "900", "--assignment-share", "0.3"]
        let load = try cli.run(["demo", "load", "--dir", dir.path] + size)
        #expect(load.status == 0, "\(load.stderr)")
        let conn = try db.connect()
        // one school has not yet scored a teacher it hosts: that teacher is incomplete, their unit pending
        let withdrawn = try conn.query("""
            DELETE FROM evaluation e USING assignment a
            WHERE a.assignment_id = (SELECT min(assignment_id) FROM assignment WHERE kind = 'part_time' AND status IN ('approved', 'active'))
              AND e.staff_id = a.staff_id AND e.school_id = a.host_school_id
            """).affectedRows
        #expect(withdrawn > 0)
        return (db, cli, conn)
    }

    /// Rows of one run's results that the other run lacks (both ways), all result tables.
    static func differences(_ c: Connection, _ a: Int64, _ b: Int64) throws -> Int {
        var total = 0
        for (table, columns) in [
            ("score_teacher", "staff_id, period_id, unit_school_id, status, weighted_periods, homeroom, workload_score, rotation_bonus, total, grade, reason, provisional, excellent_rank, pay_share, pay_fen"),
            ("score_unit", "unit_school_id, graded, incomplete, no_workload, quota, candidates, excellent, pass, basic_pass, fail, pending, tie_total, tie_staff_ids, pool_fen, allocated_fen, undistributed_fen"),
            ("score_dimension", "staff_id, dimension, score"),
            ("score_school", "staff_id, school_id, period_days, share"),
            ("score_part", "staff_id, school_id, dimension, mean, evaluators"),
            ("score_missing", "staff_id, school_id, dimension"),
        ] {
            total += try c.query("""
                SELECT count(*) FROM ((SELECT \(columns) FROM \(table) WHERE run_id = $1 EXCEPT SELECT \(columns) FROM \(table) WHERE run_id = $2)
                                      UNION ALL
                                      (SELECT \(columns) FROM \(table) WHERE run_id = $2 EXCEPT SELECT \(columns) FROM \(table) WHERE run_id = $1)) d
                """, [a, b]).scalar(Int.self)
        }
        return total
    }

    static func published(_ c: Connection) throws -> Int64 {
        try c.query("SELECT run_id FROM published_run").scalar(Int64.self)
    }

    @Test("every unit's pay adds up to its pool and no unit exceeds its 优秀 quota, recomputed in SQL; the batch role's run is identical")
    func invariantsAndRepeat() throws {
        let (db, cli, c) = try demo(full: true)
        defer { withExtendedLifetime(db) {} }
        let first = try cli.run(["nightly", "--as-of", "2027-06-30"])
        #expect(first.status == 3, "\(first.stderr)")
        let run = try Self.published(c)
        // the batch's own check, and the same facts recomputed here from the teacher rows
        #expect(try c.query("SELECT count(*) FROM score_run_violations($1)", [run]).scalar(Int.self) == 0)
        let units = try c.query("""
            SELECT count(*) FILTER (WHERE NOT u.pending AND u.pool_fen IS NOT NULL),
                   count(*) FILTER (WHERE NOT u.pending AND u.pool_fen IS NOT NULL
                                    AND (SELECT coalesce(sum(t.pay_fen), 0) FROM score_teacher t
                                         WHERE t.run_id = u.run_id AND t.unit_school_id = u.unit_school_id) <> u.pool_fen),
                   count(*) FILTER (WHERE (SELECT count(*) FROM score_teacher t WHERE t.run_id = u.run_id
                                           AND t.unit_school_id = u.unit_school_id AND t.grade = 'excellent')
                                          > floor(0.20 * (SELECT count(*) FROM score_teacher t WHERE t.run_id = u.run_id
                                                          AND t.unit_school_id = u.unit_school_id AND t.status = 'graded'))),
                   count(*) FILTER (WHERE u.pending),
                   sum(u.excellent)
            FROM score_unit u WHERE u.run_id = $1
            """, [run])[0]
        let allocated = Int(units[0]!)!, wrongPay = Int(units[1]!)!, overQuota = Int(units[2]!)!
        let pending = Int(units[3]!)!, excellent = Int(units[4]!)!
        #expect(allocated >= 40)      // most of the 60 units are paid out…
        #expect(wrongPay == 0)        // …to the fen
        #expect(overQuota == 0)
        #expect(pending >= 1)         // the schools whose host scores are missing hold some units back
        #expect(excellent > 0)
        // pending units pay nothing yet; their graded teachers are provisional
        #expect(try c.query("""
            SELECT count(*) FROM score_teacher t JOIN score_unit u USING (run_id, unit_school_id)
            WHERE t.run_id = $1 AND u.pending AND (t.pay_fen IS NOT NULL OR (t.status = 'graded' AND NOT t.provisional))
            """, [run]).scalar(Int.self) == 0)
        // every incomplete teacher names what is missing, from a school holding a share
        #expect(try c.query("""
            SELECT count(*) FROM score_teacher t WHERE t.run_id = $1 AND t.status = 'incomplete'
              AND NOT EXISTS (SELECT 1 FROM score_missing m JOIN score_school s USING (run_id, staff_id, school_id)
                              WHERE m.run_id = t.run_id AND m.staff_id = t.staff_id AND s.share > 0)
            """, [run]).scalar(Int.self) == 0)
        // the same inputs give the same results — here computed by the batch's own role, which
        // reads under row-level security and cannot COPY into the result tables directly
        let batch = "nightly_" + String(UUID().uuidString.prefix(8)).lowercased()
        #expect(try cli.run(["user", "add", batch, "--role", "batch", "--name", "夜间批处理"]).status == 0)
        defer { _ = try? c.execute("DROP ROLE IF EXISTS \(batch)") }
        var asBatch = cli
        asBatch.environment["XUEQU_DATABASE_URL"] = db.conninfo + " user=\(batch)"
        let second = try asBatch.run(["nightly", "--as-of", "2027-06-30", "--full"])
        #expect(second.status == 3, "\(second.stderr)")
        #expect(try c.query("SELECT run_by::text FROM nightly_run ORDER BY run_id DESC LIMIT 1").scalar(String.self) == batch)
        let again = try Self.published(c)
        #expect(again > run)
        #expect(try Self.differences(c, run, again) == 0)
        // the history keeps both; the report and the explanation read the published one
        let runs = try cli.run(["nightly", "runs", "--format", "csv"])
        #expect(runs.stdout.split(separator: "\n").count == 3)
        let school = try c.query("SELECT sc.code FROM score_unit u JOIN school sc ON sc.school_id = u.unit_school_id WHERE u.run_id = $1 AND NOT u.pending AND u.graded > 0 ORDER BY 1 LIMIT 1", [again]).scalar(String.self)
        let report = try cli.run(["score", "report", "--school", school])
        #expect(report.status == 0 && report.stdout.contains("优秀名额") && report.stdout.contains("已分配"), "\(report.stderr)")
    }

    @Test("SIGKILL during a run leaves the published results as they were; the next run publishes identical results")
    func killedRun() throws {
        let (db, cli, c) = try demo()
        defer { withExtendedLifetime(db) {} }
        #expect(try cli.run(["nightly", "--as-of", "2027-06-30"]).status == 3)
        let before = try Self.published(c)
        let countBefore = try c.query("SELECT count(*) FROM score_teacher").scalar(Int.self)
        var killedWhileRunning = 0
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            let last = try c.query("SELECT coalesce(max(run_id), 0) FROM nightly_run").scalar(Int64.self)
            let process = Process()
            process.executableURL = MigratedDatabase.xuequBinary
            // --wait: the server may still be finishing the statement of the run killed before
            process.arguments = ["nightly", "--as-of", "2027-06-30", "--wait", "--full"]
            process.environment = cli.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // wait until this run has started (its row exists), then kill it at a random moment
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, process.isRunning,
                  try c.query("SELECT count(*) FROM nightly_run WHERE run_id > $1", [last]).scalar(Int.self) == 0 {
                usleep(2_000)
            }
            usleep(UInt32.random(in: 0...400_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            // nothing of the killed run is visible: the pointer and the results are the last published ones
            #expect(try Self.published(c) == before)
            if try c.query("SELECT count(*) FROM nightly_run WHERE run_id > $1 AND status = 'running'", [last]).scalar(Int.self) == 1 {
                killedWhileRunning += 1
                #expect(try c.query("SELECT count(*) FROM score_teacher").scalar(Int.self) == countBefore)
            }
        }
        #expect(killedWhileRunning >= 1)
        let after = try cli.run(["nightly", "--as-of", "2027-06-30", "--wait", "--full"])
        #expect(after.status == 3, "\(after.stderr)")
        let now = try Self.published(c)
        #expect(now > before)
        #expect(try Self.differences(c, before, now) == 0)
        #expect(try c.query("SELECT count(*) FROM nightly_run WHERE status = 'abandoned'").scalar(Int.self) == killedWhileRunning)
        #expect(try c.query("SELECT count(*) FROM nightly_run WHERE status = 'running'").scalar(Int.self) == 0)
    }

    @Test("a principal is told plainly what they may not do; a second batch at the same time exits with 75")
    func plainRefusals() throws {
        let (db, cli, c) = try demo()
        defer { withExtendedLifetime(db) {} }
        let login = "p_cli_" + String(UUID().uuidString.prefix(8)).lowercased()
        #expect(try cli.run(["user", "add", login, "--role", "principal", "--name", "王校长", "--school", "110101S001"]).status == 0)
        defer { _ = try? c.execute("DROP ROLE IF EXISTS \(login)") }
        var asPrincipal = cli
        asPrincipal.environment["XUEQU_DATABASE_URL"] = db.conninfo + " user=\(login)"
        let other = try c.query("""
            SELECT st.staff_no FROM staff st JOIN staff_home_school h USING (staff_id) JOIN school sc USING (school_id)
            WHERE sc.code = '110101S002' AND upper_inf(h.valid) ORDER BY 1 LIMIT 1
            """).scalar(String.self)
        let enter = try asPrincipal.run(["eval", "enter", other, "--school", "110101S002", "--score", "ethics=90"])
        #expect(enter.status == 1)
        #expect(enter.stderr.contains("不能以学校 110101S002 的名义评分"), "\(enter.stderr)")
        let list = try asPrincipal.run(["eval", "list", "--school", "110101S002"])
        #expect(list.status == 1 && list.stderr.contains("只能查看自己学校"), "\(list.stderr)")
        // their own school's list shows only their school's rows
        let own = try asPrincipal.run(["eval", "list", "--school", "110101S001", "--format", "csv"])
        #expect(own.status == 0)
        let rows = own.stdout.split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(",110101S001,") })
        // a busy batch: hold its lock from another session
        try c.query("SELECT pg_advisory_lock(hashtext('xuequ.nightly'))")
        let busy = try cli.run(["nightly", "--as-of", "2027-06-30"])
        #expect(busy.status == 75 && busy.stderr.contains("另一个夜间批处理正在运行"), "\(busy.stderr)")
        try c.query("SELECT pg_advisory_unlock(hashtext('xuequ.nightly'))")
    }

    @Test("a released period is scored once more after its release, with the scores changed before it, then kept")
    func releasedPeriod() throws {
        let (db, cli, c) = try demo()
        defer { withExtendedLifetime(db) {} }
        #expect(try cli.run(["nightly", "--as-of", "2027-06-30"]).status == 3)
        let first = try Self.published(c)
        // an edit after the run, then the period is closed and released before the next night
        let changed = try c.query("""
            UPDATE evaluation SET score = 41.5 WHERE (staff_id, school_id, evaluator, dimension) =
                (SELECT staff_id, school_id, evaluator, dimension FROM evaluation ORDER BY staff_id, school_id, evaluator, dimension LIMIT 1)
            RETURNING staff_id
            """).scalar(Int64.self)
        #expect(try cli.run(["eval", "period", "close", "--year", "2026"]).status == 0)
        #expect(try cli.run(["eval", "period", "release", "--year", "2026"]).status == 0)
        #expect(try cli.run(["nightly", "--as-of", "2027-06-30"]).status == 3)
        let second = try Self.published(c)
        #expect(second > first)
        let mean = { (run: Int64) throws -> String in
            try c.query("SELECT min(mean)::text FROM score_part WHERE run_id = $1 AND staff_id = $2", [run, changed]).scalar(String.self)
        }
        #expect(try mean(first) != mean(second))
        // from then on the released results stay as published
        let third = try cli.run(["nightly", "--as-of", "2027-06-30"])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try Self.published(c) == second)
    }
}

/// `xuequ nightly prune`: old runs' result rows go, what readers see stays, and the next
/// incremental run still equals a full one.
@Suite("xuequ nightly prune")
struct NightlyPruneTests {
    @Test("prune deletes only runs nothing published points at; published results, explanations and the next incremental run are unchanged")
    func prune() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path, "--schools", "4", "--staff", "200"]).status == 0)
        let c = try db.connect()
        // three full runs (each re-points every unit: runs 1 and 2 become history), then an
        // incremental one after a changed score (it re-points one unit and keeps run 3 in use)
        for _ in 0..<3 { #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30", "--full"]).status)) }
        try c.execute("UPDATE evaluation SET score = 61 WHERE ctid = (SELECT ctid FROM evaluation ORDER BY staff_id, school_id, dimension LIMIT 1)")
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
        #expect(try c.query("SELECT string_agg(DISTINCT run_id::text, ',' ORDER BY run_id::text) FROM published_unit").scalar(String.self) == "3,4")
        let before = try IncrementalNightlyTests.publishedState(c)
        let rows = { (run: Int) throws -> Int in
            try c.query("SELECT (SELECT count(*) FROM score_teacher WHERE run_id = $1) + (SELECT count(*) FROM title_result WHERE run_id = $1)", [run]).scalar(Int.self)
        }
        #expect(try rows(1) > 0 && rows(2) > 0)
        let staffNo = try c.query("SELECT min(staff_no) FROM staff").scalar(String.self)
        #expect(try cli.run(["score", "show", staffNo, "--run", "1"]).status == 0)
        // nothing younger than a day is pruned; a dry run deletes nothing
        let young = try cli.run(["nightly", "prune", "--older-than", "1", "--lang", "en"])
        #expect(young.status == 0 && young.stdout.contains("pruned 0 result rows of 0 runs"), "\(young.stdout)")
        let dry = try cli.run(["nightly", "prune", "--older-than", "0", "--dry-run", "--lang", "en"])
        #expect(dry.status == 0 && dry.stdout.contains("of 2 runs (nothing deleted)"), "\(dry.stdout)")
        #expect(try rows(1) > 0)
        // the prune: runs 1 and 2 only
        let pruned = try cli.run(["nightly", "prune", "--older-than", "0", "--lang", "en"])
        #expect(pruned.status == 0 && pruned.stdout.contains("runs; 2 runs kept"), "\(pruned.stdout)")
        #expect(try rows(1) == 0 && rows(2) == 0 && rows(3) > 0 && rows(4) > 0)
        #expect(try IncrementalNightlyTests.publishedState(c) == before)
        #expect(try c.query("SELECT string_agg(run_id::text, ',' ORDER BY run_id) FROM nightly_run WHERE pruned_at IS NOT NULL").scalar(String.self) == "1,2")
        let gone = try cli.run(["score", "show", staffNo, "--run", "1", "--lang", "en"])
        #expect(gone.status == 1 && gone.stderr.contains("run #1's results were pruned on"), "\(gone.stderr)")
        #expect(try cli.run(["score", "show", staffNo]).status == 0)
        // the history keeps every run, marked
        let runs = try cli.run(["nightly", "runs", "--format", "csv", "--lang", "en"])
        #expect(runs.stdout.split(separator: "\n").count == 5)
        // the next incremental run, after another change, equals a full run
        try c.execute("UPDATE evaluation SET score = 62 WHERE ctid = (SELECT ctid FROM evaluation ORDER BY staff_id DESC, school_id, dimension LIMIT 1)")
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
        let incremental = try IncrementalNightlyTests.publishedState(c)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30", "--full"]).status))
        #expect(try IncrementalNightlyTests.publishedState(c) == incremental)
    }
}
