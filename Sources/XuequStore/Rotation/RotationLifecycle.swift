import Foundation
import LibPQ
import XuequCore

/// A plan's life after it is solved: HR pins and forbids moves (then re-solves), approves,
/// executes (the moves become 交流轮岗 placements) or discards; and every teacher's line explains
/// itself.
extension RotationStore {
    public enum RuleKind: String, Sendable { case pin, forbid }

    func planRow(_ conn: Connection, _ id: Int64, lock: Bool = false) throws -> (status: String, district: Int, year: Int, reference: String) {
        let rows = try conn.query("""
            SELECT status::text, district_id, plan_year, reference_date::text FROM rotation_plan WHERE plan_id = $1 \(lock ? "FOR UPDATE" : "")
            """, [id], name: "plan row")
        guard let r = rows.first else { throw fail("没有编号为 \(id) 的方案", "no plan number \(id)") }
        return (r[0]!, try r.decode(Int.self, at: 1), try r.decode(Int.self, at: 2), r[3]!)
    }

    func requireDraft(_ status: String, _ id: Int64) throws {
        guard status == "draft" else {
            let zh = ["approved": "已批准", "executed": "已执行", "discarded": "已作废"][status] ?? status
            throw fail("方案 #\(id) 已是“\(zh)”，不能修改", "plan #\(id) is \(status) and cannot be changed")
        }
    }

    /// Pins (must happen) or forbids (must not) a move in a draft; re-solve to apply it.
    public func addRule(plan: Int64, staffNo: String, school: String, subject: String?, kind: RuleKind, reason: String?) throws {
        try connection.transaction { conn in
            let p = try planRow(conn, plan, lock: true)
            try requireDraft(p.status, plan)
            let staff = try conn.query("SELECT staff_id FROM staff WHERE staff_no = $1 AND district_id = $2", [staffNo, p.district], name: "rule staff")
            guard let staffID = try staff.first?.decode(Int64.self, at: 0) else {
                throw fail("该区没有工号为 \(staffNo) 的教职工", "no staff member \(staffNo) in the plan's district")
            }
            let host = try conn.query("SELECT school_id FROM school WHERE code = $1 AND district_id = $2", [school, p.district], name: "rule school")
            guard let schoolID = try host.first?.decode(Int.self, at: 0) else {
                throw fail("该区没有代码为 \(school) 的学校", "no school \(school) in the plan's district")
            }
            var code: String? = nil
            if let subject {
                let found = try conn.query("SELECT code FROM subject WHERE code = $1 OR name_zh = $1", [subject], name: "subject")
                guard let c = found.first?[0] else { throw fail("未知学科 \(subject)", "unknown subject \(subject)") }
                code = c
            }
            if kind == .pin {
                // one pin per teacher: a second would make the plan infeasible for nothing
                try conn.query("DELETE FROM rotation_plan_rule WHERE plan_id = $1 AND staff_id = $2 AND kind = 'pin'", [plan, staffID], name: "rule unpin")
            }
            try conn.query("""
                INSERT INTO rotation_plan_rule (plan_id, staff_id, school_id, subject_code, kind, reason) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (plan_id, staff_id, school_id, kind) DO UPDATE SET subject_code = EXCLUDED.subject_code, reason = EXCLUDED.reason
                """, [plan, staffID, schoolID, code, kind.rawValue, reason], name: "rule add")
        }
    }

