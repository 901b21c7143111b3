import Foundation
import LibPQ
import XuequCore

/// Rotation (交流轮岗) inputs and eligibility: who must rotate in a plan year, who is exempt and
/// why, who is not eligible yet and from when; HR's manual exemptions; the declared openings.
/// Eligibility is the database's `rotation_eligibility()`, one statement for every teacher.
public struct RotationStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    func fail(_ zh: String, _ en: String) -> StoreError { .notFound(language.pick(zh, en)) }

    static let outcome = ReportQuery.term(RotationOutcome.self)
    static let rule = ReportQuery.term(RotationRule.self)

    func checkScope(school: String?, district: String?) throws {
        if let school, try connection.query("SELECT 1 FROM school WHERE code = $1", [school], name: "school exists").isEmpty {
            throw fail("没有代码为 \(school) 的学校", "no school with code \(school)")
        }
        if let district, try connection.query("SELECT 1 FROM district WHERE code = $1", [district], name: "district exists").isEmpty {
            throw fail("没有代码为 \(district) 的区", "no district with code \(district)")
        }
    }

    /// Every teacher's standing for the plan year, filtered.
    public func eligibility(year: Int, district: String? = nil, school: String? = nil, outcome: RotationOutcome? = nil,
                            staffNo: String? = nil) throws -> Report {
        try checkScope(school: school, district: district)
        return try ReportQuery(columns: [
            .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"), .init("school", "学校", "school"),
            .init("outcome", "结论", "outcome", Self.outcome), .init("rule", "依据", "rule", Self.rule),
            .init("reason", "说明", "reason"), .init("eligible_on", "可轮岗日期", "eligible from", .date),
            .init("key", "骨干", "key teacher", .bool),
        ], sql: """
            SELECT st.staff_no, st.name, sc.code, e.outcome, e.rule, CASE WHEN $6 THEN e.reason_zh ELSE e.reason_en END,
                   e.eligible_on, e.is_key
            FROM rotation_eligibility($1) e JOIN staff st USING (staff_id) JOIN school sc ON sc.school_id = e.school_id
            JOIN district di ON di.district_id = e.district_id
            WHERE ($2::text IS NULL OR di.code = $2) AND ($3::text IS NULL OR sc.code = $3)
              AND ($4::text IS NULL OR e.outcome = $4) AND ($5::text IS NULL OR st.staff_no = $5)
            ORDER BY sc.code COLLATE "C", st.staff_no COLLATE "C"
            """).run(on: connection, [year, district, school, outcome?.rawValue, staffNo, language == .zh], language: language,
                     name: "rotation eligibility")
    }

    /// Per school: how many are eligible, exempt, not eligible, and the quota the policy asks
    /// (ceil(rotationShare × eligible), for every school with an eligible teacher).
    public func eligibilitySummary(year: Int, district: String? = nil) throws -> Report {
        try checkScope(school: nil, district: district)
        return try ReportQuery(columns: [
            .init("school", "学校", "school"), .init("tier", "层级", "tier", ReportQuery.term(SchoolTier.self)),
            .init("eligible", "应交流", "eligible", .int), .init("key", "其中骨干", "of which key", .int),
            .init("exempt", "豁免", "exempt", .int), .init("not_eligible", "不符合条件", "not eligible", .int),
            .init("quota", "最少交流人数", "quota", .int),
        ], sql: """
            SELECT sc.code || ' ' || sc.name, sc.tier::text,
                   count(*) FILTER (WHERE e.outcome = 'eligible'), count(*) FILTER (WHERE e.outcome = 'eligible' AND e.is_key),
                   count(*) FILTER (WHERE e.outcome = 'exempt'), count(*) FILTER (WHERE e.outcome = 'not_eligible'),
                   ceil(coalesce(policy_value(sc.district_id, $1, ARRAY['rotation', 'rotationShare'])::numeric, 0.10)
                        * count(*) FILTER (WHERE e.outcome = 'eligible'))::int
            FROM rotation_eligibility($1) e JOIN school sc ON sc.school_id = e.school_id JOIN district di ON di.district_id = e.district_id
            WHERE ($2::text IS NULL OR di.code = $2)
            GROUP BY sc.code, sc.name, sc.tier, sc.district_id
            ORDER BY sc.code COLLATE "C"
            """).run(on: connection, [year, district], language: language, name: "rotation eligibility summary")
    }

    /// Grants an exemption for a plan year; returns its number.
    public func addExemption(staffNo: String, year: Int, reason: String, approver: String) throws -> Int64 {
        guard !reason.trimmedSpaces.isEmpty, !approver.trimmedSpaces.isEmpty else {
            throw fail("豁免必须写明理由和批准人", "an exemption needs a reason and an approver")
        }
        guard (1990...2100).contains(year) else { throw fail("计划年度应在 1990–2100 之间", "the plan year must be 1990–2100") }
        return try connection.transaction { conn in
            let rows = try conn.query("SELECT staff_id, district_id FROM staff WHERE staff_no = $1", [staffNo], name: "exemption staff")
            guard let s = rows.first else { throw fail("没有工号为 \(staffNo) 的教职工", "no staff member with number \(staffNo)") }
            let standing = try conn.query("""
                SELECT exemption_id FROM rotation_exemption WHERE staff_id = $1 AND plan_year = $2 AND revoked_at IS NULL
                """, [try s.decode(Int64.self, at: 0), year], name: "exemption standing")
            if let other = standing.first?[0] {
                throw fail("\(staffNo) 在 \(year) 年度已有豁免 #\(other)；如需更改，请先撤销",
                           "\(staffNo) already has exemption #\(other) for \(year); revoke it first to change it")
            }
            return try conn.query("""
                INSERT INTO rotation_exemption (district_id, staff_id, plan_year, reason, approved_by)
                VALUES ($1, $2, $3, $4, $5) RETURNING exemption_id
                """, [try s.decode(Int.self, at: 1), try s.decode(Int64.self, at: 0), year, reason.trimmedSpaces, approver.trimmedSpaces],
                name: "exemption add")[0].decode(Int64.self, at: 0)
        }
    }

    /// Revokes a standing exemption (it stays on record).
    public func revokeExemption(_ id: Int64, reason: String) throws {
        guard !reason.trimmedSpaces.isEmpty else { throw fail("撤销豁免必须写明理由", "revoking needs a reason") }
        let rows = try connection.query("""
            UPDATE rotation_exemption SET revoked_at = now(), revoked_by = current_user, revoke_reason = $2
            WHERE exemption_id = $1 AND revoked_at IS NULL RETURNING exemption_id
            """, [id, reason.trimmedSpaces], name: "exemption revoke")
        if rows.isEmpty {
            let exists = try connection.query("SELECT 1 FROM rotation_exemption WHERE exemption_id = $1", [id], name: "exemption exists")
            throw exists.isEmpty ? fail("没有编号为 \(id) 的豁免", "no exemption number \(id)")
                                 : fail("豁免 #\(id) 已经撤销", "exemption #\(id) is already revoked")
        }
    }

    /// Exemptions of a plan year (or all), revoked ones included.
    public func exemptions(year: Int?) throws -> Report {
        try ReportQuery(columns: [
            .init("id", "序号", "id", .int), .init("year", "年度", "year", .int), .init("staff_no", "工号", "staff no"),
            .init("name", "姓名", "name"), .init("reason", "理由", "reason"), .init("approved_by", "批准人", "approved by"),
            .init("at", "登记时间", "recorded"), .init("revoked", "撤销", "revoked"),
        ], sql: """
            SELECT e.exemption_id, e.plan_year, st.staff_no, st.name, e.reason, e.approved_by, to_char(e.created_at, 'YYYY-MM-DD HH24:MI'),
                   CASE WHEN e.revoked_at IS NULL THEN NULL
                        ELSE to_char(e.revoked_at, 'YYYY-MM-DD') || ' ' || e.revoked_by || '：' || e.revoke_reason END
            FROM rotation_exemption e JOIN staff st USING (staff_id)
            WHERE $1::int IS NULL OR e.plan_year = $1
            ORDER BY e.plan_year, st.staff_no COLLATE "C", e.exemption_id
            """).run(on: connection, [year], language: language, name: "exemptions")
    }

    /// The openings of a plan year, with what the eligible teachers could fill.
    public func openings(year: Int, district: String? = nil) throws -> Report {
        try checkScope(school: nil, district: district)
        return try ReportQuery(columns: [
            .init("school", "学校", "school"), .init("tier", "层级", "tier", ReportQuery.term(SchoolTier.self)),
            .init("subject", "学科", "subject"), .init("openings", "岗位数", "openings", .int),
        ], sql: """
            SELECT sc.code || ' ' || sc.name, sc.tier::text, j.name_zh, o.openings
            FROM rotation_opening o JOIN school sc USING (school_id) JOIN subject j ON j.code = o.subject_code
            JOIN district di ON di.district_id = o.district_id
            WHERE o.plan_year = $1 AND ($2::text IS NULL OR di.code = $2)
            ORDER BY sc.code COLLATE "C", o.subject_code
            """).run(on: connection, [year, district], language: language, name: "openings")
    }
}

