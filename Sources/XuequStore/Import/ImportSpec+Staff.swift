import Foundation
import XuequCore

extension ImportSpec {
    /// `staff.csv`: one row per person, with the current home school, title, key level and status.
    /// Those current values update the dated histories: a different value closes the open range
    /// on the new start date and opens a new one; the same value changes nothing.
    static func staff(subjects: SubjectVocabulary) -> ImportSpec {
        var spec = ImportSpec(
            kind: .staff,
            columns: [
                ColumnSpec("staff_no", ["工号", "教职工编号", "职工号"], .code),
                ColumnSpec("name", ["姓名"], .text(max: 50)),
                ColumnSpec("gender", ["性别"], .term(Gender.self)),
                ColumnSpec("birth_date", ["出生日期"], .date),
                ColumnSpec("first_employed_on", ["参加工作时间", "参加工作日期"], .date),
                ColumnSpec("education", ["学历", "最高学历"], required: false, .term(EducationLevel.self)),
                ColumnSpec("home_school_code", ["编制学校代码", "学校代码"], .code),
                ColumnSpec("home_since", ["调入日期", "入校日期", "到校日期"], .date),
                ColumnSpec("primary_subject", ["主教学科", "任教学科", "学科"], .subject(subjects)),
                ColumnSpec("qualified_subjects", ["兼教学科", "其他学科"], required: false, .subjectList(subjects)),
                ColumnSpec("stage_certs", ["教师资格学段", "资格证学段"], required: false, .termList(CertStage.self)),
                ColumnSpec("title", ["职称"], required: false, .term(TitleLevel.self)),
                ColumnSpec("title_since", ["职称取得日期", "职称时间"], required: false, .date),
                ColumnSpec("key_level", ["骨干级别", "骨干"], required: false, .term(KeyLevel.self)),
                ColumnSpec("key_since", ["骨干认定日期", "骨干时间"], required: false, .date),
                ColumnSpec("status", ["状态", "任职状态"], required: false, .term(EmploymentStatus.self)),
                ColumnSpec("status_since", ["状态日期", "状态开始日期"], required: false, .date),
                ColumnSpec("retirement_on", ["预计退休日期", "退休日期"], required: false, .date),
                ColumnSpec("homeroom_years", ["班主任年限", "班主任年数"], required: false, .integer(0...60)),
            ],
            identity: ["staff_no"],
            validateSQL: [
                """
                SELECT s.line, 'home_school_code', s.home_school_code, '没有这个学校代码（请先导入学校）', 'no school with this code (import schools first)'
                FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM school t WHERE t.code = s.home_school_code)
                """,
                scdConflict(table: "staff_home_school", valueColumn: "school_id", stagedValue: "sc.school_id",
                            sinceColumn: "home_since", join: "JOIN school sc ON sc.code = s.home_school_code",
                            zh: "调入日期必须晚于当前编制学校的起始日期", en: "must be after the start of the current home school"),
                scdConflict(table: "staff_status", valueColumn: "status", stagedValue: "s.status::employment_status",
                            sinceColumn: "status_since", join: "", zh: "状态日期必须晚于当前状态的起始日期",
                            en: "must be after the start of the current status"),
                scdConflict(table: "staff_key_level", valueColumn: "level", stagedValue: "s.key_level::key_level",
                            sinceColumn: "key_since", join: "", zh: "骨干认定日期必须晚于当前骨干级别的起始日期",
                            en: "must be after the start of the current key-teacher level"),
                closedRangeConflict(table: "staff_home_school", sinceColumn: "home_since",
                                    zh: "调入日期落在一段已结束的编制记录中", en: "falls inside an earlier, closed home-school range"),
                closedRangeConflict(table: "staff_status", sinceColumn: "status_since",
                                    zh: "状态日期落在一段已结束的状态记录中", en: "falls inside an earlier, closed status range"),
                closedRangeConflict(table: "staff_key_level", sinceColumn: "key_since",
                                    zh: "骨干认定日期落在一段已结束的骨干记录中", en: "falls inside an earlier, closed key-teacher range"),
            ],
            mergeSQL: staffMerge)
        spec.rowCheck = { row in
            var problems: [(String, Message)] = []
            let birth = row["birth_date"]!, employed = row["first_employed_on"]!
            if birth < "1930-01-01" || birth > "2015-12-31" {
                problems.append(("birth_date", Message(zh: "出生日期应在 1930 至 2015 年之间", en: "birth date must be between 1930 and 2015")))
            } else if employed < CivilDate.addingYears(birth, 14) {
                problems.append(("first_employed_on", Message(zh: "参加工作时间早于 14 周岁", en: "first employment before the age of 14")))
            }
            if row["home_since"]! < employed {
                problems.append(("home_since", Message(zh: "调入日期早于参加工作时间", en: "before the date of first employment")))
            }
            for (value, since, zhName) in [("title", "title_since", "职称"), ("key_level", "key_since", "骨干级别"), ("status", "status_since", "状态")] {
                if (row[value] == nil) != (row[since] == nil) {
                    problems.append((row[value] == nil ? value : since,
                                     Message(zh: "\(zhName)和它的日期要一起填写", en: "\(value) and \(since) go together")))
                } else if let d = row[since], d < birth {
                    problems.append((since, Message(zh: "早于出生日期", en: "before the birth date")))
                }
            }
            if let r = row["retirement_on"], r <= CivilDate.addingYears(birth, 40) {
                problems.append(("retirement_on", Message(zh: "预计退休日期不合理（不到 40 周岁）", en: "retirement before the age of 40")))
            }
            return problems
        }
        return spec
    }

