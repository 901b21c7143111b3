import Foundation
import XuequCore

extension ImportSpec {
    /// A "whole history" file: for every staff number it mentions, the file holds that person's
    /// complete history of one kind. Rows missing from the file are deleted, new rows inserted,
    /// identical rows left alone (so a repeated import changes nothing).
    ///
    /// - Parameters:
    ///   - table: the history table.
    ///   - values: (table column, expression over the staging row `s` and joined tables).
    ///   - join: extra joins for the expressions (e.g. the school by code).
    static func history(kind: ImportKind, columns: [ColumnSpec], identity: [String], table: String,
                        values: [(String, String)], join: String = "", extraChecks: [String] = []) -> ImportSpec {
        let cols = values.map(\.0)
        let exprs = values.map { "\($0.1) AS \($0.0)" }.joined(separator: ", ")
        let tuple = { (alias: String) in "(" + cols.map { "\(alias).\($0)" }.joined(separator: ", ") + ")" }
        return ImportSpec(
            kind: kind, columns: [ColumnSpec("staff_no", ["工号", "教职工编号"], .code)] + columns,
            identity: ["staff_no"] + identity,
            validateSQL: [ReferenceCheck.unknownStaff] + extraChecks,
            mergeSQL: [
                """
                CREATE TEMP TABLE import_rows ON COMMIT DROP AS
                SELECT st.staff_id, st.district_id, \(exprs)
                FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no \(join)
                """,
                "CREATE INDEX ON import_rows (staff_id)",
                "ANALYZE import_rows",
                """
                DELETE FROM \(table) t
                WHERE t.staff_id IN (SELECT staff_id FROM import_rows)
                  AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.staff_id = t.staff_id
                                  AND \(tuple("r")) IS NOT DISTINCT FROM \(tuple("t")))
                """,
                """
                INSERT INTO \(table) (staff_id, district_id, \(cols.joined(separator: ", ")))
                SELECT r.staff_id, r.district_id, \(cols.map { "r.\($0)" }.joined(separator: ", ")) FROM import_rows r
                WHERE NOT EXISTS (SELECT 1 FROM \(table) t WHERE t.staff_id = r.staff_id
                                  AND \(tuple("t")) IS NOT DISTINCT FROM \(tuple("r")))
                """,
            ])
    }

    static let startColumn = ColumnSpec("start_on", ["开始日期", "起始日期"], .date)
    static let endColumn = ColumnSpec("end_on", ["结束日期", "截止日期"], required: false, .date)

    /// end_on, when given, must come after start_on.
    static let rangeCheck: @Sendable (ParsedRow) -> [(String, Message)] = { row in
        if let end = row["end_on"], end <= row["start_on"]! {
            return [("end_on", Message(zh: "结束日期必须晚于开始日期", en: "end_on must be after start_on"))]
        }
        return []
    }

    static var homeSchools: ImportSpec {
        var spec = history(
            kind: .homeSchools,
            columns: [ColumnSpec("school_code", ["学校代码", "编制学校代码"], .code), startColumn, endColumn],
            identity: ["start_on"], table: "staff_home_school",
            values: [("school_id", "sc.school_id"), ("valid", "daterange(s.start_on, s.end_on)")],
            join: "JOIN school sc ON sc.code = s.school_code",
            extraChecks: [ReferenceCheck.unknownSchool])
        spec.rowCheck = rangeCheck
        spec.noOverlap = (["staff_no"], "start_on", "end_on")
        return spec
    }

    static let titles = history(
        kind: .titles,
        columns: [ColumnSpec("title", ["职称"], .term(TitleLevel.self)), ColumnSpec("obtained_on", ["取得日期", "职称取得日期"], .date)],
        identity: ["title"], table: "staff_title",
        values: [("level", "s.title::title_level"), ("obtained_on", "s.obtained_on")])

    static var keyLevels: ImportSpec {
        var spec = history(
            kind: .keyLevels,
            columns: [ColumnSpec("key_level", ["骨干级别", "骨干"], .term(KeyLevel.self)), startColumn, endColumn],
            identity: ["start_on"], table: "staff_key_level",
            values: [("level", "s.key_level::key_level"), ("valid", "daterange(s.start_on, s.end_on)")])
        spec.rowCheck = rangeCheck
        spec.noOverlap = (["staff_no"], "start_on", "end_on")
        return spec
    }

