import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

/// Timetable slots (travel time, campus changes), the assignment import, and the workload of
/// domain.md §6/§9 on hand-checked numbers.
@Suite("Timetable, assignment import and workload")
struct TimetableWorkloadTests {
    /// DC-HPL holds S001 (T0001's home), S004 and S005, all 小学.
    /// Campus distances (haversine, R = 6371.0): S004/A → S005/A is 0.02° of latitude = 2.224 km,
    /// so travel = ceil(2.224 / 20 × 60) + 10 = ceil(6.67) + 10 = 17 minutes; S004/A → S004/B is
    /// 0.04° = 4.448 km: ceil(13.34) + 10 = 24 minutes.
    static let schools = Fixtures.schools
        + "S004,110101,DC-HPL,和平里第二小学,小学,3,否,39.960000,116.420000\n"
        + "S005,110101,DC-HPL,和平里第三小学,小学,2,否,39.980000,116.420000\n"
        + "S006,110101,,东城区第六中学,初中,2,否,39.940000,116.400000\n"
    static let campuses = """
        school_code,code,name,lat,lon
        S004,A,本部,39.960000,116.420000
        S004,B,北校区,40.000000,116.420000
        S005,A,本部,39.980000,116.420000

        """

    /// T0001 teaches `load` periods a week at home in 2026-27.
    func district(load: Int = 12, homeroom: Bool = false) throws -> (TestDatabase, Connection) {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        var files: [(ImportKind, String)] = [
            (.districts, Fixtures.districts), (.clusters, Fixtures.clusters), (.schools, Self.schools), (.campuses, Self.campuses),
            (.staff, Fixtures.staff), (.loads, "staff_no,school_year,periods_per_week\nT0001,2026,\(load)\nT0002,2026,12\n"),
        ]
        if homeroom { files.append((.homeroomYears, "staff_no,school_year\nT0001,2026\n")) }
        _ = try Importer(connection: conn).importFiles(try Fixtures.write(files))
        return (db, conn)
    }

    func proposal(_ host: String, kind: AssignmentKind = .itinerant, periods: Decimal = 2, from: String = "2026-09-01",
                  until: String = "2027-07-01", slots: [String] = []) -> AssignmentStore.Proposal {
        .init(staffNo: "T0001", hostSchool: host, kind: kind, subject: "数学", periodsPerWeek: periods, start: from, end: until,
              overrideReason: nil, reason: "test", slots: slots.map { AssignmentStore.Slot.parse($0)! })
    }

    /// Proposes and approves; returns the number.
    @discardableResult
    func approved(_ store: AssignmentStore, _ p: AssignmentStore.Proposal) throws -> Int64 {
        let id = try store.propose(p)
        try store.transition(id, to: .approved, reason: "ok")
        return id
    }

    @Test("slot text parses weekday, times and campus; nonsense is refused")
    func slotParsing() {
        #expect(AssignmentStore.Slot.parse("周二 08:00-08:40 B") == .init(weekday: 2, starts: 480, ends: 520, campus: "B"))
        #expect(AssignmentStore.Slot.parse("Fri 13:05–13:50") == .init(weekday: 5, starts: 785, ends: 830, campus: "A"))
        #expect(AssignmentStore.Slot.parse("星期日 9:00-9:45 A")?.weekday == 7)
        #expect(AssignmentStore.Slot.parse("周八 08:00-08:40") == nil)
        #expect(AssignmentStore.Slot.parse("周二 08:40-08:00") == nil)
        #expect(AssignmentStore.Slot.parse("周二 8:0-9:00") == nil)
    }

