import Foundation
import LibPQ
import XuequCore

/// Workload across schools (domain.md §6, §9) and a teacher's week. The numbers come from the
/// database's `workload_parts()` / `workload_summary()` / `workload_shares()`, the same functions
/// the evaluation and the nightly batch read, computed for every teacher at once.
public struct WorkloadStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    func fail(_ zh: String, _ en: String) -> StoreError { .notFound(language.pick(zh, en)) }

    /// The default period: the school year (Sept 1 – Aug 31) that contains `day`.
    public static func schoolYear(containing day: String) -> (from: String, to: String)? {
        guard let d = CivilDate.normalize(day), let year = Int(d.prefix(4)), let month = Int(d.dropFirst(5).prefix(2)) else { return nil }
        let start = month >= 9 ? year : year - 1
        return ("\(start)-09-01", "\(start + 1)-08-31")
    }

    /// One teacher's week as of a day: the work in force, each weekday's lessons across schools
    /// in order, the gap to the lesson before and the travel time the policy asks for between
    /// their campuses, and the campus changes of each day.
    public func teacherWeek(staffNo: String, on day: String) throws -> Sections {
        let l = language
        guard let day = CivilDate.normalize(day) else { throw fail("日期无效（格式 YYYY-MM-DD）", "invalid date (YYYY-MM-DD)") }
        let found = try connection.query("SELECT staff_id FROM staff WHERE staff_no = $1", [staffNo], name: "week staff")
        guard let staffID = try found.first?.decode(Int64.self, at: 0) else {
            throw fail("没有工号为 \(staffNo) 的教职工", "no staff member with number \(staffNo)")
        }
        var s = Sections(language: l)
        s.add("teacher", l.pick("教师", "Teacher"), try ReportQuery(columns: [
            .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"), .init("home", "编制学校", "home school"),
            .init("on", "日期", "as of", .date), .init("home_periods", "本校周课时", "home periods", .decimal),
            .init("cross_periods", "跨校周课时", "cross-school periods", .decimal),
            .init("total", "合计", "total", .decimal), .init("max", "上限", "limit", .decimal),
        ], sql: """
            WITH w AS (
                SELECT st.staff_no, st.name, sc.code || ' ' || sc.name AS home, st.district_id,
                       EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = st.staff_id AND a.kind = 'placement'
                               AND a.status IN ('approved', 'active') AND a.valid @> $2::date) AS placed,
                       coalesce((SELECT l.periods_per_week FROM staff_home_load l WHERE l.staff_id = st.staff_id
                                 AND l.school_year = school_year_of($2::date)), 0) AS load,
                       coalesce((SELECT sum(a.periods_per_week) FROM assignment a WHERE a.staff_id = st.staff_id
                                 AND a.status IN ('approved', 'active') AND a.valid @> $2::date), 0) AS cross_school
                FROM staff st
                LEFT JOIN staff_home_school h ON h.staff_id = st.staff_id AND h.valid @> $2::date
                LEFT JOIN school sc ON sc.school_id = h.school_id
                WHERE st.staff_id = $1)
            SELECT staff_no, name, home, $2::date, CASE WHEN placed THEN 0 ELSE load END, trim_scale(cross_school),
                   trim_scale(CASE WHEN placed THEN 0 ELSE load END + cross_school),
                   coalesce(policy_value(district_id, school_year_of($2::date), ARRAY['assignments', 'maxWeeklyPeriods'])::numeric, 20)
            FROM w
            """).run(on: connection, [staffID, day], language: l, name: "week teacher"), record: true)
        s.add("work", l.pick("在岗的跨校任教", "Cross-school work in force"), try ReportQuery(columns: [
            .init("ref", "安排编号", "ref"), .init("host", "任职学校", "host"),
            .init("kind", "类型", "kind", ReportQuery.term(AssignmentKind.self)), .init("subject", "学科", "subject"),
            .init("periods", "周课时", "periods", .decimal), .init("start", "开始", "from", .date), .init("end", "结束", "until", .date),
            .init("status", "状态", "status", ReportQuery.term(AssignmentStatus.self)),
        ], sql: """
            SELECT a.ref, sc.code || ' ' || sc.name, a.kind::text, j.name_zh, trim_scale(a.periods_per_week), lower(a.valid), upper(a.valid), a.status::text
            FROM assignment a JOIN school sc ON sc.school_id = a.host_school_id LEFT JOIN subject j ON j.code = a.subject_code
            WHERE a.staff_id = $1 AND a.status IN ('approved', 'active') AND a.valid @> $2::date
            ORDER BY lower(a.valid), a.ref
            """).run(on: connection, [staffID, day], language: l, name: "week work"))
        s.add("week", l.pick("一周课表（跨校）", "The week across schools"), try ReportQuery(columns: [
            .init("weekday", "星期", "day"), .init("time", "时间", "time"), .init("school", "学校", "school"),
            .init("campus", "校区", "campus"), .init("ref", "安排编号", "ref"),
            .init("gap", "与上节间隔(分)", "gap (min)", .int), .init("travel", "路程需要(分)", "travel needs (min)", .int),
            .init("ok", "是否可行", "feasible"),
        ], sql: """
            WITH x AS (
                SELECT x.weekday, x.starts, x.ends, x.campus_id, a.ref, a.district_id, sc.code AS school, c.code || ' ' || c.name AS campus,
                       lag(x.ends) OVER w AS prev_ends, lag(x.campus_id) OVER w AS prev_campus
                FROM assignment_slot x JOIN assignment a USING (assignment_id)
                JOIN campus c ON c.campus_id = x.campus_id JOIN school sc ON sc.school_id = c.school_id
                WHERE a.staff_id = $1 AND a.status IN ('approved', 'active') AND a.valid @> $2::date
                WINDOW w AS (PARTITION BY x.weekday ORDER BY x.starts)
            ), y AS (
                SELECT x.*, CASE WHEN prev_ends IS NULL THEN NULL ELSE minute_of(starts) - minute_of(prev_ends) END AS gap,
                       CASE WHEN prev_campus IS NULL THEN NULL ELSE travel_minutes(prev_campus, campus_id,
                           coalesce(policy_value(district_id, school_year_of($2::date), ARRAY['assignments', 'travelKmh'])::numeric, 20),
                           coalesce(policy_value(district_id, school_year_of($2::date), ARRAY['assignments', 'travelBufferMinutes'])::int, 10)) END AS need
                FROM x)
            SELECT CASE WHEN $3 THEN weekday_zh(weekday) ELSE weekday_en(weekday) END,
                   to_char(starts, 'HH24:MI') || '–' || to_char(ends, 'HH24:MI'), school, campus, ref, gap, need,
                   CASE WHEN gap IS NULL THEN '' WHEN gap >= need THEN CASE WHEN $3 THEN '是' ELSE 'yes' END
                        ELSE CASE WHEN $3 THEN '否：来不及赶到' ELSE 'no: cannot get there in time' END END
            FROM y ORDER BY weekday, starts
            """).run(on: connection, [staffID, day, l == .zh], language: l, name: "week slots"))
        return s
    }

    /// Who teaches across schools in a period, and how many periods flow between which schools;
    /// optionally only what touches one school or one 学区 (as home or as host).
    public func workload(from: String, to: String, school: String? = nil, cluster: String? = nil) throws -> Sections {
        let l = language
        guard let from = CivilDate.normalize(from), let to = CivilDate.normalize(to), from <= to else {
            throw fail("时间段无效：需要 YYYY-MM-DD，且开始不晚于结束", "invalid period: YYYY-MM-DD, start not after end")
        }
        if let school, try connection.query("SELECT 1 FROM school WHERE code = $1", [school], name: "school exists").isEmpty {
            throw fail("没有代码为 \(school) 的学校", "no school with code \(school)")
        }
        if let cluster, try connection.query("SELECT 1 FROM cluster WHERE code = $1", [cluster], name: "cluster exists").isEmpty {
            throw fail("没有代码为 \(cluster) 的学区", "no 学区 with code \(cluster)")
        }
        let filter = """
            ($3::text IS NULL OR home.code = $3 OR host.code = $3)
            AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM cluster k WHERE k.code = $4 AND k.cluster_id IN (home.cluster_id, host.cluster_id)))
            """
        var s = Sections(language: l)
        s.add("flows", l.pick("学校之间的跨校课时（按期间平均每周）", "Periods flowing between schools (weekly average over the period)"),
              try ReportQuery(columns: [
                .init("home", "编制学校", "home school"), .init("host", "任职学校", "host school"),
                .init("teachers", "教师数", "teachers", .int), .init("kinds", "类型", "kinds"),
                .init("periods", "周课时", "periods/week", .decimal),
              ], sql: """
                WITH p AS (
                    SELECT p.*, h.school_id AS home_id
                    FROM workload_parts($1::date, $2::date) p JOIN assignment a USING (assignment_id)
                    LEFT JOIN staff_home_school h ON h.staff_id = p.staff_id AND h.valid @> greatest(lower(a.valid), $1::date))
                SELECT home.code || ' ' || home.name, host.code || ' ' || host.name, count(DISTINCT p.staff_id),
                       string_agg(DISTINCT CASE WHEN $5 THEN assignment_kind_zh(p.kind) ELSE p.kind::text END, '、'),
                       round(sum(p.periods_per_week * p.days) / ($2::date - $1::date + 1), 1)
                FROM p JOIN school host ON host.school_id = p.school_id LEFT JOIN school home ON home.school_id = p.home_id
                WHERE \(filter)
                GROUP BY home.code, home.name, host.code, host.name
                ORDER BY home.code COLLATE "C", host.code COLLATE "C"
                """).run(on: connection, [from, to, school, cluster, l == .zh], language: l, name: "workload flows"))
        s.add("teachers", l.pick("跨校任教的教师", "Teachers working across schools"), try ReportQuery(columns: [
            .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"), .init("home", "编制学校", "home school"),
            .init("schools", "各校课时与占比", "periods and share by school"),
            .init("home_periods", "本校周课时", "home periods", .decimal), .init("cross_periods", "跨校周课时", "cross-school periods", .decimal),
            .init("weighted", "折算课时", "weighted periods", .decimal), .init("homeroom", "班主任", "homeroom", .bool),
        ], sql: """
            WITH w AS (SELECT * FROM workload_summary($1::date, $2::date) WHERE cross_period_days > 0),
            agg AS (
                -- one line per teacher: each school's average periods a week and share, largest first
                SELECT sh.staff_id,
                       string_agg(sc.code || ' ' || round(sh.period_days / w.period_days, 1) || '（' || round(100 * sh.share) || '%）',
                                  '，' ORDER BY sh.share DESC, sc.code COLLATE "C") AS schools,
                       bool_or(sc.code = $3) AS touches_school, bool_or(k.code = $4) AS touches_cluster
                FROM workload_shares($1::date, $2::date) sh JOIN w USING (staff_id) JOIN school sc USING (school_id)
                LEFT JOIN cluster k ON k.cluster_id = sc.cluster_id
                GROUP BY sh.staff_id)
            SELECT st.staff_no, st.name, home.code, agg.schools,
                   round(coalesce(w.home_period_days, 0) / w.period_days, 1), round(w.cross_period_days / w.period_days, 1),
                   round(w.weighted_periods, 2), w.homeroom
            FROM w JOIN agg USING (staff_id) JOIN staff st USING (staff_id)
            LEFT JOIN staff_home_school h ON h.staff_id = w.staff_id AND h.valid @> $2::date
            LEFT JOIN school home ON home.school_id = h.school_id
            WHERE ($3::text IS NULL OR home.code = $3 OR agg.touches_school)
              AND ($4::text IS NULL OR agg.touches_cluster)
            ORDER BY st.staff_no COLLATE "C"
            """).run(on: connection, [from, to, school, cluster], language: l, name: "workload teachers"))
        return s
    }

    /// One teacher's workload in a period: each school's periods, days and share, and the
    /// weighted periods of domain.md §9 (what the evaluation's workload score reads).
    public func teacherWorkload(staffNo: String, from: String, to: String) throws -> Sections {
        let l = language
        guard let from = CivilDate.normalize(from), let to = CivilDate.normalize(to), from <= to else {
            throw fail("时间段无效：需要 YYYY-MM-DD，且开始不晚于结束", "invalid period: YYYY-MM-DD, start not after end")
        }
        let found = try connection.query("SELECT staff_id FROM staff WHERE staff_no = $1", [staffNo], name: "workload staff")
        guard let staffID = try found.first?.decode(Int64.self, at: 0) else {
            throw fail("没有工号为 \(staffNo) 的教职工", "no staff member with number \(staffNo)")
        }
        var s = Sections(language: l)
        s.add("summary", l.pick("工作量", "Workload"), try ReportQuery(columns: [
            .init("staff_no", "工号", "staff no"), .init("from", "开始", "from", .date), .init("to", "结束", "to", .date),
            .init("days", "天数", "days", .int), .init("weighted", "折算课时", "weighted periods", .decimal),
            .init("homeroom", "班主任", "homeroom", .bool), .init("schools", "学校数", "schools", .int),
        ], sql: """
            SELECT $3::text, $1::date, $2::date, w.period_days, round(w.weighted_periods, 2), w.homeroom, w.schools
            FROM workload_summary($1::date, $2::date) w WHERE w.staff_id = $4
            """).run(on: connection, [from, to, staffNo, staffID], language: l, name: "teacher workload"), record: true)
        s.add("parts", l.pick("各部分", "Parts"), try ReportQuery(columns: [
            .init("school", "学校", "school"), .init("source", "来源", "source"), .init("periods", "周课时", "periods/week", .decimal),
            .init("days", "天数", "days", .int), .init("cross", "按跨校系数", "cross-school factor", .bool),
            .init("share", "占比", "share", .decimal),
        ], sql: """
            SELECT sc.code || ' ' || sc.name, coalesce(a.ref || ' ' || CASE WHEN $4 THEN assignment_kind_zh(p.kind) ELSE p.kind::text END,
                       CASE WHEN $4 THEN '本校' ELSE 'home' END),
                   p.periods_per_week, p.days, p.cross_school,
                   round(p.periods_per_week * p.days / sum(p.periods_per_week * p.days) OVER (), 4)
            FROM workload_parts($1::date, $2::date) p JOIN school sc USING (school_id) LEFT JOIN assignment a USING (assignment_id)
            WHERE p.staff_id = $3 ORDER BY p.assignment_id NULLS FIRST
            """).run(on: connection, [from, to, staffID, l == .zh], language: l, name: "teacher workload parts"))
        return s
    }
}
