import Foundation
import LibPQ
import Testing
import XuequTestSupport

/// The incremental nightly run publishes exactly what a full run publishes: after scores, a home
/// school, a pool, an ethics record and a departure changed, and after the date moved past a
/// retirement nobody edited that day.
@Suite("xuequ nightly: an incremental run equals a full run")
struct IncrementalNightlyTests {
    /// A digest per result table of what readers see as published (scores through the published
    /// units, titles through the full run and its overrides), without the run ids.
    static func publishedState(_ c: Connection) throws -> [String] {
        let through = """
            published_unit u JOIN score_teacher t ON t.run_id = u.run_id AND t.period_id = u.period_id AND t.unit_school_id = u.unit_school_id
            """
        var digests: [String] = []
        for (label, sql) in [
            ("teacher", "SELECT (to_jsonb(t) - 'run_id')::text AS r FROM \(through)"),
            ("unit", """
                SELECT (to_jsonb(x) - 'run_id')::text FROM published_unit u
                JOIN score_unit x ON x.run_id = u.run_id AND x.period_id = u.period_id AND x.unit_school_id = u.unit_school_id
                """),
            ("dimension", "SELECT (to_jsonb(d) - 'run_id')::text FROM \(through) JOIN score_dimension d ON d.run_id = t.run_id AND d.period_id = t.period_id AND d.staff_id = t.staff_id"),
            ("school", "SELECT (to_jsonb(d) - 'run_id')::text FROM \(through) JOIN score_school d ON d.run_id = t.run_id AND d.period_id = t.period_id AND d.staff_id = t.staff_id"),
            ("part", "SELECT (to_jsonb(d) - 'run_id')::text FROM \(through) JOIN score_part d ON d.run_id = t.run_id AND d.period_id = t.period_id AND d.staff_id = t.staff_id"),
            ("missing", "SELECT (to_jsonb(d) - 'run_id')::text FROM \(through) JOIN score_missing d ON d.run_id = t.run_id AND d.period_id = t.period_id AND d.staff_id = t.staff_id"),
            ("title", "SELECT (to_jsonb(r) - 'run_id')::text FROM district d, title_published_results(d.district_id) r"),
            ("title_rule", """
                SELECT (to_jsonb(x) - 'run_id')::text FROM district d, title_published_results(d.district_id) r
                JOIN title_rule x ON x.run_id = r.run_id AND x.staff_id = r.staff_id
                """),
        ] {
            let row = try c.query("SELECT count(*), coalesce(md5(string_agg(r, '|' ORDER BY r)), '') FROM (\(sql)) s (r)")[0]
            digests.append("\(label) \(row[0] ?? "?") \(row[1] ?? "")")
        }
        return digests
    }

