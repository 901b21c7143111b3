import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

/// Who may read and write evaluations, proved in raw SQL as each role: PostgreSQL's row-level
/// security, grants and triggers, not the CLI, are the last word.
///
/// Fixture: T0001 teaches at S001 (home); T0002 at S002 (home) and S003 (approved 跨校兼课);
/// T0003 at S003 (home). Principals: `pa` leads S001; `pac` leads S001 and S003 (一长执两校).
@Suite("Evaluation access, enforced by PostgreSQL")
struct EvaluationAccessTests {
    /// Logins are PostgreSQL roles, shared by every database of the test cluster: unique per test.
    final class Fixture {
        let db: TestDatabase
        let owner: Connection
        let suffix = String(UUID().uuidString.prefix(8)).lowercased()
        var logins: [String] = []

        init() throws {
            db = try MigratedDatabase.create()
            owner = try db.connect()
            let loads = "staff_no,school_year,periods_per_week\nT0001,2026,14\nT0002,2026,12\nT0003,2026,10\n"
            let work = """
                ref,staff_no,host_school_code,kind,subject,periods_per_week,start_on,end_on,status,override_reason
                W1,T0002,S003,part_time,语文,4,2026-09-01,2027-07-01,approved,两校语文教研合作

                """
            _ = try Importer(connection: owner).importFiles(try Fixtures.write(Fixtures.organisation + [
                (.staff, Fixtures.staff), (.loads, loads), (.assignments, work),
                (.evaluationPeriods, "district_code,school_year,starts_on,ends_on\n110101,2026,2026-09-01,2027-08-31\n"),
            ]))
        }

        func login(_ base: String) -> String { "\(base)_\(suffix)" }

        /// Scores `staffNo` at `school` on `c` (the owner resolves the ids).
        @discardableResult
        func score(_ c: Connection, _ staffNo: String, _ school: String, _ evaluator: String, _ dimension: String, _ score: String) throws -> Int {
            let ids = try owner.query("""
                SELECT p.period_id, p.district_id, st.staff_id, sc.school_id FROM evaluation_period p, staff st, school sc
                WHERE st.staff_no = $1 AND sc.code = $2
                """, [staffNo, school])[0]
            return try c.query(EvaluationAccessTests.insert, [ids[0], ids[1], ids[2], ids[3], evaluator, dimension, score]).affectedRows
        }

        func add(_ base: String, _ role: AppRole, schools: [String] = [], district: String? = "110101", staffNo: String? = nil) throws -> String {
            let login = login(base)
            try AccessStore(connection: owner, language: .en).add(.init(
                login: login, role: role, displayName: base, district: role == .auditor || role == .batch ? nil : district,
                cluster: nil, schools: schools, staffNo: staffNo, password: nil))
            logins.append(login)
            return login
        }

        /// A connection acting as `login` (the unix socket trusts local users in the test cluster).
        func connect(as login: String) throws -> Connection {
            try Connection(conninfo: db.conninfo + " user=\(login)")
        }

        deinit {
            for l in logins { _ = try? owner.execute("DROP ROLE IF EXISTS \(owner.escapeIdentifier(l))") }
        }
    }

    /// One score, by staff number and school code, resolved by the owner (a principal may not even
    /// see the teacher: the insert must be refused for what it writes, not find nothing to write).
    static let insert = "INSERT INTO evaluation (period_id, district_id, staff_id, school_id, evaluator, dimension, score) VALUES ($1, $2, $3, $4, $5, $6, $7::numeric)"

    func sqlState(_ body: () throws -> Void) -> String? {
        do { try body() } catch let e as PGError { return e.sqlState } catch { return "other" }
        return nil
    }

    func constraint(_ body: () throws -> Void) -> String? {
        do { try body() } catch let e as PGError { return e.constraint } catch { return "other" }
        return nil
    }

