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