    /// Each published title result with its rules not met, by staff id (to name what differs).
    static func titleRows(_ c: Connection) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try c.query("""
            SELECT r.staff_id::text, (to_jsonb(r) - 'run_id')::text || ' ' || coalesce((
                SELECT string_agg(x.rule || ':' || x.outcome || ':' || x.have || ':' || x.need || ':' || coalesce(x.pass_on::text, '')
                                  || ':' || x.message_en, ' ' ORDER BY x.ord)
                FROM title_rule x WHERE x.run_id = r.run_id AND x.staff_id = r.staff_id), '')
            FROM district d, title_published_results(d.district_id) r
            """) { out[row[0] ?? ""] = row[1] ?? "" }
        return out
    }

    static func differences(_ a: [String: String], _ b: [String: String]) -> String {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }.prefix(5)
            .map { "\($0):\n  \(a[$0] ?? "none")\n  \(b[$0] ?? "none")" }.joined(separator: "\n")
    }

    static func lastRun(_ c: Connection) throws -> (mode: String, units: Int, teachers: Int) {
        let r = try c.query("""
            SELECT mode, coalesce((inputs ->> 'units_recomputed')::integer, 0), coalesce((outputs ->> 'score_teacher')::integer, 0)
            FROM nightly_run ORDER BY run_id DESC LIMIT 1
            """)[0]
        return (r[0] ?? "", Int(r[1] ?? "") ?? -1, Int(r[2] ?? "") ?? -1)
    }

    @Test("changed scores, home school, pool, ethics record and a departure; then a date past an unedited retirement")
    func incrementalEqualsFull() throws {
        let db = try MigratedDatabase.create()
        defer { withExtendedLifetime(db) {} }
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path, "--schools", "12", "--staff", "900", "--assignment-share", "0.3"]).status == 0)
        let c = try db.connect()
        let units = try { () throws -> Int in
            #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
            #expect(try Self.lastRun(c).mode == "full")
            return try c.query("SELECT count(*) FROM published_unit").scalar(Int.self)
        }()
        #expect(units >= 12)
        let before = try Self.publishedState(c)

        // nothing changed: nothing recomputed, the same state
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
        #expect(try Self.lastRun(c) == ("incremental", 0, 0))
        #expect(try Self.publishedState(c) == before)

        // a day's edits: some scores, a teacher moved to another school mid-year, a pool, an
        // ethics record, a teacher who left
        let scored = try c.query("""
            UPDATE evaluation SET score = 100 - score
            WHERE staff_id IN (SELECT staff_id FROM staff ORDER BY staff_no LIMIT 3) RETURNING staff_id
            """).count
        #expect(scored > 0)
        let moved = try c.query("""
            SELECT h.staff_id, h.school_id, (SELECT min(school_id) FROM school WHERE school_id <> h.school_id)
            FROM staff_home_school h
            WHERE upper_inf(h.valid) AND lower(h.valid) < '2026-09-01'
              AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = h.staff_id)
            ORDER BY h.staff_id DESC LIMIT 1
            """)[0]
        let mover = try moved.decode(Int64.self, at: 0), from = try moved.decode(Int.self, at: 1), to = try moved.decode(Int.self, at: 2)
        try c.query("""
            UPDATE staff_home_school SET valid = daterange(lower(valid), '2026-10-01') WHERE staff_id = $1 AND upper_inf(valid);
            """, [mover])
        try c.query("""
            INSERT INTO staff_home_school (staff_id, district_id, school_id, valid)
            SELECT staff_id, district_id, $2, daterange('2026-10-01', NULL) FROM staff WHERE staff_id = $1
            """, [mover, to])
        try c.query("UPDATE incentive_pool SET pool_fen = pool_fen + 12345 WHERE school_id = (SELECT min(school_id) FROM incentive_pool)")
        try c.query("""
            INSERT INTO staff_ethics_record (staff_id, district_id, occurred_on, description)
            SELECT staff_id, district_id, '2027-03-15', '测试：有偿补课' FROM staff ORDER BY staff_no DESC LIMIT 1
            """)
        let leaver = try c.query("""
            SELECT s.staff_id FROM staff_status s WHERE upper_inf(s.valid) AND s.status = 'active' AND lower(s.valid) < '2027-01-01'
            ORDER BY s.staff_id LIMIT 1 OFFSET 7
            """).scalar(Int64.self)
        try c.query("UPDATE staff_status SET valid = daterange(lower(valid), '2027-05-01') WHERE staff_id = $1 AND upper_inf(valid)", [leaver])
        try c.query("""
            INSERT INTO staff_status (staff_id, district_id, status, valid)
            SELECT staff_id, district_id, 'left', daterange('2027-05-01', NULL) FROM staff WHERE staff_id = $1
            """, [leaver])

        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
        let incremental = try Self.lastRun(c)
        #expect(incremental.mode == "incremental")
        #expect(incremental.units > 0 && incremental.units < units, "recomputed \(incremental.units) of \(units) units")
        let afterIncremental = try Self.publishedState(c)
        #expect(afterIncremental != before)
        // the mover is published once, in the new school's unit; the leaver not at all
        #expect(try c.query("""
            SELECT array_agg(t.unit_school_id) FROM published_unit u JOIN score_teacher t
              ON t.run_id = u.run_id AND t.period_id = u.period_id AND t.unit_school_id = u.unit_school_id
            WHERE t.staff_id = $1
            """, [mover]).scalar(String.self) == "{\(to)}")
        #expect(from != to)
        #expect(try c.query("""
            SELECT count(*) FROM published_unit u JOIN score_teacher t
              ON t.run_id = u.run_id AND t.period_id = u.period_id AND t.unit_school_id = u.unit_school_id
            WHERE t.staff_id = $1
            """, [leaver]).scalar(Int.self) == 0)

        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30", "--full"]).status))
        #expect(try Self.lastRun(c).mode == "full")
        #expect(try Self.publishedState(c) == afterIncremental)

        // a retirement entered long ago, effective 2027-07-10: no edit on the day it takes effect,
        // but the run of 2027-07-20 must see it
        let retiree = try c.query("""
            SELECT s.staff_id FROM staff_status s WHERE upper_inf(s.valid) AND s.status = 'active' AND lower(s.valid) < '2027-01-01'
              AND s.staff_id <> $1
            ORDER BY s.staff_id DESC LIMIT 1
            """, [mover]).scalar(Int64.self)
        try c.query("UPDATE staff_status SET valid = daterange(lower(valid), '2027-07-10') WHERE staff_id = $1 AND upper_inf(valid)", [retiree])
        try c.query("""
            INSERT INTO staff_status (staff_id, district_id, status, valid)
            SELECT staff_id, district_id, 'retired', daterange('2027-07-10', NULL) FROM staff WHERE staff_id = $1
            """, [retiree])
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-07-01"]).status))
        #expect(try c.query("SELECT count(*) FROM nightly_change").scalar(Int.self) == 0)
        let published = { () throws -> Int in
            try c.query("""
                SELECT count(*) FROM published_unit u JOIN score_teacher t
                  ON t.run_id = u.run_id AND t.period_id = u.period_id AND t.unit_school_id = u.unit_school_id
                WHERE t.staff_id = $1
                """, [retiree]).scalar(Int.self)
        }
        #expect(try published() == 1)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-07-20"]).status))
        #expect(try Self.lastRun(c).mode == "incremental")
        #expect(try published() == 0)
        let afterDate = try Self.publishedState(c), titlesAfterDate = try Self.titleRows(c)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-07-20", "--full"]).status))
        let fullAfterDate = try Self.titleRows(c)
        #expect(try Self.publishedState(c) == afterDate, "\(Self.differences(titlesAfterDate, fullAfterDate))")

        // six weeks on, still in the school year: the title results too are recomputed only for the
        // teachers whose results may have moved with the date (anniversaries, windows, accruing
        // experience), and equal a full run's
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-08-30"]).status))
        let titlesRecomputed = try c.query("""
            SELECT (inputs ->> 'title_teachers_incremental')::integer FROM nightly_run ORDER BY run_id DESC LIMIT 1
            """).scalar(Int.self)
        let assessed = try c.query("SELECT count(*) FROM district d, title_published_results(d.district_id) r").scalar(Int.self)
        #expect(titlesRecomputed > 0 && titlesRecomputed < assessed / 2, "\(titlesRecomputed) of \(assessed)")
        let lateSummer = try Self.publishedState(c), titlesLateSummer = try Self.titleRows(c)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-08-30", "--full"]).status))
        let fullLateSummer = try Self.titleRows(c)
        #expect(try Self.publishedState(c) == lateSummer, "\(Self.differences(titlesLateSummer, fullLateSummer))")
        #expect(lateSummer != afterDate)

        // the reports read the published units: the mover's explanation names the new school's unit
        let staffNo = try c.query("SELECT staff_no FROM staff WHERE staff_id = $1", [mover]).scalar(String.self)
        let code = try c.query("SELECT code FROM school WHERE school_id = $1", [to]).scalar(String.self)
        let show = try cli.run(["score", "show", staffNo])
        #expect(show.status == 0 && show.stdout.contains(code), "\(show.stdout)\(show.stderr)")
    }

    @Test("districts processed in chunks publish the same results as all at once")
    func chunkedEqualsWhole() throws {
        let db = try MigratedDatabase.create()
        defer { withExtendedLifetime(db) {} }
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        let load = try cli.run(["demo", "load", "--dir", dir.path, "--districts", "3", "--schools", "6", "--staff", "900"])
        #expect(load.status == 0, "\(load.stderr)")
        let c = try db.connect()
        #expect(try c.query("SELECT count(DISTINCT district_id) FROM evaluation").scalar(Int.self) == 3)
        let chunks = { () throws -> Int in
            try c.query("SELECT (inputs ->> 'chunks')::integer FROM nightly_run ORDER BY run_id DESC LIMIT 1").scalar(Int.self)
        }
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30", "--full"]).status))
        #expect(try chunks() == 1)
        let whole = try Self.publishedState(c)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30", "--full", "--chunk-staff", "300"]).status))
        #expect(try chunks() == 3)
        #expect(try Self.publishedState(c) == whole)
        // the digests are of real rows: teachers and title results of all three districts
        #expect(whole.filter { $0.hasPrefix("teacher ") || $0.hasPrefix("title ") }.allSatisfy { !$0.contains(" 0 ") })
        #expect(try c.query("SELECT count(DISTINCT district_id) FROM published_unit").scalar(Int.self) == 3)
    }

    @Test("a run on an earlier date that scores no period still leaves the period's changes to be recomputed")
    func backDatedRun() throws {
        let db = try MigratedDatabase.create()
        defer { withExtendedLifetime(db) {} }
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path, "--schools", "12", "--staff", "900"]).status == 0)
        let c = try db.connect()
        // a statement larger than the check's chunk is checked chunk by chunk: a bad row in the last
        // chunk is still refused, and the statement changes nothing
        try c.execute("SET xuequ.check_chunk_rows = 1000")
        let rows = try c.query("SELECT count(*) FROM evaluation").scalar(Int.self)
        #expect(rows > 3000)
        #expect(throws: PGError.self) {
            try c.query("""
                UPDATE evaluation SET dimension = CASE WHEN (staff_id, school_id, evaluator, dimension) =
                    (SELECT staff_id, school_id, evaluator, dimension FROM evaluation
                     ORDER BY staff_id DESC, school_id DESC, evaluator DESC, dimension DESC LIMIT 1)
                    THEN 'no_such_dimension' ELSE dimension END
                """)
        }
        #expect(try c.query("SELECT count(*) FROM evaluation WHERE dimension = 'no_such_dimension'").scalar(Int.self) == 0)
        #expect(try c.query("UPDATE evaluation SET score = score").affectedRows == rows)
        try c.execute("RESET xuequ.check_chunk_rows")
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
        let before = try Self.publishedState(c)
        #expect(try c.query("""
            UPDATE evaluation SET score = 100 - score WHERE staff_id IN (SELECT staff_id FROM staff ORDER BY staff_no LIMIT 2)
            """).affectedRows > 0)
        // before the period started: nothing to score, the district's notes consumed all the same
        let early = try cli.run(["nightly", "--as-of", "2026-08-01"])
        #expect(early.status == 3, "\(early.stderr)")
        #expect(try c.query("SELECT count(*) FROM nightly_change").scalar(Int.self) == 0)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30"]).status))
        let after = try Self.publishedState(c)
        #expect(after != before)
        #expect(try [0, 3].contains(cli.run(["nightly", "--as-of", "2027-06-30", "--full"]).status))
        #expect(try Self.publishedState(c) == after)
    }
}