    /// Approves a solved draft whose proof is within the policy's gap and which breaks no hard constraint.
    public func approve(plan: Int64) throws {
        try connection.transaction { conn in
            let p = try planRow(conn, plan, lock: true)
            try requireDraft(p.status, plan)
            let r = try conn.query("""
                SELECT solve_status, gap, coalesce(policy_value(district_id, plan_year, ARRAY['rotation', 'maxGap'])::numeric, 0.001)
                FROM rotation_plan WHERE plan_id = $1
                """, [plan], name: "plan proof")[0]
            guard r[0] == "optimal" || r[0] == "feasible", let gap = Decimal(string: r[1] ?? ""), let maxGap = Decimal(string: r[2] ?? ""),
                  gap <= maxGap else {
                throw fail("方案 #\(plan) 没有在允许的最优性差距内求解（\(r[0] ?? "未求解")，差距 \(r[1] ?? "—")），不能批准",
                           "plan #\(plan) is not solved within the allowed gap (\(r[0] ?? "unsolved"), gap \(r[1] ?? "—")) and cannot be approved")
            }
            let stale = try conn.query("""
                SELECT inputs IS DISTINCT FROM rotation_inputs(district_id, plan_year) FROM rotation_plan WHERE plan_id = $1
                """, [plan], name: "plan inputs")[0][0] == "t"
            if stale {
                throw fail("方案 #\(plan) 求解后，岗位、志愿、豁免或政策已有变化；请用 --replan \(plan) 重新求解后再批准",
                           "openings, wishes, exemptions or the policy changed after plan #\(plan) was solved; re-solve it with --replan \(plan) before approving")
            }
            let broken = try conn.query("SELECT rule, detail FROM rotation_plan_violations($1) LIMIT 1", [plan], name: "plan validate")
            if let b = broken.first {
                throw fail("方案 #\(plan) 违反硬约束（\(b[0] ?? "")：\(b[1] ?? "")），不能批准；请重新求解",
                           "plan #\(plan) breaks a hard constraint (\(b[0] ?? ""): \(b[1] ?? "")); re-solve it")
            }
            do {
                try conn.query("UPDATE rotation_plan SET status = 'approved', decided_at = now(), decided_by = current_user WHERE plan_id = $1",
                               [plan], name: "plan approve")
            } catch let e as PGError where e.sqlState == "23505" {
                throw fail("\(p.year) 年度已有一个批准或执行的方案", "another plan for \(p.year) is already approved or executed")
            }
        }
    }

    /// Discards a draft, or an approved plan that was not executed (freeing its year for another).
    public func discard(plan: Int64) throws {
        try connection.transaction { conn in
            let p = try planRow(conn, plan, lock: true)
            if p.status != "approved" { try requireDraft(p.status, plan) }
            try conn.query("UPDATE rotation_plan SET status = 'discarded', decided_at = now(), decided_by = current_user WHERE plan_id = $1",
                           [plan], name: "plan discard")
        }
    }

