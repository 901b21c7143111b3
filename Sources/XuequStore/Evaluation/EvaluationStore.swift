import Foundation
import LibPQ
import XuequCore

/// Evaluation periods and the evaluators' scores (domain.md §6). Every rule is the database's:
/// row-level security says who may read and write which scores, the statement triggers check the
/// period, the rubric and the evaluator's school. The checks here come first only to say plainly
/// what is wrong.
public struct EvaluationStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    func fail(_ zh: String, _ en: String) -> StoreError { .configuration(language.pick(zh, en)) }

    // MARK: Periods

    /// A period as stored.
    public struct Period: Sendable, Equatable {
        public var id: Int
        public var districtID: Int
        public var districtCode: String
        public var schoolYear: Int
        public var startsOn: String
        public var endsOn: String
        public var status: EvaluationPeriodStatus
    }

    /// The district a command acts on: the one named, else the user's own, else the only one.
    public func district(_ code: String?) throws -> (id: Int, code: String) {
        let r = try connection.query("""
            SELECT district_id, code FROM district
            WHERE CASE WHEN $1::text IS NOT NULL THEN code = $1
                       WHEN xuequ_user_district() IS NOT NULL THEN district_id = xuequ_user_district()
                       ELSE true END
            ORDER BY code
            """, [code], name: "district")
        if r.count == 1 { return (try r[0].decode(Int.self, at: 0), try r[0].decode(String.self, at: 1)) }
        if let code { throw StoreError.notFound(language.pick("没有区代码 \(code)", "no district with code \(code)")) }
        if r.count == 0 { throw StoreError.notFound(language.pick("数据库中还没有区", "the database has no district yet")) }
        throw fail("数据库中有 \(r.count) 个区，请用 --district 指定", "the database holds \(r.count) districts: choose one with --district")
    }

    /// The period of a district: the school year given, else the one containing `on`, else the latest.
    public func period(district: String?, year: Int?, on: String) throws -> Period {
        let d = try self.district(district)
        let r = try connection.query("""
            SELECT period_id, district_id, school_year, starts_on::text, ends_on::text, status::text
            FROM evaluation_period
            WHERE district_id = $1 AND ($2::integer IS NULL OR school_year = $2)
            ORDER BY ($2::integer IS NOT NULL OR $3::date BETWEEN starts_on AND ends_on) DESC, school_year DESC
            LIMIT 1
            """, [d.id, year, on], name: "period")
        guard r.count == 1 else {
            throw StoreError.notFound(year.map { y in language.pick("\(d.code) 没有 \(y) 学年的考核周期（人事科用 xuequ eval period open --year \(y) 开启）",
                                                                   "\(d.code) has no evaluation period for \(y) (HR opens it: xuequ eval period open --year \(y))") }
                ?? language.pick("\(d.code) 还没有考核周期（人事科用 xuequ eval period open 开启）",
                                 "\(d.code) has no evaluation period yet (HR opens one: xuequ eval period open)"))
        }
        let row = r[0]
        return Period(id: try row.decode(Int.self, at: 0), districtID: d.id, districtCode: d.code,
                      schoolYear: try row.decode(Int.self, at: 2), startsOn: try row.decode(String.self, at: 3),
                      endsOn: try row.decode(String.self, at: 4),
                      status: EvaluationPeriodStatus(rawValue: try row.decode(String.self, at: 5)) ?? .open)
    }

    /// Opens the period of a school year (Sept 1 – Aug 31 unless given).
    @discardableResult
    public func openPeriod(district: String?, year: Int, startsOn: String?, endsOn: String?) throws -> Period {
        let d = try self.district(district)
        do {
            try connection.query("""
                INSERT INTO evaluation_period (district_id, school_year, starts_on, ends_on)
                VALUES ($1, $2, coalesce($3::date, make_date($2, 9, 1)), coalesce($4::date, make_date($2 + 1, 8, 31)))
                """, [d.id, year, startsOn, endsOn], name: "open period")
        } catch let e as PGError where e.isUniqueViolation {
            throw fail("\(d.code) 已有 \(year) 学年的考核周期", "\(d.code) already has an evaluation period for \(year)")
        } catch let e as PGError where e.isCheckViolation {
            throw fail("考核周期的结束日期须在开始日期之后一年以内", "the period must end after it starts and within a year")
        }
        return try period(district: d.code, year: year, on: "\(year)-09-01")
    }

    /// Moves a period along open ⇄ closed → released.
    public func setStatus(district: String?, year: Int, to status: EvaluationPeriodStatus) throws -> Period {
        let p = try period(district: district, year: year, on: "\(year)-09-01")
        do {
            try connection.query("UPDATE evaluation_period SET status = $2::evaluation_period_status WHERE period_id = $1",
                                 [p.id, status.rawValue], name: "period status")
        } catch let e as PGError where e.constraint == "evaluation_period_status" {
            throw fail("\(p.schoolYear) 学年考核周期现为“\(p.status.zh)”，不能改为“\(status.zh)”（录入中 ⇄ 已截止 → 已公布）",
                       "the \(p.schoolYear) period is \(p.status.rawValue) and cannot become \(status.rawValue) (open ⇄ closed → released)")
        } catch let e as PGError where e.sqlState == "42501" {
            throw fail("只有人事科可以开启、截止或公布考核周期", "only district HR may open, close or release a period")
        }
        return try period(district: p.districtCode, year: year, on: "\(year)-09-01")
    }

    public func periods() throws -> Report {
        try ReportQuery(
            columns: [
                .init("district", "区", "district"),
                .init("school_year", "学年", "school year", .int),
                .init("starts_on", "开始", "starts", .date),
                .init("ends_on", "结束", "ends", .date),
                .init("status", "状态", "status", ReportQuery.term(EvaluationPeriodStatus.self)),
                .init("scores", "评分条数", "scores", .int),
            ],
            sql: """
                SELECT d.code, p.school_year, p.starts_on::text, p.ends_on::text, p.status::text,
                       (SELECT count(*) FROM evaluation e WHERE e.period_id = p.period_id)
                FROM evaluation_period p JOIN district d USING (district_id) ORDER BY d.code, p.school_year
                """
        ).run(on: connection, language: language, name: "periods")
    }

    // MARK: Entry

    /// One evaluator's scores for one teacher at one school.
    public struct Entry: Sendable {
        public var staffNo: String
        public var school: String?
        public var year: Int?
        public var evaluator: String?
        /// Dimension key → score text (0–100, one decimal).
        public var scores: [(dimension: String, score: String)]
        public var comment: String?

        public init(staffNo: String, school: String?, year: Int?, evaluator: String?,
                    scores: [(dimension: String, score: String)], comment: String?) {
            self.staffNo = staffNo
            self.school = school
            self.year = year
            self.evaluator = evaluator
            self.scores = scores
            self.comment = comment
        }
    }

    /// The evaluator-scored dimensions of a period's rubric, in order: key and Chinese name.
    public func dimensions(of period: Period) throws -> [(key: String, nameZh: String)] {
        let r = try connection.query("SELECT key, name_zh FROM evaluation_dimensions($1, $2) WHERE source = 'evaluators' ORDER BY ord",
                                     [period.districtID, period.schoolYear], name: "rubric")
        return try r.map { (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1)) }
    }

    /// Writes one entry (new scores, or changed ones) in one transaction; returns the rows written.
    @discardableResult
    public func enter(_ entry: Entry, today: String) throws -> Int {
        let user = try AccessStore(connection: connection, language: language).currentUser()
        if user.revoked { throw fail("您的账号（\(user.login)）已被撤销", "your account (\(user.login)) has been revoked") }
        // a principal's scope first: "not your school" is plainer than "no such teacher"
        if user.role == .principal, let s = entry.school, !user.schoolCodes.contains(s) {
            throw fail("您（\(user.login)）是 \(user.schoolCodes.joined(separator: "、")) 的校长，不能以学校 \(s) 的名义评分",
                       "you (\(user.login)) lead \(user.schoolCodes.joined(separator: ", ")) and cannot score on behalf of school \(s)")
        }
        let staff = try connection.query("SELECT staff_id, district_id FROM staff WHERE staff_no = $1", [entry.staffNo], name: "staff")
        guard staff.count == 1 else {
            throw StoreError.notFound(user.role == .principal
                ? language.pick("没有工号 \(entry.staffNo)，或该教师不在您的学校（\(user.schoolCodes.joined(separator: "、"))）任教",
                                "no staff number \(entry.staffNo), or the teacher does not teach at your school(s) (\(user.schoolCodes.joined(separator: ", ")))")
                : language.pick("没有工号 \(entry.staffNo)", "no staff number \(entry.staffNo)"))
        }
        let staffID = try staff[0].decode(Int64.self, at: 0)
        let districtCode = try connection.query("SELECT code FROM district WHERE district_id = $1", [try staff[0].decode(Int.self, at: 1)],
                                                name: "district").scalar(String.self)
        // the school: given, or a principal's only one
        let school: String
        if let s = entry.school {
            school = s
        } else if user.role == .principal, user.schoolCodes.count == 1 {
            school = user.schoolCodes[0]
        } else if user.role == .principal {
            throw fail("您是 \(user.schoolCodes.joined(separator: "、")) 的校长：请用 --school 指定为哪所学校评分",
                       "you lead \(user.schoolCodes.joined(separator: ", ")): say which school scores with --school")
        } else {
            throw fail("请用 --school 指定评分学校", "say which school scores with --school")
        }
        let evaluator = entry.evaluator ?? user.login
        if user.role == .principal, evaluator != user.login {
            throw fail("校长只能以本人（\(user.login)）的名义评分", "a principal scores only in their own name (\(user.login))")
        }
        let period = try self.period(district: districtCode, year: entry.year, on: today)
        let rubric = try dimensions(of: period)
        var keys: [String] = [], values: [String] = []
        for (dimension, text) in entry.scores {
            guard let d = rubric.first(where: { $0.key == dimension || $0.nameZh == dimension }) else {
                throw fail("“\(dimension)”不是 \(period.schoolYear) 学年考核方案中由评价人打分的维度（可用：\(rubric.map { "\($0.key) \($0.nameZh)" }.joined(separator: "、"))）",
                           "\"\(dimension)\" is not an evaluator-scored dimension of the \(period.schoolYear) rubric (use: \(rubric.map(\.key).joined(separator: ", ")))")
            }
            guard case .success(let v) = FieldType.decimal(scale: 1, 0...100).parse(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail("\(d.key)（\(d.nameZh)）的分数“\(text)”无效：应为 0–100、最多一位小数",
                           "the \(d.key) score \"\(text)\" is invalid: 0–100 with at most one decimal")
            }
            keys.append(d.key)
            values.append(v)
        }
        if keys.isEmpty { throw fail("没有要录入的分数", "no scores to enter") }
        if let comment = entry.comment, comment.count > 500 { throw fail("评语过长（最多 500 字）", "the comment is too long (at most 500 characters)") }
        do {
            return try connection.transaction { conn in
                try conn.query("""
                    INSERT INTO evaluation AS e (period_id, district_id, staff_id, school_id, evaluator, dimension, score, comment)
                    SELECT $1, $2, $3, sc.school_id, $5, k.dimension, k.score::numeric, $8
                    FROM school sc, unnest($6::text[], $7::text[]) AS k(dimension, score)
                    WHERE sc.code = $4
                    ON CONFLICT (period_id, staff_id, school_id, evaluator, dimension) DO UPDATE
                        SET score = EXCLUDED.score, comment = coalesce(EXCLUDED.comment, e.comment), entered_at = now(), entered_by = session_user
                        WHERE (e.score, e.comment) IS DISTINCT FROM (EXCLUDED.score, coalesce(EXCLUDED.comment, e.comment))
                    """, [period.id, period.districtID, staffID, school, evaluator, keys, values, entry.comment], name: "enter scores").affectedRows
            }
        } catch let e as PGError {
            if let refusal = RuleRefusal(e, dropKeys: true) { throw refusal }
            if e.sqlState == "42501" {
                throw fail("数据库拒绝：您没有权限为学校 \(school) 的教师 \(entry.staffNo) 录入评分",
                           "the database refused: you may not enter scores for teacher \(entry.staffNo) at school \(school)")
            }
            throw e
        }
    }

    // MARK: Reading

    /// The scores the caller may see (row-level security decides), for a period, optionally one
    /// school or one teacher.
    public func list(period: Period, school: String?, staffNo: String?) throws -> Report {
        try checkSchoolVisible(school)
        return try ReportQuery(
            columns: [
                .init("staff_no", "工号", "staff no"),
                .init("name", "姓名", "name"),
                .init("school", "评分学校", "school"),
                .init("evaluator", "评价人", "evaluator"),
                .init("dimension", "维度", "dimension"),
                .init("score", "分数", "score", .decimal),
                .init("comment", "评语", "comment"),
                .init("entered_at", "录入时间", "entered"),
            ],
            sql: """
                SELECT st.staff_no, st.name, sc.code, e.evaluator,
                       CASE WHEN $4 = 'zh' THEN coalesce(d.name_zh, e.dimension) ELSE e.dimension END, e.score::text, e.comment,
                       to_char(e.entered_at, 'YYYY-MM-DD HH24:MI')
                FROM evaluation e JOIN staff st USING (staff_id) JOIN school sc ON sc.school_id = e.school_id
                LEFT JOIN evaluation_dimensions($5, $6) d ON d.key = e.dimension
                WHERE e.period_id = $1 AND ($2::text IS NULL OR sc.code = $2) AND ($3::text IS NULL OR st.staff_no = $3)
                ORDER BY st.staff_no, sc.code, e.evaluator, d.ord
                """
        ).run(on: connection, [period.id, school, staffNo, language.rawValue, period.districtID, period.schoolYear],
              language: language, name: "evaluation list")
    }

    /// A principal asking for another school's scores is told so, instead of an empty list.
    func checkSchoolVisible(_ school: String?) throws {
        guard let school else { return }
        let user = try AccessStore(connection: connection, language: language).currentUser()
        if user.role == .principal, !user.schoolCodes.contains(school) {
            throw fail("您（\(user.login)）只能查看自己学校（\(user.schoolCodes.joined(separator: "、"))）的评分，不能查看学校 \(school) 的",
                       "you (\(user.login)) may only see your own school's scores (\(user.schoolCodes.joined(separator: ", "))), not school \(school)'s")
        }
        if try connection.query("SELECT 1 FROM school WHERE code = $1", [school], name: "school exists").isEmpty {
            throw StoreError.notFound(language.pick("没有学校代码 \(school)", "no school with code \(school)"))
        }
    }

    /// What each school still owes: per school, the teachers with missing scores and the
    /// principals who owe them; with `school`, every teacher and dimension still missing there.
    public func missing(period: Period, school: String?, on: String) throws -> Report {
        try checkSchoolVisible(school)
        if let school {
            return try ReportQuery(
                columns: [
                    .init("staff_no", "工号", "staff no"),
                    .init("name", "姓名", "name"),
                    .init("share", "工作量占比", "share", .decimal),
                    .init("missing", "缺少的维度", "missing dimensions"),
                ],
                sql: """
                    SELECT st.staff_no, st.name, round(o.share, 3)::text,
                           string_agg(CASE WHEN $4 = 'zh' THEN d.name_zh ELSE d.key END, CASE WHEN $4 = 'zh' THEN '、' ELSE ', ' END ORDER BY d.ord)
                    FROM evaluation_owed($1, $3::date) o JOIN school sc USING (school_id) JOIN staff st USING (staff_id)
                    JOIN evaluation_dimensions($5, $6) d ON d.key = o.dimension
                    WHERE sc.code = $2
                    GROUP BY st.staff_no, st.name, o.share ORDER BY st.staff_no
                    """
            ).run(on: connection, [period.id, school, on, language.rawValue, period.districtID, period.schoolYear],
                  language: language, name: "missing at school")
        }
        return try ReportQuery(
            columns: [
                .init("school", "学校代码", "school"),
                .init("name", "学校", "name"),
                .init("teachers", "缺评教师", "teachers", .int),
                .init("scores", "缺少的维度评分", "missing scores", .int),
                .init("principals", "应评校长", "principals", null: ("（未登记）", "(none registered)")),
            ],
            sql: """
                SELECT sc.code, sc.name, count(DISTINCT o.staff_id), count(*),
                       (SELECT string_agg(u.login, ' ' ORDER BY u.login) FROM app_user_school us JOIN app_user u USING (login)
                        WHERE us.school_id = sc.school_id AND u.revoked_at IS NULL)
                FROM evaluation_owed($1, $2::date) o JOIN school sc USING (school_id)
                GROUP BY sc.school_id, sc.code, sc.name ORDER BY count(*) DESC, sc.code
                """
        ).run(on: connection, [period.id, on], language: language, name: "missing by school")
    }
}
