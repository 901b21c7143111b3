import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

/// Small rotation plans solved by hand (domain.md §5 with the default weights). Plan year 2027.
///
/// Schools on one meridian (lon 116.4): H1 (优质) at 39.900, H2 (优质) at 39.940, R (薄弱) at 39.945.
/// Haversine, R = 6371.0 km, 1° of latitude = 111.195 km: H1 → R = 5.004 km, H2 → R = 0.556 km.
/// Moving to a weaker school costs no direction term; nobody gave wishes, so no preference term.
@Suite("Rotation plans, hand-solved")
struct RotationPlanTests {
    static let schools = """
        code,district_code,cluster_code,name,stage,tier,rural,lat,lon
        H1,110101,DC-HPL,第一小学,小学,1,否,39.900000,116.400000
        H2,110101,DC-HPL,第二小学,小学,1,否,39.940000,116.400000
        R,110101,DC-HPL,第三小学,小学,3,否,39.945000,116.400000

        """
    static let header = "staff_no,name,gender,birth_date,first_employed_on,education,home_school_code,home_since,primary_subject,stage_certs,status,status_since,key_level,key_since\n"

    /// (staff_no, home, since, key): since 2015 → eligible in 2027; since 2025 → not (but counts in
    /// its school's subject group).
    func district(_ people: [(String, String, String, Bool)], openings: String) throws -> (TestDatabase, Connection) {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let staff = Self.header + people.map { p in
            "\(p.0),某某,男,1980-01-01,2005-09-01,本科,\(p.1),\(p.2),数学,小学,在岗,2005-09-01,\(p.3 ? "区级骨干,2020-09-01" : ",")"
        }.joined(separator: "\n") + "\n"
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([
            (.districts, Fixtures.districts), (.clusters, Fixtures.clusters), (.schools, Self.schools), (.staff, staff),
            (.openings, "plan_year,school_code,subject,openings\n" + openings),
        ]))
        return (db, conn)
    }

    func moves(_ conn: Connection, _ plan: Int64) throws -> [String] {
        try conn.query("""
            SELECT st.staff_no || '→' || sc.code FROM rotation_plan_move m JOIN staff st USING (staff_id)
            JOIN school sc ON sc.school_id = m.to_school_id WHERE m.plan_id = $1 ORDER BY 1
            """, [plan]).map { $0[0]! }
    }

    func objective(_ conn: Connection, _ plan: Int64) throws -> String {
        try conn.query("SELECT round(objective, 3)::text FROM rotation_plan WHERE plan_id = $1", [plan])[0][0]!
    }

    /// K (key) at H1 and N at H2 compete for one math opening at R. Each home school's math group
    /// has two teachers (one too recent to rotate), so each may lose one.
    /// K moves: 5.004 + 500 (H2 under its quota of 1) = 505.004.
    /// N moves: 0.556 + 500 (H1 under quota) + 500 × 0.2 (no key teacher among 1 mover) = 600.556.
    static let keyCase: [(String, String, String, Bool)] = [
        ("K", "H1", "2015-09-01", true), ("K2", "H1", "2025-09-01", false),
        ("N", "H2", "2015-09-01", false), ("N2", "H2", "2025-09-01", false),
    ]

    @Test("the key-teacher share makes the key teacher move, though the other move is shorter")
    func keyShareForcesLongerMove() throws {
        let (db, conn) = try district(Self.keyCase, openings: "2027,R,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        let outcome = try RotationPlanner(connection: conn, language: .zh).plan(district: "110101", year: 2027)
        #expect(outcome.status == .optimal && outcome.gap == 0)
        #expect(try moves(conn, outcome.planID) == ["K→R"])
        #expect(try objective(conn, outcome.planID) == "505.004")
        let penalties = try conn.query("""
            SELECT kind || ':' || coalesce(sc.code, '-') || ':' || trim_scale(amount) FROM rotation_plan_penalty x
            LEFT JOIN school sc USING (school_id) WHERE plan_id = $1 ORDER BY 1
            """, [outcome.planID]).map { $0[0]! }
        #expect(penalties == ["quota:H2:1"])
        #expect(try conn.query("SELECT count(*) FROM rotation_plan_violations($1)", [outcome.planID])[0][0] == "0")
    }

    @Test("a pin is honoured: N must move, at the cost the model states")
    func pin() throws {
        let (db, conn) = try district(Self.keyCase, openings: "2027,R,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        let planner = RotationPlanner(connection: conn, language: .zh)
        let first = try planner.plan(district: "110101", year: 2027)
        try conn.query("""
            INSERT INTO rotation_plan_rule (plan_id, staff_id, school_id, kind, reason)
            SELECT $1, st.staff_id, sc.school_id, 'pin', '家近' FROM staff st, school sc WHERE st.staff_no = 'N' AND sc.code = 'R'
            """, [first.planID])
        let again = try planner.plan(district: "110101", year: 2027, replan: first.planID)
        #expect(again.planID == first.planID)
        #expect(try moves(conn, again.planID) == ["N→R"])
        #expect(try objective(conn, again.planID) == "600.556")
        #expect(try conn.query("SELECT pinned FROM rotation_plan_move WHERE plan_id = $1", [again.planID])[0][0] == "t")
        // a pin that is no candidate move (K2 is not eligible) makes the plan infeasible, said plainly
        try conn.query("""
            INSERT INTO rotation_plan_rule (plan_id, staff_id, school_id, kind)
            SELECT $1, st.staff_id, sc.school_id, 'pin' FROM staff st, school sc WHERE st.staff_no = 'K2' AND sc.code = 'R'
            """, [first.planID])
        let infeasible = try #require(throws: RotationPlanner.Infeasible.self) {
            try planner.plan(district: "110101", year: 2027, replan: first.planID)
        }
        #expect(infeasible.message.zh.hasPrefix("钉选的调动 K2 → R 不是可选的调动"))
    }

    /// M1 (key) and M2 are H1's only math teachers, both eligible: the group may lose floor(0.5 × 2)
    /// = 1. R asks for two. Best: M1 moves (5.004), one place stays unfilled (1000); M2 instead
    /// would add the key shortfall (100).
    @Test("the subject-loss cap binds: one of two math teachers stays, an opening is left unfilled")
    func subjectLossCap() throws {
        let (db, conn) = try district([("M1", "H1", "2015-09-01", true), ("M2", "H1", "2015-09-01", false)], openings: "2027,R,数学,2\n")
        defer { withExtendedLifetime(db) {} }
        let outcome = try RotationPlanner(connection: conn, language: .zh).plan(district: "110101", year: 2027)
        #expect(try moves(conn, outcome.planID) == ["M1→R"])
        #expect(try objective(conn, outcome.planID) == "1005.004")
        #expect(try conn.query("SELECT kind FROM rotation_plan_penalty WHERE plan_id = $1", [outcome.planID]).map { $0[0]! } == ["unfilled"])
    }

    @Test("the same data give the same plan; the validator catches a move the model would never make")
    func determinismAndValidator() throws {
        let (db, conn) = try district(Self.keyCase + [("K3", "H1", "2015-09-01", true), ("N3", "H2", "2015-09-01", false)],
                                      openings: "2027,R,数学,2\n")
        defer { withExtendedLifetime(db) {} }
        let planner = RotationPlanner(connection: conn, language: .zh)
        let a = try planner.plan(district: "110101", year: 2027)
        let b = try planner.plan(district: "110101", year: 2027)
        #expect(try moves(conn, a.planID) == moves(conn, b.planID))
        #expect(try objective(conn, a.planID) == objective(conn, b.planID))
        // K2 is not eligible and H2 → H1 is no opening: the validator names both
        try conn.query("""
            INSERT INTO rotation_plan_move (plan_id, staff_id, from_school_id, to_school_id, subject_code, distance_km, direction_cost,
                                            preference_cost, is_key)
            SELECT $1, st.staff_id, h.school_id, t.school_id, 'math', 0, 0, 0, false
            FROM staff st, school h, school t WHERE st.staff_no = 'K2' AND h.code = 'H1' AND t.code = 'H2'
            """, [b.planID])
        let rules = try conn.query("SELECT DISTINCT rule FROM rotation_plan_violations($1) ORDER BY 1", [b.planID]).map { $0[0]! }
        #expect(rules.contains("eligible") && rules.contains("opening"))
    }

    @Test("approve → execute: the moves become 交流轮岗 placements in the teacher's week; the plan is frozen")
    func approveExecute() throws {
        let (db, conn) = try district(Self.keyCase, openings: "2027,R,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        let store = RotationStore(connection: conn, language: .zh)
        let plan = try RotationPlanner(connection: conn, language: .zh).plan(district: "110101", year: 2027).planID
        #expect(throws: StoreError.self) { try store.execute(plan: plan) }   // a draft cannot be executed
        try store.approve(plan: plan)
        // frozen: no pins, no re-solve, no second approval
        #expect(throws: StoreError.self) { try store.addRule(plan: plan, staffNo: "N", school: "R", subject: nil, kind: .pin, reason: nil) }
        #expect(throws: StoreError.self) { try RotationPlanner(connection: conn, language: .zh).plan(district: "110101", year: 2027, replan: plan) }
        let edit = try #require(throws: PGError.self) { try conn.execute("DELETE FROM rotation_plan_move WHERE plan_id = \(plan)") }
        #expect(edit.message == "方案 #\(plan) 已是“已批准”，不能修改")
        #expect(try store.execute(plan: plan) == 1)
        let placement = try conn.query("""
            SELECT a.ref, a.kind::text, a.status::text, a.valid::text, a.periods_per_week::text, sc.code
            FROM assignment a JOIN school sc ON sc.school_id = a.host_school_id JOIN staff st USING (staff_id) WHERE st.staff_no = 'K'
            """)[0]
        let staffID = try conn.query("SELECT staff_id FROM staff WHERE staff_no = 'K'")[0][0]!
        #expect([placement[0], placement[1], placement[2], placement[3], placement[5]]
                == ["R\(plan)-\(staffID)", "placement", "approved", "[2027-09-01,2030-09-01)", "R"])
        #expect(placement[4] == "14.0")  // no home load stored: the standard load
        let week = try WorkloadStore(connection: conn, language: .zh).teacherWeek(staffNo: "K", on: "2027-10-08").render(.csv)
        #expect(week.contains("R\(plan)-\(staffID),R 第三小学,交流轮岗,数学,14,2027-09-01,2030-09-01,已批准"))
        #expect(throws: StoreError.self) { try store.execute(plan: plan) }   // executed once
    }

    @Test("explain answers for a mover and a non-mover in plain Chinese with the numbers")
    func explain() throws {
        let (db, conn) = try district(Self.keyCase, openings: "2027,R,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        let plan = try RotationPlanner(connection: conn, language: .zh).plan(district: "110101", year: 2027).planID
        let store = RotationStore(connection: conn, language: .zh)
        let mover = try store.explain(plan: plan, staffNo: "K")
        #expect(mover[0] == "K 某某，编制学校 H1 第一小学：应交流——自 2015-09-01 起在本校连续任教，到 2027-09-01 已满 6 年。")
        #expect(mover[1] == "本方案安排调往 R 第三小学，任教数学：距离 5.004 公里，方向成本 0（层级 1 → 3），志愿成本 0，合计 5.004。")
        #expect(mover[2] == "这是该教师唯一可去的岗位。")
        let stayer = try store.explain(plan: plan, staffNo: "N")
        #expect(stayer[1] == "本方案没有安排该教师调动。可去的岗位 1 个：")
        #expect(stayer[2] == "  R 第三小学（数学），成本 0.556：岗位已由其他教师填满")
        let recent = try store.explain(plan: plan, staffNo: "K2")
        #expect(recent == ["K2 某某，编制学校 H1 第一小学：不符合条件——自 2025-09-01 起在本校连续任教，到 2027-09-01 未满 6 年（2031-09-01 满）。",
                           "不在本年交流轮岗人选之内。"])
        // the plan's own summary: movers per school against the quota
        let shown = try store.showPlan(plan, brief: true).render(.csv)
        #expect(shown.contains("H1 第一小学,1,1,1,0") && shown.contains("H2 第二小学,1,1,0,0") && shown.contains("R 第三小学,0,0,0,1"))
    }

    @Test("an approved plan may be discarded, freeing its year; the database allows only the legal steps")
    func discardApproved() throws {
        let (db, conn) = try district(Self.keyCase, openings: "2027,R,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        let store = RotationStore(connection: conn, language: .zh)
        let planner = RotationPlanner(connection: conn, language: .zh)
        let first = try planner.plan(district: "110101", year: 2027).planID
        let second = try planner.plan(district: "110101", year: 2027).planID
        // a draft cannot jump to executed, nor change its year once approved
        let jump = try #require(throws: PGError.self) { try conn.execute("UPDATE rotation_plan SET status = 'executed' WHERE plan_id = \(first)") }
        #expect(jump.sqlState == "55000")
        try store.approve(plan: first)
        #expect(throws: StoreError.self) { try store.approve(plan: second) }   // one approved plan per year
        let edit = try #require(throws: PGError.self) { try conn.execute("UPDATE rotation_plan SET plan_year = 2028 WHERE plan_id = \(first)") }
        #expect(edit.sqlState == "55000")
        try store.discard(plan: first)
        try store.approve(plan: second)
        #expect(try store.execute(plan: second) == 1)
        #expect(throws: StoreError.self) { try store.discard(plan: second) }   // executed: never discarded
    }

    @Test("two HR staff approve conflicting plans of one year at the same moment, ten times: exactly one wins, the other is told why")
    func concurrentApprovals() throws {
        let (db, conn) = try district(Self.keyCase, openings: "2027,R,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        let planner = RotationPlanner(connection: conn, language: .zh)
        let conninfo = db.conninfo
        for round in 0..<10 {
            let a = try planner.plan(district: "110101", year: 2027).planID
            // the same plan twice in even rounds, two different plans in odd rounds
            let b = round % 2 == 0 ? a : try planner.plan(district: "110101", year: 2027).planID
            let outcomes = Locked<[String]>([])
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for plan in [a, b] {
                group.enter()
                Thread {
                    defer { group.leave() }
                    do {
                        let own = try Connection(conninfo: conninfo)
                        start.wait()
                        try RotationStore(connection: own, language: .zh).approve(plan: plan)
                        outcomes.withLock { $0.append("won") }
                    } catch let e as StoreError {
                        outcomes.withLock { $0.append("\(e)") }
                    } catch {
                        outcomes.withLock { $0.append("error: \(error)") }
                    }
                }.start()
            }
            start.signal()
            start.signal()
            group.wait()
            let result = outcomes.withLock { $0 }
            #expect(result.count == 2 && result.filter { $0 == "won" }.count == 1, "round \(round): \(result)")
            let loser = result.first { $0 != "won" } ?? ""
            #expect(loser.contains("已有一个批准或执行的方案") || loser.contains("已是“已批准”"), "round \(round): \(loser)")
            #expect(try conn.query("SELECT count(*) FROM rotation_plan WHERE status = 'approved'").scalar(Int.self) == 1)
            // free the year for the next round
            try RotationStore(connection: conn, language: .zh).discard(plan: try conn.query("SELECT plan_id FROM rotation_plan WHERE status = 'approved'").scalar(Int64.self))
        }
    }

    @Test("wishes: rank r costs wPreference × (r − 1), an unwished school costs wPreference × maxWishes, no wishes cost nothing")
    func wishes() throws {
        let (db, conn) = try district(Self.keyCase + [("W", "H2", "2015-09-01", false)], openings: "2027,R,数学,1\n2027,H1,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        // N wishes H1 first and R second; W wishes only H1
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([
            (.wishes, "plan_year,staff_no,rank,school_code\n2027,N,1,H1\n2027,N,2,R\n2027,W,3,H1\n")]))
        let rows = try conn.query("""
            SELECT st.staff_no || '→' || sc.code || ':' || trim_scale(c.preference_cost) || ':' || coalesce(c.wish_rank::text, '-')
            FROM rotation_candidates(1, 2027) c JOIN staff st USING (staff_id) JOIN school sc ON sc.school_id = c.to_school_id ORDER BY 1
            """).map { $0[0]! }
        #expect(rows == ["K→R:0:-", "N→H1:0:1", "N→R:2:2", "W→H1:0:1", "W→R:10:-"])
    }

    @Test("a plan solved before the openings changed is not approved until it is solved again")
    func staleInputs() throws {
        let (db, conn) = try district(Self.keyCase, openings: "2027,R,数学,1\n")
        defer { withExtendedLifetime(db) {} }
        let store = RotationStore(connection: conn, language: .zh)
        let planner = RotationPlanner(connection: conn, language: .zh)
        let plan = try planner.plan(district: "110101", year: 2027).planID
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([(.openings, "plan_year,school_code,subject,openings\n2027,R,数学,2\n")]))
        let refusal = try #require(throws: StoreError.self) { try store.approve(plan: plan) }
        #expect("\(refusal)".contains("已有变化"))
        _ = try planner.plan(district: nil, year: nil, replan: plan)
        try store.approve(plan: plan)
        #expect(try moves(conn, plan) == ["K→R", "N→R"])
    }
}