    /// Rows whose new current value would start inside a range that has already ended.
    static func closedRangeConflict(table: String, sinceColumn: String, zh: String, en: String) -> String {
        """
        SELECT s.line, '\(sinceColumn)', s.\(sinceColumn)::text, '\(zh)（' || h.valid::text || '）', '\(en) (' || h.valid::text || ')'
        FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no
        JOIN \(table) h ON h.staff_id = st.staff_id AND NOT upper_inf(h.valid)
        WHERE s.\(sinceColumn) IS NOT NULL AND upper(h.valid) > s.\(sinceColumn)
        """
    }

    /// Rows whose new current value starts on or before the start of a different current value.
    static func scdConflict(table: String, valueColumn: String, stagedValue: String, sinceColumn: String,
                            join: String, zh: String, en: String) -> String {
        """
        SELECT s.line, '\(sinceColumn)', s.\(sinceColumn)::text, '\(zh)（现为 ' || lower(h.valid) || ' 起）', '\(en) (' || lower(h.valid) || ')'
        FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no \(join)
        JOIN \(table) h ON h.staff_id = st.staff_id AND upper_inf(h.valid)
        WHERE s.\(sinceColumn) IS NOT NULL AND h.\(valueColumn) <> \(stagedValue) AND s.\(sinceColumn) <= lower(h.valid)
        """
    }

    /// Makes the open range of a dated history equal the staged current value.
    static func scdMerge(table: String, valueColumn: String, value: String, since: String, when: String) -> [String] {
        [
            // a different current value: close it where the new one starts
            """
            UPDATE \(table) h SET valid = daterange(lower(h.valid), \(since))
            FROM import_staff i WHERE \(when) AND h.staff_id = i.staff_id AND upper_inf(h.valid) AND h.\(valueColumn) <> \(value)
            """,
            // the same value with a corrected start date
            """
            UPDATE \(table) h SET valid = daterange(\(since), NULL)
            FROM import_staff i WHERE \(when) AND h.staff_id = i.staff_id AND upper_inf(h.valid)
              AND h.\(valueColumn) = \(value) AND lower(h.valid) <> \(since)
            """,
            """
            INSERT INTO \(table) (staff_id, district_id, \(valueColumn), valid)
            SELECT i.staff_id, i.district_id, \(value), daterange(\(since), NULL) FROM import_staff i
            WHERE \(when) AND NOT EXISTS (SELECT 1 FROM \(table) h WHERE h.staff_id = i.staff_id AND upper_inf(h.valid))
            """,
        ]
    }

