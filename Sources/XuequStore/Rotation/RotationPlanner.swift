import Foundation
import LibPQ
import MIP
import XuequCore

/// Builds the rotation model of domain.md §5 from the database, solves it with CBC and stores the
/// plan: its moves with their cost terms, the soft constraints it had to break, the solver's proof.
/// Candidate moves come from `rotation_candidates()`; every stored plan is then checked by
/// `rotation_plan_violations()`, which shares nothing with this builder.
public struct RotationPlanner {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    public struct Outcome: Sendable {
        public let planID: Int64
        public let status: MIPSolution.Status
        public let objective: Double
        public let gap: Double
        public let movers: Int
        public let columns: Int
        public let rows: Int
        public let seconds: Double
    }

    /// A plan that cannot be made, said plainly (e.g. a pin that is not a candidate move).
    public struct Infeasible: Error, Sendable {
        public let planID: Int64
        public let message: Message
    }

    struct Candidate {
        let staff: Int64
        let home: Int
        let host: Int
        let subject: String
        let cost: Double
        let key: Bool
        let primary: String
        /// The cost terms as the database computed them (exact decimals, for the stored plan).
        let distance: String
        let direction: String
        let preference: String
        let wishRank: String?
    }

    struct Model {
        var mip = MIPModel()
        var candidates: [Candidate] = []
        var x: [Int] = []
        var openings: [(school: Int, subject: String, count: Int, column: Int)] = []
        var quotas: [(school: Int, quota: Int, column: Int)] = []
        var keyColumn = -1
    }

    func fail(_ zh: String, _ en: String) -> StoreError { .notFound(language.pick(zh, en)) }

    /// Makes a new draft plan for a district's plan year, or re-solves a draft (keeping its pins
    /// and forbids), and returns what was proved.
    /// A re-solve takes the district and year from the plan itself; `district` and `year`, when
    /// given with it, must match.
    public func plan(district givenDistrict: String?, year givenYear: Int?, replan planID: Int64? = nil, exportLP: String? = nil,
                     maxSeconds: Double = 300) throws -> Outcome {
        var district = givenDistrict, year = givenYear
        if let planID {
            let rows = try connection.query("""
                SELECT d.code, p.plan_year FROM rotation_plan p JOIN district d USING (district_id) WHERE p.plan_id = $1
                """, [planID], name: "replan scope")
            guard let row = rows.first else { throw fail("没有编号为 \(planID) 的方案", "no plan number \(planID)") }
            let (code, planYear) = (row[0]!, try row.decode(Int.self, at: 1))
            if let d = givenDistrict, d != code { throw fail("方案 #\(planID) 属于 \(code)，不是 \(d)", "plan #\(planID) belongs to \(code), not \(d)") }
            if let y = givenYear, y != planYear { throw fail("方案 #\(planID) 是 \(planYear) 年度的，不是 \(y)", "plan #\(planID) is for \(planYear), not \(y)") }
            district = code
            year = planYear
        }
        guard let district, let year else { throw fail("需要区和年度", "a district and a year are needed") }
        let policy = try PolicyStore(connection: connection).effective(district: district, schoolYear: year)
        return try connection.transaction { conn in
            let d = try conn.query("SELECT district_id FROM district WHERE code = $1", [district], name: "plan district")
            guard let districtID = try d.first?.decode(Int.self, at: 0) else {
                throw fail("没有代码为 \(district) 的区", "no district with code \(district)")
            }
            // one planner per district and year at a time
            try conn.query("SELECT pg_advisory_xact_lock(hashtext('xuequ.plan'), $1)", [districtID * 10_000 + year], name: "plan lock")
            let id: Int64
            if let planID {
                let rows = try conn.query("SELECT status::text, district_id, plan_year FROM rotation_plan WHERE plan_id = $1 FOR UPDATE",
                                          [planID], name: "plan load")
                guard let row = rows.first else { throw fail("没有编号为 \(planID) 的方案", "no plan number \(planID)") }
                guard row[0] == "draft" else {
                    throw fail("方案 #\(planID) 不是草案，不能重新求解", "plan #\(planID) is not a draft and cannot be re-solved")
                }
                id = planID
                try conn.query("DELETE FROM rotation_plan_move WHERE plan_id = $1", [id], name: "plan clear moves")
                try conn.query("DELETE FROM rotation_plan_penalty WHERE plan_id = $1", [id], name: "plan clear penalties")
            } else {
                id = try conn.query("""
                    INSERT INTO rotation_plan (district_id, plan_year, reference_date, policy_version)
                    VALUES ($1, $2::int, rotation_reference_date($1, $2::int), $3) RETURNING plan_id
                    """, [districtID, year, policy.version], name: "plan create")[0].decode(Int64.self, at: 0)
            }
            var model = try build(conn, plan: id, districtID: districtID, year: year, policy: policy.policy)
            do {
                try CBC.requireLibrary()
            } catch {
                throw StoreError.configuration(language.pick("找不到求解器 CBC，无法求解轮岗方案（\(error)）；请安装 coinor-libcbc3",
                                                             "the CBC solver is not available, so the plan cannot be solved (\(error))"))
            }
            if let exportLP { try CBC.writeLP(model.mip, to: exportLP) }
            let solution = try CBC.solve(model.mip, relativeGap: NSDecimalNumber(decimal: policy.policy.rotation.maxGap).doubleValue,
                                     maxSeconds: maxSeconds, tuning: .assignmentLike)
            try store(conn, plan: id, model: &model, solution: solution, policy: policy.policy)
            let movers = solution.values.isEmpty ? 0 : model.x.filter { solution.values[$0] > 0.5 }.count
            return Outcome(planID: id, status: solution.status, objective: solution.objective, gap: solution.gap, movers: movers,
                           columns: model.mip.columns.count, rows: model.mip.rows.count, seconds: solution.seconds)
        }
    }

