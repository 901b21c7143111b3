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

    /// One weekly lesson of an assignment: weekday 1 (Monday) … 7, start and end minute of the
    /// day, and the code of a campus of the host school.
    public struct Slot: Sendable, Equatable {
        public var weekday: Int
        public var starts: Int
        public var ends: Int
        public var campus: String

        public init(weekday: Int, starts: Int, ends: Int, campus: String) {
            self.weekday = weekday
            self.starts = starts
            self.ends = ends
            self.campus = campus
        }

        /// Parses `周二 08:00-08:45 A` (weekday, time range, campus code; the campus defaults to A).
        public static func parse(_ text: String) -> Slot? {
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
            guard (2...3).contains(parts.count), let day = Weekday.parse(parts[0]) else { return nil }
            let times = parts[1].replacingOccurrences(of: "–", with: "-").split(separator: "-").map(String.init)
            guard times.count == 2, let a = minutes(times[0]), let b = minutes(times[1]), a < b else { return nil }
            return Slot(weekday: day.number, starts: a, ends: b, campus: parts.count == 3 ? parts[2] : "A")
        }

        static func minutes(_ text: String) -> Int? {
            let p = text.replacingOccurrences(of: "：", with: ":").split(separator: ":")
            guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0...23).contains(h), (0...59).contains(m), p[1].count == 2 else { return nil }
            return h * 60 + m
        }

        var sqlTime: (String, String) {
            func f(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
            return (f(starts), f(ends))
        }
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
        /// HR's reference; the database gives `A<number>` when nil.
        public var ref: String?
        public var slots: [Slot]

        public init(staffNo: String, hostSchool: String, kind: AssignmentKind, subject: String?, periodsPerWeek: Decimal,
                    start: String, end: String, overrideReason: String?, reason: String?, ref: String? = nil, slots: [Slot] = []) {
            self.staffNo = staffNo
            self.hostSchool = hostSchool
            self.kind = kind
            self.subject = subject
            self.periodsPerWeek = periodsPerWeek
            self.start = start
            self.end = end
            self.overrideReason = overrideReason
            self.reason = reason
            self.ref = ref
            self.slots = slots
        }
    }

    func fail(_ zh: String, _ en: String) -> StoreError { .notFound(language.pick(zh, en)) }

    /// Stores the proposal (and its timetable slots) as `proposed` and returns its number. The
    /// database checks every rule of domain.md §4 on the insert; a refusal lists them all.
    public func propose(_ p: Proposal) throws -> Int64 {
        guard let start = CivilDate.normalize(p.start), let end = CivilDate.normalize(p.end) else {
            throw fail("日期无效（格式 YYYY-MM-DD）", "invalid date (YYYY-MM-DD)")
        }
        guard start < end else { throw fail("结束日期必须晚于开始日期", "the end must come after the start") }
        if let reason = p.overrideReason, reason.trimmedSpaces.isEmpty {
            throw RuleRefusal(problems: [("override", Message(zh: "越过学区或集团的安排必须写明理由", en: "an override needs a reason"))])
        }
        if let ref = p.ref, ref.isEmpty || ref.utf8.count > 32
            || !ref.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 95 || $0 == 45 }) {
            throw RuleRefusal(problems: [("ref", Message(zh: "编号只能由字母、数字、_ 和 - 组成，最多 32 个字符",
                                                             en: "a reference is 1–32 letters, digits, _ or -"))])
        }
        if p.subject == nil && p.kind != .clusterRole {
            throw RuleRefusal(problems: [("subject", Message(zh: "任教安排必须写学科（只有学区兼职可以不写）",
                                                                 en: "teaching needs a subject (only a 学区 role may have none)"))])
        }
        return try refusingBrokenRules(dropKeys: true) {
            try connection.transaction { conn in
                let staff = try conn.query("SELECT staff_id, district_id FROM staff WHERE staff_no = $1", [p.staffNo], name: "assignment staff")
                guard let s = staff.first else { throw fail("没有工号为 \(p.staffNo) 的教职工", "no staff member with number \(p.staffNo)") }
                let staffID = try s.decode(Int64.self, at: 0), districtID = try s.decode(Int.self, at: 1)
                let host = try conn.query("SELECT school_id, district_id FROM school WHERE code = $1", [p.hostSchool], name: "assignment host")
                guard let h = host.first else { throw fail("没有代码为 \(p.hostSchool) 的学校", "no school with code \(p.hostSchool)") }
                if try h.decode(Int.self, at: 1) != districtID {
                    throw RuleRefusal(problems: [("district", Message(zh: "任职学校不在该教师所在的区", en: "the host school is in another district"))])
                }
                var subject: String? = nil
                if let given = p.subject {
                    let found = try conn.query("SELECT code FROM subject WHERE code = $1 OR name_zh = $1", [given], name: "subject")
                    guard let code = found.first?[0] else { throw fail("未知学科 \(given)", "unknown subject \(given)") }
                    subject = code
                }
                if let ref = p.ref, !(try conn.query("SELECT 1 FROM assignment WHERE ref = $1", [ref], name: "ref taken").isEmpty) {
                    throw RuleRefusal(problems: [("ref", Message(zh: "编号 \(ref) 已被另一个安排使用", en: "reference \(ref) is already used"))])
                }
                try conn.query("SELECT set_config('xuequ.reason', $1, true)", [p.reason ?? ""], name: "reason")
                let id = try conn.query("""
                    INSERT INTO assignment (district_id, staff_id, host_school_id, kind, subject_code, periods_per_week, valid, override_reason, ref)
                    VALUES ($1, $2, $3, $4::assignment_kind, $5, $6, daterange($7::date, $8::date), $9, $10) RETURNING assignment_id
                    """, [districtID, staffID, try h.decode(Int.self, at: 0), p.kind.rawValue, subject, p.periodsPerWeek, start, end,
                          p.overrideReason, p.ref], name: "assignment insert")[0].decode(Int64.self, at: 0)
                try addSlots(conn, id: id, hostID: try h.decode(Int.self, at: 0), slots: p.slots)
                return id
            }
        }
    }

    /// Inserts slots in one statement, so the database checks them together.
    func addSlots(_ conn: Connection, id: Int64, hostID: Int, slots: [Slot]) throws {
        guard !slots.isEmpty else { return }
        for campus in Set(slots.map(\.campus)) where try conn.query(
            "SELECT 1 FROM campus WHERE school_id = $1 AND code = $2", [hostID, campus], name: "slot campus").isEmpty {
            throw RuleRefusal(problems: [("campus", Message(zh: "任职学校没有校区 \(campus)", en: "the host school has no campus \(campus)"))])
        }
        try conn.query("""
            INSERT INTO assignment_slot (assignment_id, weekday, starts, ends, campus_id)
            SELECT $1, w, s::time, e::time, c.campus_id
            FROM unnest($2::smallint[], $3::text[], $4::text[], $5::text[]) AS x(w, s, e, code)
            JOIN campus c ON c.school_id = $6 AND c.code = x.code
            """, [id, slots.map(\.weekday), slots.map(\.sqlTime.0), slots.map(\.sqlTime.1), slots.map(\.campus), hostID],
            name: "slots insert")
    }

    /// Runs `body`, turning the database's rule refusals into an `RuleRefusal`.
    func refusingBrokenRules<T>(dropKeys: Bool, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PGError {
            if let refusal = RuleRefusal(error, dropKeys: dropKeys) { throw refusal }
            throw error
        }
    }

    /// Moves an assignment to a new status (only the legal moves); approval re-checks every rule
    /// in the database. Ending may give the day after the last day worked (`endOn`), which
    /// shortens the range.
    public func transition(_ id: Int64, to status: AssignmentStatus, reason: String?, endOn: String? = nil) throws {
        try refusingBrokenRules(dropKeys: true) {
            try connection.transaction { conn in
                let rows = try conn.query("""
                    SELECT status::text, lower(valid)::text, upper(valid)::text FROM assignment WHERE assignment_id = $1 FOR UPDATE
                    """, [id], name: "assignment lock")
                guard let a = rows.first else { throw fail("没有编号为 \(id) 的跨校任教安排", "no assignment number \(id)") }
                let from = AssignmentStatus(rawValue: a[0]!)!
                if from == status {
                    throw RuleRefusal(problems: [("status", Message(zh: "安排 #\(id) 已经是“\(status.zh)”", en: "assignment #\(id) is already \(status.rawValue)"))])
                }
                var newEnd: String? = nil
                if let endOn {
                    guard status == .ended, let day = CivilDate.normalize(endOn) else {
                        throw fail("--on 只用于结束安排，格式 YYYY-MM-DD", "--on is for ending, as YYYY-MM-DD")
                    }
                    guard day > a[1]!, day <= a[2]! else {
                        throw RuleRefusal(problems: [("end", Message(
                            zh: "结束日期 \(day) 必须在 \(a[1]!) 之后、不晚于 \(a[2]!)", en: "the end \(day) must be after \(a[1]!) and not after \(a[2]!)"))])
                    }
                    newEnd = day
                }
                try conn.query("SELECT set_config('xuequ.reason', $1, true)", [reason ?? ""], name: "reason")
                do {
                    // a savepoint: after an exclusion violation the transaction can still explain it
                    try conn.transaction { conn in
                        try conn.query("""
                            UPDATE assignment SET status = $2::assignment_status,
                                   valid = CASE WHEN $3::date IS NULL THEN valid ELSE daterange(lower(valid), $3::date) END
                            WHERE assignment_id = $1
                            """, [id, status.rawValue, newEnd], name: "assignment status")
                    }
                } catch let error as PGError where error.isExclusionViolation {
                    // the EXCLUDE constraint fires row by row, before the rule triggers: ask the rules
                    // what is wrong, so the refusal names the other placement and any other break
                    let breaks = try conn.query("""
                        SELECT rule, message_zh, message_en FROM assignment_breaks((
                            SELECT array_agg(ROW('#' || a.assignment_id, '#' || a.assignment_id, '#' || a.assignment_id, a.assignment_id,
                                                 a.district_id, a.staff_id, a.host_school_id, a.kind, a.subject_code, a.periods_per_week,
                                                 a.valid, $2::assignment_status, a.override_reason)::assignment_candidate)
                            FROM assignment a WHERE a.assignment_id = $1))
                        ORDER BY rule
                        """, [id, status.rawValue], name: "placement conflict")
                        .map { (try $0.decode(String.self, at: 0), Message(zh: try $0.decode(String.self, at: 1), en: try $0.decode(String.self, at: 2))) }
                    throw RuleRefusal(problems: breaks.isEmpty
                        ? [("placement_overlap", Message(zh: "与该教师另一个已批准的交流轮岗时间重叠", en: "overlaps another approved placement of the teacher"))]
                        : breaks)
                } catch let error as PGError where error.constraint == "assignment_status_transition" {
                    throw RuleRefusal(problems: [("status", Message(
                        zh: "不能从“\(from.zh)”改为“\(status.zh)”", en: "cannot go from \(from.rawValue) to \(status.rawValue)"))])
                }
            }
        }
    }

    /// An assignment's number from `#12`, `12` or its reference; a bare number that is also
    /// another assignment's reference is refused as ambiguous.
    public func resolve(_ key: String) throws -> Int64 {
        let number = key.hasPrefix("#") ? String(key.dropFirst()) : key
        let rows = try connection.query("""
            SELECT assignment_id, ref = $1 FROM assignment
            WHERE ($2 AND ref = $1) OR assignment_id = CASE WHEN $3::text ~ '^[0-9]{1,18}$' THEN $3::text::bigint END
            """, [key, !key.hasPrefix("#"), number], name: "assignment resolve")
        if rows.count > 1 {
            throw fail("“\(key)”既是安排 #\(number) 的序号，又是另一个安排的编号；请写 #\(number) 或完整编号",
                       "\"\(key)\" is both assignment #\(number) and another assignment's reference; write #\(number) or the reference")
        }
        guard let id = try rows.first?.decode(Int64.self, at: 0) else {
            throw fail("没有编号为 \(key) 的跨校任教安排", "no assignment \(key)")
        }
        return id
    }

    /// Assignments with filters.
    public func list(staffNo: String? = nil, school: String? = nil, status: AssignmentStatus? = nil, kind: AssignmentKind? = nil,
                     id: Int64? = nil, ref: String? = nil) throws -> Report {
        try ReportQuery(columns: [
            .init("id", "序号", "id", .int), .init("ref", "安排编号", "ref"), .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"),
            .init("home", "编制学校", "home"), .init("host", "任职学校", "host"),
            .init("kind", "类型", "kind", ReportQuery.term(AssignmentKind.self)), .init("subject", "学科", "subject"),
            .init("periods", "周课时", "periods", .decimal), .init("start", "开始", "from", .date), .init("end", "结束", "until", .date),
            .init("status", "状态", "status", ReportQuery.term(AssignmentStatus.self)),
        ], sql: """
            SELECT a.assignment_id, a.ref, st.staff_no, st.name, hs.code, s.code, a.kind::text, j.name_zh, a.periods_per_week,
                   lower(a.valid), upper(a.valid), a.status::text
            FROM assignment a JOIN staff st USING (staff_id) JOIN school s ON s.school_id = a.host_school_id
            LEFT JOIN staff_home_school h ON h.staff_id = a.staff_id AND h.valid @> lower(a.valid)
            LEFT JOIN school hs ON hs.school_id = h.school_id LEFT JOIN subject j ON j.code = a.subject_code
            WHERE ($1::text IS NULL OR st.staff_no = $1) AND ($2::text IS NULL OR s.code = $2 OR hs.code = $2)
              AND ($3::text IS NULL OR a.status::text = $3) AND ($4::text IS NULL OR a.kind::text = $4)
              AND ($5::bigint IS NULL OR a.assignment_id = $5) AND ($6::text IS NULL OR a.ref = $6)
            ORDER BY a.assignment_id
            """).run(on: connection, [staffNo, school, status?.rawValue, kind?.rawValue, id, ref], language: language, name: "assignment list")
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
        s.add("slots", l.pick("每周课表", "Weekly timetable"), try ReportQuery(columns: [
            .init("weekday", "星期", "day"), .init("starts", "上课", "starts"), .init("ends", "下课", "ends"),
            .init("campus", "校区", "campus"), .init("campus_name", "校区名称", "campus name"),
        ], sql: """
            SELECT CASE WHEN $2 THEN weekday_zh(x.weekday) ELSE weekday_en(x.weekday) END, to_char(x.starts, 'HH24:MI'),
                   to_char(x.ends, 'HH24:MI'), c.code, c.name
            FROM assignment_slot x JOIN campus c USING (campus_id) WHERE x.assignment_id = $1 ORDER BY x.weekday, x.starts
            """).run(on: connection, [id, l == .zh], language: l, name: "assignment slots"))
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