    /// Executes an approved plan in one transaction: every move becomes an approved 交流轮岗
    /// placement from the reference date for the policy's placementYears, at the teacher's home
    /// load of that year (the standard load when none is stored). Returns how many.
    public func execute(plan: Int64) throws -> Int {
        try connection.transaction { conn in
            let p = try planRow(conn, plan, lock: true)
            guard p.status == "approved" else {
                throw fail("只有已批准的方案才能执行（方案 #\(plan) 是“\(["draft": "草案", "executed": "已执行", "discarded": "已作废"][p.status] ?? p.status)”）",
                           "only an approved plan can be executed (plan #\(plan) is \(p.status))")
            }
            // what changed since approval (a new exemption, leave, a placement) is checked again
            let broken = try conn.query("""
                SELECT st.staff_no, v.rule, v.detail FROM rotation_plan_violations($1) v LEFT JOIN staff st USING (staff_id) LIMIT 1
                """, [plan], name: "plan revalidate")
            if let b = broken.first {
                throw fail("方案 #\(plan) 批准后情况有变（\(b[0] ?? "")：\(b[1] ?? "") \(b[2] ?? "")），不能执行；请作废后重新制定",
                           "plan #\(plan) no longer holds (\(b[0] ?? ""): \(b[1] ?? "") \(b[2] ?? "")); discard it and plan again")
            }
            try conn.query("SELECT set_config('xuequ.reason', $1, true)", ["交流轮岗方案 #\(plan)"], name: "reason")
            let n: Int
            do {
                n = try conn.query("""
                WITH pol AS (
                    SELECT coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'placementYears'])::int, 3) AS years,
                           coalesce(policy_value(p.district_id, p.plan_year, ARRAY['evaluation', 'standardWeeklyPeriods'])::int, 14) AS standard,
                           p.reference_date, p.plan_id
                    FROM rotation_plan p WHERE p.plan_id = $1)
                INSERT INTO assignment (district_id, staff_id, host_school_id, kind, subject_code, periods_per_week, valid, status,
                                        override_reason, ref)
                SELECT st.district_id, m.staff_id, m.to_school_id, 'placement', m.subject_code,
                       least(20, greatest(1, coalesce(nullif(l.periods_per_week, 0), pol.standard))),
                       daterange(pol.reference_date, (pol.reference_date + make_interval(years => pol.years))::date), 'approved',
                       '交流轮岗方案 #' || pol.plan_id || '（区人事科批准）', 'R' || pol.plan_id || '-' || m.staff_id
                FROM rotation_plan_move m JOIN pol USING (plan_id) JOIN staff st USING (staff_id)
                LEFT JOIN staff_home_load l ON l.staff_id = m.staff_id AND l.school_year = school_year_of(pol.reference_date)
                ORDER BY m.staff_id
                """, [plan], name: "plan execute").affectedRows
            } catch let error as PGError where error.sqlState?.hasPrefix("23") == true {
                // a mover's other cross-school work no longer leaves room for the placement
                throw fail("方案 #\(plan) 不能执行：\(error.message.replacingOccurrences(of: "\n", with: "；"))。请作废后重新制定",
                           "plan #\(plan) cannot be executed: \((error.detail ?? error.message).replacingOccurrences(of: "\n", with: "; ")). Discard it and plan again")
            }
            try conn.query("UPDATE rotation_plan SET status = 'executed', executed_at = now(), executed_by = current_user WHERE plan_id = $1",
                           [plan], name: "plan executed")
            return n
        }
    }