    static var statuses: ImportSpec {
        var spec = history(
            kind: .statuses,
            columns: [ColumnSpec("status", ["状态", "任职状态"], .term(EmploymentStatus.self)), startColumn, endColumn],
            identity: ["start_on"], table: "staff_status",
            values: [("status", "s.status::employment_status"), ("valid", "daterange(s.start_on, s.end_on)")])
        spec.rowCheck = rangeCheck
        spec.noOverlap = (["staff_no"], "start_on", "end_on")
        return spec
    }

    static var posts: ImportSpec {
        var spec = history(
            kind: .posts,
            columns: [ColumnSpec("school_code", ["学校代码"], .code), ColumnSpec("post", ["职务"], .term(LeaderPost.self)),
                      startColumn, endColumn],
            identity: ["school_code", "start_on"], table: "staff_post",
            values: [("school_id", "sc.school_id"), ("post", "s.post::leader_post"), ("valid", "daterange(s.start_on, s.end_on)")],
            join: "JOIN school sc ON sc.code = s.school_code",
            extraChecks: [ReferenceCheck.unknownSchool])
        spec.rowCheck = rangeCheck
        spec.noOverlap = (["staff_no", "school_code"], "start_on", "end_on")
        return spec
    }

    static let homeroomYears = history(
        kind: .homeroomYears,
        columns: [ColumnSpec("school_year", ["学年"], .schoolYear)],
        identity: ["school_year"], table: "staff_homeroom_year",
        values: [("school_year", "s.school_year::smallint")])

    static let training = history(
        kind: .training,
        columns: [ColumnSpec("taken_on", ["日期", "培训日期"], .date), ColumnSpec("course", ["课程", "培训项目"], .text(max: 200)),
                  ColumnSpec("hours", ["学时"], .decimal(scale: 1, 0.1...500))],
        identity: ["taken_on", "course"], table: "staff_training",
        values: [("taken_on", "s.taken_on"), ("course", "s.course"), ("hours", "s.hours")])

    static let ethics = history(
        kind: .ethics,
        columns: [ColumnSpec("occurred_on", ["日期", "发生日期"], .date), ColumnSpec("description", ["情况", "说明"], .text(max: 500))],
        identity: ["occurred_on", "description"], table: "staff_ethics_record",
        values: [("occurred_on", "s.occurred_on"), ("description", "s.description")])

    static let loads = history(
        kind: .loads,
        columns: [ColumnSpec("school_year", ["学年"], .schoolYear), ColumnSpec("periods_per_week", ["周课时", "课时"], .integer(0...40))],
        identity: ["school_year"], table: "staff_home_load",
        values: [("school_year", "s.school_year::smallint"), ("periods_per_week", "s.periods_per_week::smallint")])

    /// `annual-grades.csv`: 年度考核等次 of school years before Xuequ, a teacher's whole history.
    static let annualGrades = history(
        kind: .annualGrades,
        columns: [ColumnSpec("school_year", ["学年"], .schoolYear), ColumnSpec("grade", ["等次", "考核等次"], .term(Grade.self))],
        identity: ["school_year"], table: "staff_annual_grade",
        values: [("school_year", "s.school_year::smallint"), ("grade", "s.grade::evaluation_grade")])

    /// The spec of a kind; `subjects` comes from the database.
    static func of(_ kind: ImportKind, subjects: SubjectVocabulary) -> ImportSpec {
        switch kind {
        case .districts: districts
        case .clusters: clusters
        case .schools: schools
        case .campuses: campuses
        case .groups: groups
        case .groupMembers: groupMembers
        case .staff: staff(subjects: subjects)
        case .homeSchools: homeSchools
        case .titles: titles
        case .keyLevels: keyLevels
        case .statuses: statuses
        case .posts: posts
        case .homeroomYears: homeroomYears
        case .training: training
        case .ethics: ethics
        case .loads: loads
        case .assignments: assignments(subjects: subjects)
        case .assignmentSlots: assignmentSlots
        case .openings: openings(subjects: subjects)
        case .wishes: wishes
        case .annualGrades: annualGrades
        case .evaluationPeriods: evaluationPeriods
        case .evaluations: evaluations
        case .incentivePools: incentivePools
        }
    }
}