    @Test("a principal writes and reads only their own school's evaluations; others' are invisible and unwritable")
    func principalScope() throws {
        let f = try Fixture()
        let pa = try f.add("pa", .principal, schools: ["S001"])
        // HR's paper form for S002 (as the owner)
        try f.score(f.owner, "T0002", "S002", "paper_s002", "ethics", "90")
        let c = try f.connect(as: pa)
        try f.score(c, "T0001", "S001", pa, "ethics", "88.5")
        #expect(try c.query("SELECT count(*) FROM evaluation").scalar(Int.self) == 1)
        #expect(try c.query("SELECT count(*) FROM evaluation e JOIN school s USING (school_id) WHERE s.code = 'S002'").scalar(Int.self) == 0)
        #expect(sqlState { try f.score(c, "T0002", "S002", pa, "ethics", "70") } == "42501")
        #expect(try c.query("UPDATE evaluation SET score = 1 WHERE evaluator = 'paper_s002'").affectedRows == 0)
        #expect(try c.query("DELETE FROM evaluation WHERE evaluator = 'paper_s002'").affectedRows == 0)
        #expect(try f.owner.query("SELECT score::text FROM evaluation WHERE evaluator = 'paper_s002'").scalar(String.self) == "90")
        // in their own name only
        #expect(sqlState { try f.score(c, "T0001", "S001", "somebody_else", "teaching", "80") } == "42501")
        // staff: their school's teachers, not the others
        #expect(try c.query("SELECT staff_no FROM staff ORDER BY 1").map { $0[0]! } == ["T0001"])
        // results and the audit log are not theirs to read
        #expect(try c.query("SELECT count(*) FROM audit_log WHERE table_name = 'staff'").scalar(Int.self) == 0)
        #expect(sqlState { try c.query("INSERT INTO staff_home_load (staff_id, district_id, school_year, periods_per_week) SELECT staff_id, district_id, 2027, 1 FROM staff") } == "42501")
        // the audit log records the principal's entry in their name
        #expect(try f.owner.query("SELECT actor::text FROM audit_log WHERE table_name = 'evaluation' AND new_row ->> 'evaluator' = $1", [pa])
            .scalar(String.self) == pa)
    }

    @Test("一长执两校: a principal of two schools scores a teacher at the school where they taught, not elsewhere")
    func twoSchools() throws {
        let f = try Fixture()
        let pac = try f.add("pac", .principal, schools: ["S001", "S003"])
        let c = try f.connect(as: pac)
        try f.score(c, "T0002", "S003", pac, "teaching", "91")  // cross-school work at S003
        try f.score(c, "T0003", "S003", pac, "teaching", "85")  // home at S003
        #expect(constraint { try f.score(c, "T0001", "S003", pac, "teaching", "80") } == "evaluation_rule_taught_at")
        #expect(try c.query("SELECT staff_no FROM staff ORDER BY 1").map { $0[0]! } == ["T0001", "T0002", "T0003"])
        // a score outside 0–100 or with two decimals is refused by the table itself
        #expect(sqlState { try f.score(c, "T0003", "S003", pac, "care", "85.25") } == "23514")
        #expect(constraint { try f.score(c, "T0003", "S003", pac, "workload", "85") } == "evaluation_rule_dimension")
    }

    @Test("the auditor reads everything and writes nothing; the batch writes only derived tables")
    func auditorAndBatch() throws {
        let f = try Fixture()
        try f.score(f.owner, "T0001", "S001", "paper", "ethics", "90")
        let auditor = try f.connect(as: try f.add("aud", .auditor))
        #expect(try auditor.query("SELECT count(*) FROM evaluation").scalar(Int.self) == 1)
        #expect(try auditor.query("SELECT count(*) FROM staff").scalar(Int.self) == 3)
        #expect(sqlState { try f.score(auditor, "T0001", "S001", "x", "teaching", "80") } == "42501")
        #expect(sqlState { try auditor.query("UPDATE evaluation SET score = 0") } == "42501")
        #expect(sqlState { try auditor.query("DELETE FROM staff") } == "42501")
        let batch = try f.connect(as: try f.add("bat", .batch))
        #expect(try batch.query("SELECT count(*) FROM evaluation").scalar(Int.self) == 1)
        #expect(sqlState { try batch.query("UPDATE evaluation SET score = 0") } == "42501")
        #expect(sqlState { try f.score(batch, "T0001", "S001", "x", "teaching", "80") } == "42501")
        #expect(sqlState { try batch.query("DELETE FROM audit_log") } == "42501")
        let run = try batch.query("INSERT INTO nightly_run (as_of, districts) VALUES ('2026-11-29', '{}') RETURNING run_id").scalar(Int64.self)
        #expect(run > 0)
    }

    @Test("a 学区 office reads its district's people and its 学区's results, and writes no evaluation")
    func clusterOffice() throws {
        let f = try Fixture()
        try f.score(f.owner, "T0001", "S001", "paper", "ethics", "90")   // S001 is in DC-HPL
        try f.score(f.owner, "T0002", "S002", "paper", "ethics", "80")   // S002 is in DC-ADD
        let login = f.login("co")
        try AccessStore(connection: f.owner, language: .en).add(.init(
            login: login, role: .clusterOffice, displayName: "和平里学区", district: nil, cluster: "DC-HPL",
            schools: [], staffNo: nil, password: nil))
        f.logins.append(login)
        let c = try f.connect(as: login)
        #expect(try c.query("SELECT count(*) FROM staff").scalar(Int.self) == 3)
        #expect(try c.query("SELECT string_agg(s.code, ',') FROM evaluation e JOIN school s USING (school_id)").scalar(String.self) == "S001")
        #expect(sqlState { try f.score(c, "T0001", "S001", "x", "teaching", "80") } == "42501")
        #expect(sqlState { try c.query("UPDATE staff SET name = 'x'") } == "42501")
    }

    @Test("a teacher who moved away mid-period: both principals score their own share, neither sees or edits the other's")
    func teacherMovedAway() throws {
        let f = try Fixture()
        // T0001 leaves S001 for S002 on 2027-02-01, in the middle of the 2026 period
        try f.owner.execute("""
            UPDATE staff_home_school h SET valid = daterange(lower(h.valid), '2027-02-01')
            FROM staff s WHERE s.staff_id = h.staff_id AND s.staff_no = 'T0001' AND upper_inf(h.valid);
            INSERT INTO staff_home_school (staff_id, district_id, school_id, valid)
            SELECT s.staff_id, s.district_id, sc.school_id, daterange('2027-02-01', NULL)
            FROM staff s, school sc WHERE s.staff_no = 'T0001' AND sc.code = 'S002';
            """)
        let pa = try f.add("pa", .principal, schools: ["S001"])
        let pb = try f.add("pb", .principal, schools: ["S002"])
        let a = try f.connect(as: pa), b = try f.connect(as: pb)
        // the old school still reads the teacher and scores the months they taught there
        #expect(try a.query("SELECT staff_no FROM staff ORDER BY 1").map { $0[0]! } == ["T0001"])
        #expect(try f.score(a, "T0001", "S001", pa, "ethics", "90") == 1)
        #expect(try f.score(b, "T0001", "S002", pb, "ethics", "80") == 1)
        // each sees only their own school's score of the teacher
        #expect(try a.query("SELECT string_agg(score::text, ',') FROM evaluation").scalar(String.self) == "90")
        #expect(try b.query("SELECT string_agg(score::text, ',') FROM evaluation").scalar(String.self) == "80")
        // neither may write at the other's school, nor change or delete the other's score
        #expect(sqlState { try f.score(a, "T0001", "S002", pa, "teaching", "70") } == "42501")
        #expect(try a.query("UPDATE evaluation SET score = 1 WHERE evaluator = $1", [pb]).affectedRows == 0)
        #expect(try b.query("DELETE FROM evaluation WHERE evaluator = $1", [pa]).affectedRows == 0)
        #expect(try f.owner.query("SELECT string_agg(score::text || '@' || evaluator, ',' ORDER BY score) FROM evaluation")
            .scalar(String.self) == "80@\(pb),90@\(pa)")
        // moving the old school's score onto the new school is refused too
        #expect(sqlState { try a.query("UPDATE evaluation SET school_id = (SELECT school_id FROM school WHERE code = 'S002') WHERE evaluator = $1", [pa]) } == "42501")
    }

    @Test("a revoked user can no longer log in, and a closed period refuses every edit")
    func revokedAndClosed() throws {
        let f = try Fixture()
        let pa = try f.add("pa", .principal, schools: ["S001"])
        let c = try f.connect(as: pa)
        try f.score(c, "T0001", "S001", pa, "ethics", "88")
        _ = try EvaluationStore(connection: f.owner, language: .en).setStatus(district: nil, year: 2026, to: .closed)
        #expect(constraint { try f.score(c, "T0001", "S001", pa, "teaching", "88") } == "evaluation_rule_period_open")
        #expect(constraint { try c.query("DELETE FROM evaluation") } == "evaluation_rule_period_open")
        try AccessStore(connection: f.owner, language: .en).revoke(login: pa)
        // the open session has lost its group role and its scope
        #expect(sqlState { try c.query("SELECT count(*) FROM evaluation") } == "42501")
        var refused = false
        do { _ = try f.connect(as: pa) } catch let e as PGError { refused = e.kind == .connection && e.message.contains("not permitted to log in") }
        #expect(refused)
    }

    @Test("the rubric of a year that has scores cannot change; other numbers can")
    func rubricFrozen() throws {
        let f = try Fixture()
        let store = PolicyStore(connection: f.owner)
        try store.save(.defaults, district: "110101", schoolYear: 2026, note: nil)
        try f.score(f.owner, "T0001", "S001", "paper", "ethics", "90")
        var changed = Policy.defaults
        changed.evaluation.rubric[2].weight = 25
        changed.evaluation.rubric[3].weight = 20
        #expect(constraint { try store.save(changed, district: "110101", schoolYear: 2026, note: nil) } == "policy_rubric_frozen")
        var other = Policy.defaults
        other.evaluation.excellentShare = Decimal(string: "0.25")!
        #expect(try store.save(other, district: "110101", schoolYear: 2026, note: nil) == 2)
        // another school year is free
        #expect(try store.save(changed, district: "110101", schoolYear: 2027, note: nil) == 1)
    }

    @Test("the attacks a review found stay closed: shadowing temp tables, forged audit rows, another district, self-scoring, moving a closed score")
    func reviewedAttacks() throws {
        let f = try Fixture()
        let pa = try f.add("pa", .principal, schools: ["S001"], staffNo: "T0001")
        let hr = try f.add("hr", .hr)
        try f.score(f.owner, "T0002", "S002", "paper", "ethics", "90")
        let c = try f.connect(as: pa)
        // temp tables named like the scope tables do not shadow them inside the policy functions
        try c.execute("""
            CREATE TEMP TABLE app_user (login name, role app_role, district_id integer, cluster_id integer, revoked_at timestamptz, staff_id bigint);
            CREATE TEMP TABLE app_user_school (login name, school_id integer);
            INSERT INTO app_user VALUES (session_user, 'auditor', NULL, NULL, NULL, NULL);
            INSERT INTO app_user_school SELECT session_user, school_id FROM school;
            """)
        #expect(try c.query("SELECT count(*) FROM evaluation").scalar(Int.self) == 0)
        #expect(try c.query("SELECT xuequ_user_sees_all()").scalar(Bool.self) == false)
        // a principal may not score themselves
        #expect(sqlState { try f.score(c, "T0001", "S001", pa, "ethics", "80") } == "42501")
        // nor does a temp audit_log swallow the audit of an edit
        let pc = try f.add("pc", .principal, schools: ["S003"])
        let c3 = try f.connect(as: pc)
        try c3.execute("CREATE TEMP TABLE audit_log (LIKE public.audit_log)")
        #expect(try f.score(c3, "T0003", "S003", pc, "ethics", "80") == 1)
        #expect(try c3.query("SELECT count(*) FROM pg_temp.audit_log").scalar(Int.self) == 0)
        #expect(try f.owner.query("SELECT actor::text FROM audit_log WHERE table_name = 'evaluation' AND new_row ->> 'evaluator' = $1", [pc])
            .scalar(String.self) == pc)
        // no direct writes to the audit log
        #expect(sqlState { try c.query("INSERT INTO public.audit_log (table_name, op, row_key, new_row) VALUES ('evaluation', 'I', '{}', '{}')") } == "42501")
        // HR edits its own district only, and never the users
        try f.owner.execute("""
            INSERT INTO district (code, name) VALUES ('110102', '西城区');
            INSERT INTO evaluation_period (district_id, school_year, starts_on, ends_on)
            SELECT district_id, 2026, '2026-09-01', '2027-08-31' FROM district WHERE code = '110102';
            """)
        let h = try f.connect(as: hr)
        #expect(try h.query("UPDATE evaluation_period SET status = 'closed' WHERE district_id = (SELECT district_id FROM district WHERE code = '110102')").affectedRows == 0)
        #expect(try h.query("UPDATE evaluation_period SET status = 'closed' WHERE district_id = (SELECT district_id FROM district WHERE code = '110101')").affectedRows == 1)
        #expect(sqlState { try h.query("UPDATE app_user SET role = 'auditor' WHERE login = $1", [hr]) } == "42501")
        // a score of a closed period cannot be moved into an open one
        try f.owner.execute("""
            INSERT INTO evaluation_period (district_id, school_year, starts_on, ends_on)
            SELECT district_id, 2027, '2027-09-01', '2028-08-31' FROM district WHERE code = '110101';
            """)
        #expect(constraint { try f.owner.query("UPDATE evaluation SET period_id = (SELECT period_id FROM evaluation_period WHERE school_year = 2027 AND district_id = evaluation.district_id)") }
            == "evaluation_rule_period_open")
    }
}