    func build(_ conn: Connection, plan: Int64, districtID: Int, year: Int, policy: Policy) throws -> Model {
        let r = policy.rotation
        func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }
        var m = Model()
        for row in try conn.query("""
            SELECT staff_id, home_school_id, to_school_id, subject_code, distance_km + direction_cost + preference_cost, is_key, primary_subject,
                   distance_km, direction_cost, preference_cost, wish_rank
            FROM rotation_candidates($1, $2, $3) ORDER BY staff_id, to_school_id, subject_code
            """, [districtID, year, plan], name: "plan candidates") {
            m.candidates.append(Candidate(staff: try row.decode(Int64.self, at: 0), home: try row.decode(Int.self, at: 1),
                                          host: try row.decode(Int.self, at: 2), subject: try row.decode(String.self, at: 3),
                                          cost: try row.decode(Double.self, at: 4), key: row[5] == "t", primary: try row.decode(String.self, at: 6),
                                          distance: row[7] ?? "0", direction: row[8] ?? "0", preference: row[9] ?? "0", wishRank: row[10]))
        }
        // x: one binary per candidate move
        for c in m.candidates {
            m.x.append(m.mip.addColumn("x_\(c.staff)_\(c.host)_\(c.subject)", upper: 1, objective: c.cost, integer: true))
        }
        // 1. each teacher moves at most once
        var byStaff: [Int64: [Int]] = [:]
        for (i, c) in m.candidates.enumerated() { byStaff[c.staff, default: []].append(i) }
        for staff in byStaff.keys.sorted() {
            m.mip.addRow("once_\(staff)", byStaff[staff]!.map { (m.x[$0], 1) }, .lessOrEqual, 1)
        }
        // 2. each opening receives at most its count; unfilled places cost wUnfilled
        var byOpening: [String: [Int]] = [:]
        for (i, c) in m.candidates.enumerated() { byOpening["\(c.host)/\(c.subject)", default: []].append(i) }
        for row in try conn.query("""
            SELECT school_id, subject_code, openings FROM rotation_opening WHERE district_id = $1 AND plan_year = $2
            ORDER BY school_id, subject_code
            """, [districtID, year], name: "plan openings") {
            let school = try row.decode(Int.self, at: 0), subject = try row.decode(String.self, at: 1), count = try row.decode(Int.self, at: 2)
            let u = m.mip.addColumn("unfilled_\(school)_\(subject)", upper: Double(count), objective: double(r.wUnfilled), integer: true)
            m.openings.append((school, subject, count, u))
            m.mip.addRow("opening_\(school)_\(subject)", (byOpening["\(school)/\(subject)"] ?? []).map { (m.x[$0], 1) } + [(u, 1)],
                         .equal, Double(count))
        }
        // 3. no (home school, primary subject) group loses more than floor(share × its 在岗 size)
        var byGroup: [String: [Int]] = [:]
        for (i, c) in m.candidates.enumerated() { byGroup["\(c.home)/\(c.primary)", default: []].append(i) }
        for row in try conn.query("""
            SELECT h.school_id, st.primary_subject, count(*)
            FROM staff st JOIN staff_home_school h ON h.staff_id = st.staff_id AND h.valid @> rotation_reference_date($1, $2)
            JOIN staff_status ss ON ss.staff_id = st.staff_id AND ss.valid @> rotation_reference_date($1, $2) AND ss.status = 'active'
            WHERE st.district_id = $1 GROUP BY 1, 2 ORDER BY 1, 2
            """, [districtID, year], name: "plan subject groups") {
            let school = try row.decode(Int.self, at: 0), subject = try row.decode(String.self, at: 1), size = try row.decode(Int.self, at: 2)
            guard let members = byGroup["\(school)/\(subject)"] else { continue }
            let cap = NSDecimalNumber(decimal: r.maxSubjectLossShare * Decimal(size)).intValue  // floor, exact decimal
            m.mip.addRow("subject_loss_\(school)_\(subject)", members.map { (m.x[$0], 1) }, .lessOrEqual, Double(cap))
        }
        // quota: every home school with an eligible teacher sends ceil(rotationShare × eligible), else pays wQuota each
        var byHome: [Int: [Int]] = [:]
        for (i, c) in m.candidates.enumerated() { byHome[c.home, default: []].append(i) }
        for row in try conn.query("""
            SELECT school_id, count(*) FROM rotation_eligibility($2) WHERE district_id = $1 AND outcome = 'eligible'
            GROUP BY 1 ORDER BY 1
            """, [districtID, year], name: "plan quotas") {
            let school = try row.decode(Int.self, at: 0), eligible = try row.decode(Int.self, at: 1)
            var quota = r.rotationShare * Decimal(eligible)
            var up = Decimal()
            NSDecimalRound(&up, &quota, 0, .up)
            let q = NSDecimalNumber(decimal: up).intValue
            guard q > 0 else { continue }
            let column = m.mip.addColumn("quota_short_\(school)", upper: Double(q), objective: double(r.wQuota), integer: true)
            m.quotas.append((school, q, column))
            m.mip.addRow("quota_\(school)", (byHome[school] ?? []).map { (m.x[$0], 1) } + [(column, 1)], .greaterOrEqual, Double(q))
        }
        // key teachers: short = max(0, keyShare × movers − key movers), paid wKey per teacher short
        m.keyColumn = m.mip.addColumn("key_short", upper: .greatestFiniteMagnitude, objective: double(r.wKey), integer: false)
        let share = double(r.keyShare)
        m.mip.addRow("key_share", m.candidates.indices.map { (m.x[$0], (m.candidates[$0].key ? 1 : 0) - share) } + [(m.keyColumn, 1)],
                     .greaterOrEqual, 0)
        // 4. pins happen (forbidden moves are not candidates at all)
        for row in try conn.query("""
            SELECT r.staff_id, r.school_id, r.subject_code, st.staff_no, sc.code FROM rotation_plan_rule r
            JOIN staff st USING (staff_id) JOIN school sc ON sc.school_id = r.school_id
            WHERE r.plan_id = $1 AND r.kind = 'pin' ORDER BY 1, 2
            """, [plan], name: "plan pins") {
            let staff = try row.decode(Int64.self, at: 0), school = try row.decode(Int.self, at: 1), subject = row[2]
            let matching = (byStaff[staff] ?? []).filter { m.candidates[$0].host == school && (subject == nil || m.candidates[$0].subject == subject) }
            if matching.isEmpty {
                let who = row[3]!, whereTo = row[4]!
                throw Infeasible(planID: plan, message: Message(
                    zh: "钉选的调动 \(who) → \(whereTo)\(subject.map { "（\($0)）" } ?? "") 不是可选的调动（不符合条件、没有对应岗位、学科或学段不符，或距离超过上限），方案无解",
                    en: "the pinned move \(who) → \(whereTo)\(subject.map { " (\($0))" } ?? "") is not a candidate move (not eligible, no such opening, subject or stage, or too far): the plan has no solution"))
            }
            m.mip.addRow("pin_\(staff)_\(school)", matching.map { (m.x[$0], 1) }, .equal, 1)
        }
        return m
    }

    func store(_ conn: Connection, plan: Int64, model: inout Model, solution: MIPSolution, policy: Policy) throws {
        try conn.query("""
            UPDATE rotation_plan SET solver = $2, solve_status = $3, objective = $4, bound = $5, gap = $6, solve_seconds = $7,
                   model_columns = $8, model_rows = $9, infeasible_reason = NULL, inputs = rotation_inputs(district_id, plan_year),
                   reference_date = rotation_reference_date(district_id, plan_year),
                   policy_version = (SELECT max(version) FROM policy_document d WHERE d.district_id = rotation_plan.district_id
                                     AND d.school_year = rotation_plan.plan_year)
            WHERE plan_id = $1
            """, [plan, "CBC \(CBC.version ?? "?")", solution.status.rawValue,
                  solution.objective.isFinite ? Decimal(solution.objective) : nil, solution.bound.isFinite ? Decimal(solution.bound) : nil,
                  solution.gap.isFinite ? Decimal(solution.gap) : nil, Decimal(solution.seconds), model.mip.columns.count, model.mip.rows.count],
            name: "plan result")
        guard !solution.values.isEmpty else { return }
        let chosen = model.candidates.indices.filter { solution.values[model.x[$0]] > 0.5 }
        let c = chosen.map { model.candidates[$0] }
        try conn.query("""
            INSERT INTO rotation_plan_move (plan_id, staff_id, from_school_id, to_school_id, subject_code, distance_km, direction_cost,
                                            preference_cost, wish_rank, is_key, pinned)
            SELECT $1, x.staff_id, x.home, x.host, x.subject, x.distance, x.direction, x.preference, x.wish, x.key,
                   EXISTS (SELECT 1 FROM rotation_plan_rule r WHERE r.plan_id = $1 AND r.kind = 'pin' AND r.staff_id = x.staff_id
                           AND r.school_id = x.host)
            FROM unnest($2::bigint[], $3::integer[], $4::integer[], $5::text[], $6::numeric[], $7::numeric[], $8::numeric[],
                        $9::smallint[], $10::boolean[]) AS x(staff_id, home, host, subject, distance, direction, preference, wish, key)
            """, [plan, c.map(\.staff), c.map(\.home), c.map(\.host), c.map(\.subject), c.map(\.distance), c.map(\.direction),
                  c.map(\.preference), c.map { $0.wishRank.flatMap { Int($0) } }, c.map(\.key)], name: "plan moves")
        var penalties: [(kind: String, school: Int?, subject: String?, amount: Double, penalty: Double)] = []
        let r = policy.rotation
        func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }
        for o in model.openings where solution.values[o.column] > 0.5 {
            let n = solution.values[o.column].rounded()
            penalties.append(("unfilled", o.school, o.subject, n, n * double(r.wUnfilled)))
        }
        for q in model.quotas where solution.values[q.column] > 0.5 {
            let n = solution.values[q.column].rounded()
            penalties.append(("quota", q.school, nil, n, n * double(r.wQuota)))
        }
        let keyShort = solution.values[model.keyColumn]
        if keyShort > 1e-6 { penalties.append(("key", nil, nil, keyShort, keyShort * double(r.wKey))) }
        if !penalties.isEmpty {
            try conn.query("""
                INSERT INTO rotation_plan_penalty (plan_id, kind, school_id, subject_code, amount, penalty)
                SELECT $1, k, s, j, round(a::numeric, 6), round(p::numeric, 6)
                FROM unnest($2::text[], $3::integer[], $4::text[], $5::float8[], $6::float8[]) AS x(k, s, j, a, p)
                """, [plan, penalties.map(\.kind), penalties.map(\.school), penalties.map(\.subject), penalties.map(\.amount),
                      penalties.map(\.penalty)], name: "plan penalties")
        }
        // the independent check of every hard constraint
        let broken = try conn.query("SELECT staff_id, rule, detail FROM rotation_plan_violations($1)", [plan], name: "plan validate")
        if let first = broken.first {
            throw fail("方案 #\(plan) 违反硬约束（\(first[1] ?? "")：\(first[2] ?? "")），未保存；这是程序错误，请报告",
                       "plan #\(plan) breaks a hard constraint (\(first[1] ?? ""): \(first[2] ?? "")) and was not saved; this is a bug, please report it")
        }
    }
}
