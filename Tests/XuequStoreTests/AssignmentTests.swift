import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

/// Cross-school work rules (domain §4), each broken once and named.
@Suite("Cross-school assignments")
struct AssignmentTests {
    /// S001 and S004 (both 小学) share the 学区 DC-HPL; S002 (初中) is in DC-ADD; S003 (完全中学) has none.
    /// T0001 teaches 数学 (also 科学) with a 小学 certificate and 16 periods a week at S001 in 2026.
    func district() throws -> (TestDatabase, Connection) {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let schools = Fixtures.schools + "S004,110101,DC-HPL,和平里第二小学,小学,3,否,39.960000,116.420000\n"
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([
            (.districts, Fixtures.districts), (.clusters, Fixtures.clusters), (.schools, schools), (.staff, Fixtures.staff),
            (.loads, "staff_no,school_year,periods_per_week\nT0001,2026,16\nT0002,2026,12\n"),
        ]))
        return (db, conn)
    }

    func proposal(_ host: String, kind: AssignmentKind = .partTime, subject: String? = "数学", periods: Decimal = 4,
                  from: String = "2026-09-01", until: String = "2027-07-01", override: String? = nil, staff: String = "T0001") -> AssignmentStore.Proposal {
        .init(staffNo: staff, hostSchool: host, kind: kind, subject: subject, periodsPerWeek: periods, start: from, end: until,
              overrideReason: override, reason: "test")
    }

    func rules(_ error: RuleRefusal) -> [String] { error.problems.map(\.rule) }

    @Test("a proposal that keeps every rule is stored as proposed, with its first status event")
    func good() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let id = try store.propose(proposal("S004"))
        let row = try conn.query("SELECT status::text, kind::text, subject_code, valid::text FROM assignment WHERE assignment_id = $1", [id])[0]
        #expect(row[0] == "proposed" && row[1] == "part_time" && row[2] == "math" && row[3] == "[2026-09-01,2027-07-01)")
        let event = try conn.query("SELECT from_status, to_status::text, reason FROM assignment_event WHERE assignment_id = $1", [id])[0]
        #expect(event[0] == nil && event[1] == "proposed" && event[2] == "test")
    }

    @Test("host = home school is refused, naming the school")
    func hostIsHome() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let refusal = try #require(throws: RuleRefusal.self) { try AssignmentStore(connection: conn, language: .zh).propose(proposal("S001")) }
        #expect(rules(refusal) == ["host_is_home"])
        #expect(refusal.problems[0].message.zh == "任职学校 S001 就是该教师的编制学校")
    }

    @Test("a host outside the 学区 and groups needs an override with a reason; a blank reason is refused")
    func outsideCluster() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let refusal = try #require(throws: RuleRefusal.self) { try store.propose(proposal("S003", subject: "数学")) }
        #expect(rules(refusal).contains("outside_cluster"))
        #expect(refusal.problems.first { $0.rule == "outside_cluster" }!.message.en.contains("home school S001"))
        let blank = try #require(throws: RuleRefusal.self) { try store.propose(proposal("S004", override: "  ")) }
        #expect(rules(blank) == ["override"])
        // S003 is a 完全中学 (初中 + 高中): T0001's 小学 certificate does not cover it, override or not
        let stage = try #require(throws: RuleRefusal.self) { try store.propose(proposal("S003", override: "支援")) }
        #expect(rules(stage) == ["stage"])
    }

    @Test("the subject and the host's stage must be covered by the teacher's qualifications")
    func qualification() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let subject = try #require(throws: RuleRefusal.self) { try store.propose(proposal("S004", subject: "英语")) }
        #expect(rules(subject) == ["subject"])
        #expect(subject.problems[0].message.zh == "该教师没有 英语 学科的任教资格")
        // 科学 is a qualified (not primary) subject: allowed
        _ = try store.propose(proposal("S004", subject: "科学"))
        let stage = try #require(throws: RuleRefusal.self) { try store.propose(proposal("S002", subject: "数学", override: "跨学区支援")) }
        #expect(rules(stage) == ["stage"])
    }

    @Test("home load plus cross-school work may not pass the policy's weekly limit on any day; the policy decides the limit")
    func weeklyLoad() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let first = try store.propose(proposal("S004", periods: 3))
        try store.transition(first, to: .approved, reason: nil)
        // 16 home + 3 approved + 2 = 21 > 20, from the day the approved work starts
        let late = try #require(throws: RuleRefusal.self) {
            try store.propose(proposal("S004", subject: "科学", periods: 2, from: "2026-08-01", until: "2027-07-01"))
        }
        #expect(rules(late) == ["load"])
        #expect(late.problems[0].message.zh == "2026-09-01 起每周 21 节（本校 16，已有跨校 3，本次 2），超过上限 20")
        // before September 2026 no home load is recorded and no other work runs: the same work fits there
        _ = try store.propose(proposal("S004", subject: "科学", periods: 2, from: "2026-03-01", until: "2026-07-01"))
        // a district policy with a limit of 22 lets it through
        var policy = Policy.defaults
        policy.assignments.maxWeeklyPeriods = 22
        try PolicyStore(connection: conn).save(policy, district: "110101", schoolYear: 2026, note: nil)
        _ = try store.propose(proposal("S004", subject: "科学", periods: 2))
    }

    @Test("status changes follow the lifecycle; each is recorded with who, when and why")
    func lifecycle() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let id = try store.propose(proposal("S004"))
        let early = try #require(throws: RuleRefusal.self) { try store.transition(id, to: .ended, reason: nil) }
        #expect(early.problems[0].message.zh == "不能从“待批准”改为“已结束”")
        try store.transition(id, to: .approved, reason: "学区统筹")
        let again = try #require(throws: RuleRefusal.self) { try store.transition(id, to: .approved, reason: nil) }
        #expect(rules(again) == ["status"])
        try store.transition(id, to: .active, reason: nil)
        try store.transition(id, to: .ended, reason: "学期结束")
        let events = try conn.query("SELECT to_status::text, reason, by_role::text FROM assignment_event WHERE assignment_id = $1 ORDER BY seq", [id])
        #expect(events.map { $0[0] ?? "" } == ["proposed", "approved", "active", "ended"])
        #expect(events.map { $0[1] } == ["test", "学区统筹", nil, "学期结束"])
        #expect(events.allSatisfy { $0[2] == "xuequ" })
        #expect(throws: PGError.self) { try conn.execute("DELETE FROM assignment_event") }
    }

    @Test("two HR staff approving overlapping placements at the same moment: exactly one wins")
    func concurrentPlacements() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let a = try store.propose(proposal("S004", kind: .placement, periods: 12, from: "2026-09-01", until: "2029-09-01"))
        let b = try store.propose(proposal("S004", kind: .placement, subject: "科学", periods: 12, from: "2027-09-01", until: "2028-09-01"))
        let results = try Fixtures.approveConcurrently([a, b], conninfo: db.conninfo)
        #expect(results.count == 2)
        #expect(results.filter { $0 == "won" }.count == 1)
        #expect(results.contains { $0.contains("placement_overlap") })
        #expect(try conn.query("SELECT count(*) FROM assignment WHERE status = 'approved'")[0].decode(Int.self, at: 0) == 1)
    }

    @Test("the database refuses a rule-breaking row even from a client that skips the checks")
    func databaseHasTheLastWord() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let error = try #require(throws: PGError.self) {
            try conn.execute("""
                INSERT INTO assignment (district_id, staff_id, host_school_id, kind, subject_code, periods_per_week, valid)
                SELECT st.district_id, st.staff_id, s.school_id, 'part_time', 'english', 2, '[2026-09-01,2027-07-01)'
                FROM staff st, school s WHERE st.staff_no = 'T0001' AND s.code = 'S004'
                """)
        }
        #expect(error.sqlState == "23514")
        #expect(error.constraint == "assignment_rule_subject")
        // the trigger names the row it refused: the new assignment's number
        #expect(error.message == "#1：该教师没有 英语 学科的任教资格")
        #expect(error.detail == "#1: the teacher is not qualified for english")
    }
}