extension RotationStore {
    /// A plan: its proof and summary, the moves with their cost terms, and every soft constraint
    /// it had to break with its penalty.
    public func showPlan(_ id: Int64, brief: Bool = false) throws -> Sections {
        let l = language
        let found = try connection.query("SELECT 1 FROM rotation_plan WHERE plan_id = $1", [id], name: "plan exists")
        if found.isEmpty { throw fail("没有编号为 \(id) 的方案", "no plan number \(id)") }
        var s = Sections(language: l)
        s.add("plan", l.pick("交流轮岗方案", "Rotation plan"), try ReportQuery(columns: [
            .init("id", "方案", "plan", .int), .init("district", "区", "district"), .init("year", "年度", "year", .int),
            .init("reference_date", "基准日", "reference date", .date), .init("status", "状态", "status"),
            .init("solve", "求解结果", "solver result"), .init("objective", "目标值", "objective", .decimal),
            .init("gap", "最优性差距", "gap"), .init("model", "模型规模", "model size"), .init("seconds", "求解用时(秒)", "solve seconds", .decimal),
            .init("movers", "交流人数", "movers", .int), .init("key", "其中骨干", "key teachers", .int),
            .init("key_share", "骨干占比", "key share"), .init("filled", "岗位填补", "openings filled"),
            .init("distance", "总距离(公里)", "total distance (km)", .decimal),
        ], sql: """
            SELECT p.plan_id, di.code || ' ' || di.name, p.plan_year, p.reference_date,
                   CASE WHEN $2 THEN rotation_plan_status_zh(p.status) ELSE p.status::text END,
                   CASE WHEN $2 THEN CASE p.solve_status WHEN 'optimal' THEN '最优' WHEN 'feasible' THEN '已证明差距内的解'
                                                         WHEN 'infeasible' THEN '无解' ELSE '未找到解' END || '（' || p.solver || '）'
                        ELSE p.solve_status || ' (' || p.solver || ')' END,
                   round(p.objective, 3), CASE WHEN p.gap IS NULL THEN NULL ELSE round(100 * p.gap, 4) || '%' END,
                   p.model_columns || ' × ' || p.model_rows, round(p.solve_seconds, 2),
                   (SELECT count(*) FROM rotation_plan_move m WHERE m.plan_id = p.plan_id),
                   (SELECT count(*) FILTER (WHERE is_key) FROM rotation_plan_move m WHERE m.plan_id = p.plan_id),
                   (SELECT CASE WHEN count(*) = 0 THEN '—' ELSE round(100.0 * count(*) FILTER (WHERE is_key) / count(*), 1) || '%' END
                    FROM rotation_plan_move m WHERE m.plan_id = p.plan_id),
                   (SELECT count(*) FROM rotation_plan_move m WHERE m.plan_id = p.plan_id) || ' / '
                       || (SELECT coalesce(sum(openings), 0) FROM rotation_opening o WHERE o.district_id = p.district_id AND o.plan_year = p.plan_year),
                   (SELECT coalesce(sum(distance_km), 0) FROM rotation_plan_move m WHERE m.plan_id = p.plan_id)
            FROM rotation_plan p JOIN district di USING (district_id) WHERE p.plan_id = $1
            """).run(on: connection, [id, l == .zh], language: l, name: "plan header"), record: true)
        s.add("tiers", l.pick("层级之间的流向", "Flow between tiers"), try ReportQuery(columns: [
            .init("from", "派出学校层级", "from tier", ReportQuery.term(SchoolTier.self)),
            .init("to", "接收学校层级", "to tier", ReportQuery.term(SchoolTier.self)), .init("movers", "人数", "movers", .int),
        ], sql: """
            SELECT a.tier::text, b.tier::text, count(*) FROM rotation_plan_move m JOIN school a ON a.school_id = m.from_school_id
            JOIN school b ON b.school_id = m.to_school_id WHERE m.plan_id = $1 GROUP BY 1, 2 ORDER BY 1, 2
            """).run(on: connection, [id], language: l, name: "plan tiers"))
        s.add("quotas", l.pick("各校派出人数与比例要求", "Movers per school against the quota"), try ReportQuery(columns: [
            .init("school", "学校", "school"), .init("eligible", "应交流", "eligible", .int), .init("quota", "最少交流人数", "quota", .int),
            .init("movers", "本方案派出", "movers", .int), .init("received", "本方案接收", "received", .int),
        ], sql: """
            WITH p AS (SELECT * FROM rotation_plan WHERE plan_id = $1),
            e AS (SELECT e.school_id, count(*) AS eligible FROM p, rotation_eligibility(p.plan_year) e
                  WHERE e.district_id = p.district_id AND e.outcome = 'eligible' GROUP BY e.school_id)
            SELECT sc.code || ' ' || sc.name, coalesce(e.eligible, 0),
                   ceil(coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'rotationShare'])::numeric, 0.10)
                        * coalesce(e.eligible, 0))::int,
                   (SELECT count(*) FROM rotation_plan_move m WHERE m.plan_id = p.plan_id AND m.from_school_id = sc.school_id),
                   (SELECT count(*) FROM rotation_plan_move m WHERE m.plan_id = p.plan_id AND m.to_school_id = sc.school_id)
            FROM p JOIN school sc ON sc.district_id = p.district_id LEFT JOIN e ON e.school_id = sc.school_id
            WHERE e.eligible IS NOT NULL OR EXISTS (SELECT 1 FROM rotation_plan_move m WHERE m.plan_id = p.plan_id AND m.to_school_id = sc.school_id)
            ORDER BY sc.code COLLATE "C"
            """).run(on: connection, [id], language: l, name: "plan quotas"))
        if !brief { s.add("moves", l.pick("调动（按派出学校）", "Moves (by sending school)"), try ReportQuery(columns: [
            .init("from", "派出学校", "from"), .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"),
            .init("to", "接收学校", "to"), .init("subject", "学科", "subject"), .init("key", "骨干", "key", .bool),
            .init("distance", "距离(公里)", "km", .decimal), .init("direction", "方向成本", "direction", .decimal),
            .init("preference", "志愿成本", "preference", .decimal), .init("total", "合计", "total", .decimal),
            .init("pinned", "钉选", "pinned", .bool),
        ], sql: """
            SELECT a.code || ' ' || a.name, st.staff_no, st.name, b.code || ' ' || b.name, j.name_zh, m.is_key, m.distance_km,
                   trim_scale(m.direction_cost), trim_scale(m.preference_cost), m.distance_km + m.direction_cost + m.preference_cost, m.pinned
            FROM rotation_plan_move m JOIN staff st USING (staff_id) JOIN school a ON a.school_id = m.from_school_id
            JOIN school b ON b.school_id = m.to_school_id JOIN subject j ON j.code = m.subject_code
            WHERE m.plan_id = $1 ORDER BY a.code COLLATE "C", st.staff_no COLLATE "C"
            """).run(on: connection, [id], language: l, name: "plan moves")) }
        s.add("penalties", l.pick("未能满足的软约束", "Soft constraints broken"), try ReportQuery(columns: [
            .init("kind", "约束", "constraint"), .init("school", "学校", "school"), .init("subject", "学科", "subject"),
            .init("amount", "差额", "short by", .decimal), .init("penalty", "罚分", "penalty", .decimal),
        ], sql: """
            SELECT CASE WHEN $2 THEN CASE x.kind WHEN 'unfilled' THEN '岗位未填满' WHEN 'quota' THEN '派出人数低于比例' ELSE '骨干比例不足' END
                        ELSE x.kind END,
                   sc.code || ' ' || sc.name, j.name_zh, trim_scale(x.amount), trim_scale(x.penalty)
            FROM rotation_plan_penalty x LEFT JOIN school sc ON sc.school_id = x.school_id LEFT JOIN subject j ON j.code = x.subject_code
            WHERE x.plan_id = $1 ORDER BY x.kind, sc.code COLLATE "C", x.subject_code
            """).run(on: connection, [id, l == .zh], language: l, name: "plan penalties"))
        return s
    }
}