/// A principal's evaluations file: all or nothing, every refusal at its line.
@Suite("Evaluation import")
struct EvaluationImportTests {
    func issues(_ body: () throws -> Void) -> [String] {
        do { try body() } catch let f as ImportFailure {
            return f.issues.map { "\($0.line):\($0.column ?? "-")" }
        } catch { return ["\(error)"] }
        return []
    }

    @Test("a principal's CSV: Chinese dimension names, own school only, every error at its line, nothing half-written")
    func principalFile() throws {
        let f = try EvaluationAccessTests.Fixture()
        let pa = try f.add("pa", .principal, schools: ["S001"])
        let c = try f.connect(as: pa)
        let header = "学年,工号,学校代码,维度,分数,评语\n"
        // another school's teacher (line 3): invisible to the principal, and not their school — refused before anything is written
        let scope = header + "2026,T0001,S001,师德表现,92,扎实\n2026,T0003,S003,ethics,80,\n"
        #expect(issues { _ = try Importer(connection: c).importFiles(try Fixtures.write([(.evaluations, scope)])) } == ["3:staff_no", "3:school_code"])
        // a computed dimension (line 3) and two decimals (line 2)
        let bad = header + "2026,T0001,S001,teaching,85.25,\n2026,T0001,S001,workload,80,\n"
        #expect(issues { _ = try Importer(connection: c).importFiles(try Fixtures.write([(.evaluations, bad)])) } == ["2:score"])
        let computed = header + "2026,T0001,S001,teaching,85,\n2026,T0001,S001,workload,80,\n"
        #expect(issues { _ = try Importer(connection: c).importFiles(try Fixtures.write([(.evaluations, computed)])) } == ["3:dimension"])
        #expect(try f.owner.query("SELECT count(*) FROM evaluation").scalar(Int.self) == 0)
        // the good file: Chinese names resolve to the rubric's keys, in the principal's name
        let good = header + "2026,T0001,S001,师德表现,92,扎实\n2026,T0001,S001,教学效果,88.5,\n"
        _ = try Importer(connection: c).importFiles(try Fixtures.write([(.evaluations, good)]))
        #expect(try f.owner.query("SELECT string_agg(dimension || '=' || score || '@' || evaluator, ' ' ORDER BY dimension) FROM evaluation")
            .scalar(String.self) == "ethics=92@\(pa) teaching=88.5@\(pa)")
    }
}