    @Test("a lesson that only clashes because of travel time is refused, naming the other lesson; exactly the travel time is enough")
    func travelClash() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let first = try approved(store, proposal("S004", slots: ["周二 08:00-08:40 A"]))
        // 10 minutes between the lessons; the two campuses are 17 minutes apart
        let refusal = try #require(throws: RuleRefusal.self) {
            try store.propose(proposal("S005", slots: ["周二 08:50-09:30 A"]))
        }
        #expect(refusal.problems.map(\.rule) == ["slot_clash"])
        #expect(refusal.problems[0].message.zh == "周二 08:50–09:30（S005/A）与#\(first)（A\(first)）的 08:00–08:40（S004/A）冲突：两校区之间需要 17 分钟路程")
        #expect(refusal.problems[0].message.en.hasSuffix("travelling between the campuses takes 17 minutes"))
        // nothing of the refused proposal stays behind
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM assignment") == 1)
        // 16 minutes is still too little; 17 is enough
        #expect(throws: RuleRefusal.self) { try store.propose(proposal("S005", slots: ["周二 08:56-09:30 A"])) }
        let second = try approved(store, proposal("S005", slots: ["周二 08:57-09:30 A"]))
        #expect(second == first + 3)  // identities are not reused after a rollback
        // the same lesson on the same campus needs no travel, only no overlap
        let overlap = try #require(throws: RuleRefusal.self) {
            try store.propose(proposal("S004", slots: ["周二 08:20-09:00 A"]))
        }
        #expect(overlap.problems[0].message.zh.hasSuffix("时间重叠"))
        // back to back on one campus is fine
        _ = try store.propose(proposal("S004", slots: ["周二 07:00-08:00 A"]))
    }

    @Test("a proposed lesson does not bind others; approving it re-checks its slots")
    func proposalsDoNotBind() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .en)
        let a = try store.propose(proposal("S004", slots: ["Tue 08:00-08:40 A"]))
        let b = try store.propose(proposal("S005", slots: ["Tue 08:45-09:30 A"]))
        try store.transition(a, to: .approved, reason: nil)
        let refusal = try #require(throws: RuleRefusal.self) { try store.transition(b, to: .approved, reason: nil) }
        #expect(refusal.problems.map(\.rule) == ["slot_clash"])
        #expect(try conn.query("SELECT status::text FROM assignment WHERE assignment_id = $1", [b])[0][0] == "proposed")
    }

    @Test("more campus changes in a day than the policy allows is refused; the policy's number is used")
    func campusChanges() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        // S004/A 08:00, S005/A 09:00, S004/A 10:00: two changes on Tuesday — the limit
        try approved(store, proposal("S004", slots: ["周二 08:00-08:40 A", "周二 10:00-10:40 A"]))
        try approved(store, proposal("S005", slots: ["周二 09:00-09:20 A"]))
        // a third change (back to S005 at 11:00) is one too many
        let refusal = try #require(throws: RuleRefusal.self) {
            try store.propose(proposal("S005", periods: 1, slots: ["周二 11:00-11:40 A"]))
        }
        #expect(refusal.problems.map(\.rule) == ["campus_changes"])
        #expect(refusal.problems[0].message.zh == "2026-09-01 起每周二要换 3 次校区，超过每天 2 次的上限")
        // the same lesson on Wednesday is fine
        _ = try store.propose(proposal("S005", periods: 1, slots: ["周三 11:00-11:40 A"]))
        // a district that allows three changes a day accepts it
        var policy = Policy.defaults
        policy.assignments.maxCampusChangesPerDay = 3
        try PolicyStore(connection: conn).save(policy, district: "110101", schoolYear: 2026, note: "三次")
        _ = try store.propose(proposal("S005", periods: 1, slots: ["周二 11:00-11:40 A"]))
    }

    @Test("a slot on a campus of another school is refused")
    func slotCampusBelongsToHost() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let refusal = try #require(throws: RuleRefusal.self) { try store.propose(proposal("S005", slots: ["周二 08:00-08:40 B"])) }
        #expect(refusal.problems[0].message.zh == "任职学校没有校区 B")
        // and the database refuses it from any client
        let id = try store.propose(proposal("S005"))
        let error = try #require(throws: PGError.self) {
            try conn.execute("""
                INSERT INTO assignment_slot (assignment_id, weekday, starts, ends, campus_id)
                SELECT \(id), 2, '08:00', '08:40', campus_id FROM campus c JOIN school s USING (school_id) WHERE s.code = 'S004' AND c.code = 'B'
                """)
        }
        #expect(error.constraint == "assignment_slot_campus")
    }

    static let assignmentHeader = "ref,staff_no,host_school_code,kind,subject,periods_per_week,start_on,end_on,status,override_reason\n"

    @Test("an assignment import with bad rows names each by line and writes nothing; fixed, it imports; again, it changes nothing")
    func importAllOrNothing() throws {
        let (db, conn) = try district(load: 16)
        defer { withExtendedLifetime(db) {} }
        let before = try Fixtures.fingerprint(conn)
        // T0001 teaches 16 periods at home: 2 + 2 more approved periods fit; from 2027-01-01 X3 makes
        // 22, and the three approved rows count against each other, so all three are named
        let rows = [
            "X1,T0001,S004,跨校兼课,数学,2,2026-09-01,2027-07-01,已批准,",
            "X2,T0001,S005,走教,数学,2,2026-09-01,2027-07-01,approved,",
            "X3,T0001,S005,走教,数学,2,2027-01-01,2027-07-01,approved,",
            "X4,T0001,S003,跨校兼课,数学,2,2026-09-01,2027-07-01,proposed,",   // outside the 学区, no override; 完全中学
            "X5,T0009,S004,跨校兼课,数学,2,2026-09-01,2027-07-01,,",          // unknown teacher
        ]
        let files = try Fixtures.write([(.assignments, Self.assignmentHeader + rows.joined(separator: "\n") + "\n")])
        let failure = try #require(throws: ImportFailure.self) { try Importer(connection: conn).importFiles(files) }
        let located = failure.issues.map { "\($0.line):\($0.column ?? "")" }
        // line 5 breaks three rules: outside the 学区, the stage, and (against the three approved rows) the load
        #expect(located == ["2:periods_per_week", "3:periods_per_week", "4:periods_per_week", "5:host_school_code", "5:periods_per_week", "6:staff_no"])
        #expect(failure.issues[2].message.zh == "2027-01-01 起每周 22 节（本校 16，已有跨校 4，本次 2），超过上限 20")
        #expect(try Fixtures.fingerprint(conn) == before)

        let good = Self.assignmentHeader + rows.prefix(2).joined(separator: "\n") + "\n"
        let slots = "ref,weekday,starts,ends,campus_code\nX1,周一,14:00,14:40,A\nX1,3,14:00,14:40,B\nX2,星期一,15:00,15:40,A\n"
        let results = try Importer(connection: conn).importFiles(try Fixtures.write([(.assignments, good), (.assignmentSlots, slots)]))
        #expect(results.map(\.rows) == [2, 3])
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM assignment WHERE status = 'approved'") == 2)
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM assignment_slot") == 3)
        #expect(try conn.query("SELECT reason FROM assignment_event WHERE assignment_id = (SELECT assignment_id FROM assignment WHERE ref = 'X1')")[0][0] == "CSV 导入")
        let again = try Importer(connection: conn).importFiles(try Fixtures.write([(.assignments, good), (.assignmentSlots, slots)]))
        #expect(again.allSatisfy { $0.unchanged })
        // a file without the subject column keeps the stored subjects
        let noSubject = "ref,staff_no,host_school_code,kind,periods_per_week,start_on,end_on\nX1,T0001,S004,跨校兼课,2,2026-09-01,2027-07-01\n"
        let kept = try Importer(connection: conn).importFiles(try Fixtures.write([(.assignments, noSubject)]))
        #expect(kept.allSatisfy { $0.unchanged })

        // exports import back unchanged
        var exported: [UInt8] = []
        try Exporter(connection: conn).export(.assignmentSlots) { exported += $0 }
        #expect(String(decoding: exported, as: UTF8.self) == "ref,weekday,starts,ends,campus_code\nX1,1,14:00,14:40,A\nX1,3,14:00,14:40,B\nX2,1,15:00,15:40,A\n")
    }

    @Test("a slot file that clashes by travel time, or names an unknown reference, is refused by line")
    func slotImportRefused() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let assignments = Self.assignmentHeader + "X1,T0001,S004,走教,数学,2,2026-09-01,2027-07-01,approved,\nX2,T0001,S005,走教,数学,2,2026-09-01,2027-07-01,approved,\n"
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([(.assignments, assignments)]))
        let before = try Fixtures.fingerprint(conn)
        // X1 on S004/A until 09:00, X2 on S005/A from 09:10: 10 minutes for a trip of 0.02° = 2.224 km → 17 minutes
        let slots = "ref,weekday,starts,ends,campus_code\nX1,2,08:00,09:00,A\nX2,2,09:10,09:50,A\nX9,2,10:00,10:40,A\nX2,4,07:00,06:50,A\n"
        let failure = try #require(throws: ImportFailure.self) {
            try Importer(connection: conn).importFiles(try Fixtures.write([(.assignmentSlots, slots)]))
        }
        // the file-only check (line 5) stops the file before the database checks
        #expect(failure.issues.map { "\($0.line):\($0.column ?? "")" } == ["5:ends"])
        let fixed = "ref,weekday,starts,ends,campus_code\nX1,2,08:00,09:00,A\nX2,2,09:10,09:50,A\nX9,2,10:00,10:40,A\n"
        let second = try #require(throws: ImportFailure.self) {
            try Importer(connection: conn).importFiles(try Fixtures.write([(.assignmentSlots, fixed)]))
        }
        #expect(second.issues.map { "\($0.line):\($0.column ?? "")" } == ["2:starts", "3:starts", "4:ref"])
        #expect(second.issues[1].message.zh == "周二 09:10–09:50（S005/A）与第 2 行的 08:00–09:00（S004/A）冲突：两校区之间需要 17 分钟路程")
        #expect(try Fixtures.fingerprint(conn) == before)
    }

    @Test("workload on a hand-checked example: home and cross-school periods, weighted periods, shares")
    func workloadHandChecked() throws {
        let (db, conn) = try district(load: 16, homeroom: true)
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        // 4 periods at S004 from 2026-09-01 until 2027-07-01: 303 days of the 365-day school year
        let id = try approved(store, proposal("S004", kind: .partTime, periods: 4))
        let w = try conn.query("""
            SELECT period_days, home_period_days, cross_period_days, round(weighted_periods, 10), homeroom, schools
            FROM workload_summary('2026-09-01', '2027-08-31') JOIN staff USING (staff_id) WHERE staff_no = 'T0001'
            """)[0]
        // weighted = (16 × 365 + 1.2 × 4 × 303) / 365 + 14/2 = 7294.4 / 365 + 7 = 26.9846575342…
        #expect(w[0] == "365" && w[1] == "5840" && w[2] == "1212.0" && w[3] == "26.9846575342" && w[4] == "t" && w[5] == "2")
        let shares = try conn.query("""
            SELECT sc.code, period_days, round(share, 6) FROM workload_shares('2026-09-01', '2027-08-31')
            JOIN school sc USING (school_id) JOIN staff st USING (staff_id) WHERE st.staff_no = 'T0001' ORDER BY 1
            """).map { "\($0[0]!) \($0[1]!) \($0[2]!)" }
        // 5840 / 7052 and 1212 / 7052
        #expect(shares == ["S001 5840 0.828134", "S004 1212.0 0.171866"])

        // ended early on 2027-01-01: 122 days count
        try store.transition(id, to: .active, reason: nil)
        try store.transition(id, to: .ended, reason: "提前结束", endOn: "2027-01-01")
        let ended = try conn.query("""
            SELECT cross_period_days FROM workload_summary('2026-09-01', '2027-08-31') JOIN staff USING (staff_id) WHERE staff_no = 'T0001'
            """)[0][0]
        #expect(ended == "488.0")
    }

    @Test("a placement stops the home load on its days; the policy can count it at the plain rate")
    func placementWorkload() throws {
        let (db, conn) = try district(load: 16)
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        // 14 periods at S004 from 2027-01-01: 243 days in the school year; home 16 for the 122 days before
        try approved(store, proposal("S004", kind: .placement, periods: 14, from: "2027-01-01", until: "2028-01-01"))
        let query = """
            SELECT home_period_days, cross_period_days, round(weighted_periods, 10)
            FROM workload_summary('2026-09-01', '2027-08-31') JOIN staff USING (staff_id) WHERE staff_no = 'T0001'
            """
        // (16 × 122 + 1.2 × 14 × 243) / 365 = 6034.4 / 365
        let row = try conn.query(query)[0]
        #expect([row[0], row[1], row[2]] == ["1952", "3402.0", "16.5326027397"])
        var policy = Policy.defaults
        policy.evaluation.crossSchoolKinds = ["part_time", "itinerant", "cluster_role"]
        try PolicyStore(connection: conn).save(policy, district: "110101", schoolYear: 2026, note: "轮岗不加权")
        // (1952 + 3402) / 365
        #expect(try conn.query(query)[0][2] == "14.6684931507")
    }

    @Test("two sessions approving work for one teacher at once cannot together exceed the weekly limit")
    func concurrentLoad() throws {
        let (db, conn) = try district(load: 16)
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        // 16 at home; each proposal alone fits (16 + 3), both together (22) do not
        let a = try store.propose(proposal("S004", kind: .partTime, periods: 3))
        let b = try store.propose(proposal("S005", kind: .partTime, periods: 3))
        // a third session holds the teacher's lock, so both approvals reach the check and wait there
        // together; without the lock in the rule check they would both pass and not wait at all
        let holder = try db.connect()
        let staffID = try holder.query("SELECT staff_id FROM staff WHERE staff_no = 'T0001'")[0].decode(Int64.self, at: 0)
        try holder.query("SELECT pg_advisory_lock(hashtext('xuequ.teacher'), $1::integer)", [staffID])
        var waiting = 0
        let outcomes = try Fixtures.approveConcurrently([a, b], conninfo: db.conninfo) {
            for _ in 0..<100 where waiting < 2 {
                waiting = try Fixtures.count(holder, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                if waiting < 2 { Thread.sleep(forTimeInterval: 0.05) }
            }
            try holder.query("SELECT pg_advisory_unlock(hashtext('xuequ.teacher'), $1::integer)", [staffID])
        }
        #expect(waiting == 2)
        #expect(outcomes == ["load", "won"])
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM assignment WHERE status = 'approved'") == 1)
    }

    @Test("two schools outside any 学区 are not in one: the host needs an override")
    func noClusterIsNoCluster() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        // T0003 teaches 英语 at S003, which belongs to no 学区; S006 belongs to none either
        let p = AssignmentStore.Proposal(staffNo: "T0003", hostSchool: "S006", kind: .partTime, subject: "英语", periodsPerWeek: 2,
                                         start: "2026-09-01", end: "2027-07-01", overrideReason: nil, reason: nil)
        let refusal = try #require(throws: RuleRefusal.self) { try store.propose(p) }
        #expect(refusal.problems.map(\.rule) == ["outside_cluster"])
        var overridden = p
        overridden.overrideReason = "区人事科批准：支援薄弱校"
        _ = try store.propose(overridden)
    }

    @Test("approving a placement that overlaps an approved one names it, with every other broken rule")
    func overlappingPlacementNamed() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = AssignmentStore(connection: conn, language: .zh)
        let a = try store.propose(proposal("S004", kind: .placement, periods: 12, from: "2026-09-01", until: "2027-09-01"))
        let b = try store.propose(proposal("S005", kind: .placement, periods: 12, from: "2027-01-01", until: "2027-12-01"))
        try store.transition(a, to: .approved, reason: nil)
        let refusal = try #require(throws: RuleRefusal.self) { try store.transition(b, to: .approved, reason: nil) }
        // the EXCLUDE constraint refused it; the rules say why: the other placement, and 12 + 12 periods
        #expect(refusal.problems.map(\.rule) == ["load", "placement_overlap"])
        #expect(refusal.problems[1].message.zh == "与该教师已批准的交流轮岗 #\(a)（A\(a)）（S004，2026-09-01 至 2027-08-31）时间重叠")
        #expect(try conn.query("SELECT status::text FROM assignment WHERE assignment_id = $1", [b])[0][0] == "proposed")
    }
}