    static let staffMerge: [String] = [
        """
        INSERT INTO staff (district_id, staff_no, name, gender, birth_date, first_employed_on, education,
                           primary_subject, retirement_on, homeroom_years)
        SELECT sc.district_id, s.staff_no, s.name, s.gender::gender, s.birth_date, s.first_employed_on,
               \(keep("education", staged: "s.education::education_level", current: "cur.education")),
               s.primary_subject,
               \(keep("retirement_on", staged: "s.retirement_on", current: "cur.retirement_on")),
               \(keep("homeroom_years", staged: "s.homeroom_years::smallint", current: "cur.homeroom_years"))
        FROM import_stage s JOIN school sc ON sc.code = s.home_school_code
        LEFT JOIN staff cur ON cur.staff_no = s.staff_no
        ON CONFLICT (staff_no) DO UPDATE SET district_id = EXCLUDED.district_id, name = EXCLUDED.name,
            gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date, first_employed_on = EXCLUDED.first_employed_on,
            education = EXCLUDED.education, primary_subject = EXCLUDED.primary_subject,
            retirement_on = EXCLUDED.retirement_on, homeroom_years = EXCLUDED.homeroom_years
        WHERE (staff.district_id, staff.name, staff.gender, staff.birth_date, staff.first_employed_on, staff.education,
               staff.primary_subject, staff.retirement_on, staff.homeroom_years)
           IS DISTINCT FROM (EXCLUDED.district_id, EXCLUDED.name, EXCLUDED.gender, EXCLUDED.birth_date,
               EXCLUDED.first_employed_on, EXCLUDED.education, EXCLUDED.primary_subject, EXCLUDED.retirement_on,
               EXCLUDED.homeroom_years)
        """,
        """
        CREATE TEMP TABLE import_staff ON COMMIT DROP AS
        SELECT s.*, st.staff_id, st.district_id, sc.school_id,
               coalesce(s.qualified_subjects, '{}') AS subjects, coalesce(s.stage_certs, '{}') AS certs
        FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no JOIN school sc ON sc.code = s.home_school_code
        """,
        "CREATE INDEX ON import_staff (staff_id)",
        "ANALYZE import_staff",
        // qualified subjects and stage certificates: the file's list is the whole list
        """
        DELETE FROM staff_subject t USING import_staff i
        WHERE \(present("qualified_subjects")) AND t.staff_id = i.staff_id
          AND NOT (t.subject_code = ANY (i.subjects) AND t.subject_code <> i.primary_subject)
        """,
        """
        INSERT INTO staff_subject (staff_id, district_id, subject_code)
        SELECT i.staff_id, i.district_id, u.code FROM import_staff i CROSS JOIN LATERAL unnest(i.subjects) AS u(code)
        WHERE u.code <> i.primary_subject
        ON CONFLICT DO NOTHING
        """,
        """
        DELETE FROM staff_stage_cert t USING import_staff i
        WHERE \(present("stage_certs")) AND t.staff_id = i.staff_id AND NOT (t.stage::text = ANY (i.certs))
        """,
        """
        INSERT INTO staff_stage_cert (staff_id, district_id, stage)
        SELECT i.staff_id, i.district_id, u.stage::cert_stage FROM import_staff i CROSS JOIN LATERAL unnest(i.certs) AS u(stage)
        ON CONFLICT DO NOTHING
        """,
        """
        INSERT INTO staff_title (staff_id, district_id, level, obtained_on)
        SELECT i.staff_id, i.district_id, i.title::title_level, i.title_since FROM import_staff i WHERE i.title IS NOT NULL
        ON CONFLICT (staff_id, level) DO UPDATE SET obtained_on = EXCLUDED.obtained_on
        WHERE staff_title.obtained_on IS DISTINCT FROM EXCLUDED.obtained_on
        """,
    ]
    + scdMerge(table: "staff_home_school", valueColumn: "school_id", value: "i.school_id", since: "i.home_since", when: "true")
    + scdMerge(table: "staff_status", valueColumn: "status", value: "i.status::employment_status", since: "i.status_since",
               when: "i.status IS NOT NULL")
    + [
        // no status given and none recorded: in post (在岗) since first employment
        """
        INSERT INTO staff_status (staff_id, district_id, status, valid)
        SELECT i.staff_id, i.district_id, 'active', daterange(i.first_employed_on, NULL) FROM import_staff i
        WHERE i.status IS NULL AND NOT EXISTS (SELECT 1 FROM staff_status h WHERE h.staff_id = i.staff_id)
        """,
    ]
    + scdMerge(table: "staff_key_level", valueColumn: "level", value: "i.key_level::key_level", since: "i.key_since",
               when: "i.key_level IS NOT NULL")
}