    /// Why this teacher moves where, or why not — plain sentences with the numbers.
    public func explain(plan: Int64, staffNo: String) throws -> [String] {
        let l = language
        let p = try planRow(connection, plan)
        let staff = try connection.query("SELECT staff_id, name FROM staff WHERE staff_no = $1", [staffNo], name: "explain staff")
        guard let s = staff.first else { throw fail("没有工号为 \(staffNo) 的教职工", "no staff member with number \(staffNo)") }
        let staffID = try s.decode(Int64.self, at: 0), name = s[1] ?? ""
        var lines: [String] = []
        let e = try connection.query("""
            SELECT outcome, CASE WHEN $3 THEN reason_zh ELSE reason_en END, sc.code || ' ' || sc.name
            FROM rotation_eligibility($2) e JOIN school sc USING (school_id) WHERE e.staff_id = $1
            """, [staffID, p.year, l == .zh], name: "explain eligibility")
        guard let er = e.first else {
            return [l.pick("\(staffNo) \(name) 在 \(p.reference) 没有编制学校记录，不在本方案范围内。",
                           "\(staffNo) \(name) has no home school on \(p.reference) and is outside this plan.")]
        }
        let outcome = RotationOutcome(rawValue: er[0]!)!
        lines.append(l.pick("\(staffNo) \(name)，编制学校 \(er[2]!)：\(outcome.zh)——\(er[1]!)。",
                            "\(staffNo) \(name), home school \(er[2]!): \(outcome.en) — \(er[1]!)."))
        let move = try connection.query("""
            SELECT sc.code || ' ' || sc.name, j.name_zh, j.code, m.distance_km, trim_scale(m.direction_cost), trim_scale(m.preference_cost),
                   m.wish_rank, m.pinned, m.distance_km + m.direction_cost + m.preference_cost, a.tier, sc.tier
            FROM rotation_plan_move m JOIN school sc ON sc.school_id = m.to_school_id JOIN school a ON a.school_id = m.from_school_id
            JOIN subject j ON j.code = m.subject_code WHERE m.plan_id = $1 AND m.staff_id = $2
            """, [plan, staffID], name: "explain move")
        let candidates = try connection.query("""
            SELECT sc.code || ' ' || sc.name, j.name_zh, c.distance_km + c.direction_cost + c.preference_cost, c.to_school_id, c.subject_code,
                   (SELECT count(*) FROM rotation_plan_move m WHERE m.plan_id = $3 AND m.to_school_id = c.to_school_id AND m.subject_code = c.subject_code),
                   (SELECT o.openings FROM rotation_opening o WHERE o.plan_year = $4 AND o.school_id = c.to_school_id AND o.subject_code = c.subject_code)
            FROM rotation_candidates($1, $4, $3) c JOIN school sc ON sc.school_id = c.to_school_id JOIN subject j ON j.code = c.subject_code
            WHERE c.staff_id = $2 ORDER BY 3, sc.code COLLATE "C", c.subject_code
            """, [p.district, staffID, plan, p.year], name: "explain candidates")
        if let m = move.first {
            let terms = l.pick("距离 \(m[3]!) 公里，方向成本 \(m[4]!)（层级 \(m[9]!) → \(m[10]!)），志愿成本 \(m[5]!)\(m[6].map { "（第 \($0) 志愿）" } ?? "")，合计 \(m[8]!)",
                               "distance \(m[3]!) km, direction cost \(m[4]!) (tier \(m[9]!) → \(m[10]!)), preference cost \(m[5]!)\(m[6].map { " (wish \($0))" } ?? ""), total \(m[8]!)")
            lines.append(l.pick("本方案安排调往 \(m[0]!)，任教\(m[1]!)\(m[7] == "t" ? "（人事科钉选）" : "")：\(terms)。",
                                "This plan moves them to \(m[0]!) to teach \(m[2]!)\(m[7] == "t" ? " (pinned by HR)" : ""): \(terms)."))
            let others = candidates.filter { !($0[0] == m[0] && $0[1] == m[1]) }
            if let best = others.first {
                lines.append(l.pick("其他可去的岗位 \(others.count) 个，最低成本的是 \(best[0]!)（\(best[1]!)，\(best[2]!)）；方案取总目标最小的组合，而不是每个人各自最近的岗位。",
                                    "\(others.count) other possible openings; the cheapest is \(best[0]!) (\(best[4]!), \(best[2]!)); the plan takes the combination with the smallest total, not each teacher's nearest opening."))
            } else {
                lines.append(l.pick("这是该教师唯一可去的岗位。", "This is the teacher's only possible opening."))
            }
            return lines
        }
        guard outcome == .eligible else { return lines + [l.pick("不在本年交流轮岗人选之内。", "Not a candidate for this year's rotation.")] }
        if candidates.isEmpty {
            lines.append(l.pick("没有可去的岗位：本年度没有该教师能任教的学科、学段在 \(try maxKm(p)) 公里内的空缺。",
                                "No possible opening: none in a subject and stage the teacher is qualified for within \(try maxKm(p)) km."))
            return lines
        }
        lines.append(l.pick("本方案没有安排该教师调动。可去的岗位 \(candidates.count) 个：", "This plan does not move the teacher. \(candidates.count) possible openings:"))
        for c in candidates.prefix(3) {
            let full = Int(c[5] ?? "0") ?? 0 >= Int(c[6] ?? "0") ?? 0
            lines.append(l.pick("  \(c[0]!)（\(c[1]!)），成本 \(c[2]!)：\(full ? "岗位已由其他教师填满" : "岗位未满，但让该教师调动会使总目标变大（例如本校同学科派出已到上限，或其他约束）")",
                                "  \(c[0]!) (\(c[4]!)), cost \(c[2]!): \(full ? "filled by other teachers" : "not full, but moving this teacher would raise the total (e.g. the home school's subject group is at its cap, or another constraint)")"))
        }
        return lines
    }

    func maxKm(_ p: (status: String, district: Int, year: Int, reference: String)) throws -> String {
        try connection.query("SELECT trim_scale(coalesce(policy_value($1, $2, ARRAY['rotation', 'maxDistanceKm'])::numeric, 25))::text",
                             [p.district, p.year], name: "max km")[0][0] ?? "25"
    }
}
