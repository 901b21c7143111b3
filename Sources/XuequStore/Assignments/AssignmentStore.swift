import Foundation
import LibPQ
import XuequCore

/// Cross-school work: propose, change status, list and show. The rules are the database's
/// `assignment_violations()`; this store asks it first so that a refusal lists every broken rule.
public struct AssignmentStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    /// What HR proposes.
    public struct Proposal: Sendable {
        public var staffNo: String
        public var hostSchool: String
        public var kind: AssignmentKind
        public var subject: String?
        public var periodsPerWeek: Decimal
        /// First day, and the day after the last (the range is [start, end)).
        public var start: String
        public var end: String
        public var overrideReason: String?
        public var reason: String?

        public init(staffNo: String, hostSchool: String, kind: AssignmentKind, subject: String?, periodsPerWeek: Decimal,
                    start: String, end: String, overrideReason: String?, reason: String?) {
            self.staffNo = staffNo
            self.hostSchool = hostSchool
            self.kind = kind
            self.subject = subject
            self.periodsPerWeek = periodsPerWeek
            self.start = start
            self.end = end
            self.overrideReason = overrideReason
            self.reason = reason
        }
    }

    func fail(_ zh: String, _ en: String) -> StoreError { .notFound(language.pick(zh, en)) }

    /// Checks the proposal against every rule and stores it as `proposed`; returns its number.
    public func propose(_ p: Proposal) throws -> Int64 {
        guard let start = CivilDate.normalize(p.start), let end = CivilDate.normalize(p.end) else {
            throw fail("日期无效（格式 YYYY-MM-DD）", "invalid date (YYYY-MM-DD)")
        }
        guard start < end else { throw fail("结束日期必须晚于开始日期", "the end must come after the start") }
        if let reason = p.overrideReason, reason.trimmedSpaces.isEmpty {
            throw AssignmentRefusal(problems: [("override", Message(zh: "越过学区或集团的安排必须写明理由", en: "an override needs a reason"))])
        }
        return try connection.transaction { conn in
            let staff = try conn.query("SELECT staff_id, district_id FROM staff WHERE staff_no = $1", [p.staffNo], name: "assignment staff")
            guard let s = staff.first else { throw fail("没有工号为 \(p.staffNo) 的教职工", "no staff member with number \(p.staffNo)") }
            let staffID = try s.decode(Int64.self, at: 0), districtID = try s.decode(Int.self, at: 1)
            let host = try conn.query("SELECT school_id, district_id FROM school WHERE code = $1", [p.hostSchool], name: "assignment host")
            guard let h = host.first else { throw fail("没有代码为 \(p.hostSchool) 的学校", "no school with code \(p.hostSchool)") }
            if try h.decode(Int.self, at: 1) != districtID {
                throw AssignmentRefusal(problems: [("district", Message(zh: "任职学校不在该教师所在的区", en: "the host school is in another district"))])
            }
            var subject: String? = nil
            if let given = p.subject {
                let found = try conn.query("SELECT code FROM subject WHERE code = $1 OR name_zh = $1", [given], name: "subject")
                guard let code = found.first?[0] else { throw fail("未知学科 \(given)", "unknown subject \(given)") }
                subject = code
            }
            let valid = "[\(start),\(end))"
            let problems = try violations(conn, staffID: staffID, hostID: try h.decode(Int.self, at: 0), kind: p.kind, subject: subject,
                                          periods: p.periodsPerWeek, valid: valid, overrideReason: p.overrideReason,
                                          districtID: districtID, ignore: nil)
            if !problems.isEmpty { throw AssignmentRefusal(problems: problems) }
            try conn.query("SELECT set_config('xuequ.reason', $1, true)", [p.reason ?? ""], name: "reason")
            return try conn.query("""
                INSERT INTO assignment (district_id, staff_id, host_school_id, kind, subject_code, periods_per_week, valid, override_reason)
                VALUES ($1, $2, $3, $4::assignment_kind, $5, $6, $7::daterange, $8) RETURNING assignment_id
                """, [districtID, staffID, try h.decode(Int.self, at: 0), p.kind.rawValue, subject, p.periodsPerWeek, valid,
                      p.overrideReason], name: "assignment insert")[0].decode(Int64.self, at: 0)
        }
    }

    func violations(_ conn: Connection, staffID: Int64, hostID: Int, kind: AssignmentKind, subject: String?, periods: Decimal,
                    valid: String, overrideReason: String?, districtID: Int, ignore: Int64?) throws -> [(rule: String, message: Message)] {
        try conn.query("""
            SELECT rule, message_zh, message_en FROM assignment_violations($1, $2, $3::assignment_kind, $4, $5, $6::daterange, $7,
                policy_number($8, CASE WHEN extract(month FROM lower($6::daterange)) >= 9 THEN extract(year FROM lower($6::daterange))
                                       ELSE extract(year FROM lower($6::daterange)) - 1 END::int,
                              ARRAY['assignments', 'maxWeeklyPeriods'], 20)::int, $9)
            """, [staffID, hostID, kind.rawValue, subject, periods, valid, overrideReason, districtID, ignore], name: "assignment rules")
            .map { (try $0.decode(String.self, at: 0), Message(zh: try $0.decode(String.self, at: 1), en: try $0.decode(String.self, at: 2))) }
    }

    /// Moves an assignment to a new status (only the legal moves); approval re-checks every rule.
    public func transition(_ id: Int64, to status: AssignmentStatus, reason: String?) throws {
        try connection.transaction { conn in
            let rows = try conn.query("""
                SELECT staff_id, host_school_id, kind::text, subject_code, periods_per_week, valid::text, override_reason, district_id, status::text
                FROM assignment WHERE assignment_id = $1 FOR UPDATE
                """, [id], name: "assignment lock")
            guard let a = rows.first else { throw fail("没有编号为 \(id) 的跨校任教安排", "no assignment number \(id)") }
            let from = AssignmentStatus(rawValue: a[8]!)!
            if from == status {
                throw AssignmentRefusal(problems: [("status", Message(zh: "安排 #\(id) 已经是“\(status.zh)”", en: "assignment #\(id) is already \(status.rawValue)"))])
            }
            if status == .approved || status == .active {
                let problems = try violations(conn, staffID: try a.decode(Int64.self, at: 0), hostID: try a.decode(Int.self, at: 1),
                                              kind: AssignmentKind(rawValue: a[2]!)!, subject: a[3], periods: try a.decode(Decimal.self, at: 4),
                                              valid: a[5]!, overrideReason: a[6], districtID: try a.decode(Int.self, at: 7), ignore: id)
                if !problems.isEmpty { throw AssignmentRefusal(problems: problems) }
            }
            try conn.query("SELECT set_config('xuequ.reason', $1, true)", [reason ?? ""], name: "reason")
            do {
                try conn.query("UPDATE assignment SET status = $2::assignment_status WHERE assignment_id = $1", [id, status.rawValue],
                               name: "assignment status")
            } catch let error as PGError where error.isExclusionViolation {
                let other = try? conn.query("""
                    SELECT o.assignment_id, o.valid::text FROM assignment o JOIN assignment a ON a.assignment_id = $1
                    WHERE o.staff_id = a.staff_id AND o.kind = 'placement' AND o.status IN ('approved', 'active')
                      AND o.valid && a.valid AND o.assignment_id <> a.assignment_id LIMIT 1
                    """, [id], name: "placement conflict")
                let who = other?.first.map { "#\($0[0] ?? "") \($0[1] ?? "")" } ?? ""
                throw AssignmentRefusal(problems: [("placement_overlap", Message(
                    zh: "与该教师已批准的交流轮岗 \(who) 时间重叠", en: "overlaps the teacher's approved placement \(who)"))])
            } catch let error as PGError where error.constraint == "assignment_status_transition" {
                throw AssignmentRefusal(problems: [("status", Message(
                    zh: "不能从“\(from.zh)”改为“\(status.zh)”", en: "cannot go from \(from.rawValue) to \(status.rawValue)"))])
            }
        }
    }

    /// Assignments with filters.
    public func list(staffNo: String? = nil, school: String? = nil, status: AssignmentStatus? = nil, kind: AssignmentKind? = nil,
                     id: Int64? = nil) throws -> Report {
        try ReportQuery(columns: [
            .init("id", "编号", "id", .int), .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"),
            .init("home", "编制学校", "home"), .init("host", "任职学校", "host"),
            .init("kind", "类型", "kind", ReportQuery.term(AssignmentKind.self)), .init("subject", "学科", "subject"),
            .init("periods", "周课时", "periods", .decimal), .init("start", "开始", "from", .date), .init("end", "结束", "until", .date),
            .init("status", "状态", "status", ReportQuery.term(AssignmentStatus.self)),
        ], sql: """
            SELECT a.assignment_id, st.staff_no, st.name, hs.code, s.code, a.kind::text, j.name_zh, a.periods_per_week,
                   lower(a.valid), upper(a.valid), a.status::text
            FROM assignment a JOIN staff st USING (staff_id) JOIN school s ON s.school_id = a.host_school_id
            LEFT JOIN staff_home_school h ON h.staff_id = a.staff_id AND h.valid @> lower(a.valid)
            LEFT JOIN school hs ON hs.school_id = h.school_id LEFT JOIN subject j ON j.code = a.subject_code
            WHERE ($1::text IS NULL OR st.staff_no = $1) AND ($2::text IS NULL OR s.code = $2 OR hs.code = $2)
              AND ($3::text IS NULL OR a.status::text = $3) AND ($4::text IS NULL OR a.kind::text = $4)
              AND ($5::bigint IS NULL OR a.assignment_id = $5)
            ORDER BY a.assignment_id
            """).run(on: connection, [staffNo, school, status?.rawValue, kind?.rawValue, id], language: language, name: "assignment list")
    }

    /// One assignment and its status history.
    public func show(_ id: Int64) throws -> Sections {
        let l = language
        let one = try list(id: id)
        guard let row = one.rows.first else {
            throw fail("没有编号为 \(id) 的跨校任教安排", "no assignment number \(id)")
        }
        var s = Sections(language: l)
        s.add("assignment", l.pick("跨校任教安排", "Assignment"), Report(columns: one.columns, rows: [row]), record: true)
        s.add("events", l.pick("状态记录", "Status history"), try ReportQuery(columns: [
            .init("seq", "序号", "#", .int), .init("from", "原状态", "from", ReportQuery.term(AssignmentStatus.self)),
            .init("to", "新状态", "to", ReportQuery.term(AssignmentStatus.self)), .init("at", "时间", "at"),
            .init("by", "操作人", "by"), .init("reason", "理由", "reason"),
        ], sql: """
            SELECT seq, from_status::text, to_status::text, to_char(at, 'YYYY-MM-DD HH24:MI'), by_role::text, reason
            FROM assignment_event WHERE assignment_id = $1 ORDER BY seq
            """).run(on: connection, [id], language: l, name: "assignment events"))
        return s
    }
}
