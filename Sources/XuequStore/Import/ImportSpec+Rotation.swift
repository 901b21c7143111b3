import Foundation
import XuequCore

extension ImportSpec {
    /// `openings.csv`: the 交流轮岗 openings HR declares for a plan year. For every (district, plan
    /// year) the file mentions it holds all the openings: missing ones are removed. Lines with the
    /// same school and subject add up (domain.md §9: openings of one school and subject merge).
    static func openings(subjects: SubjectVocabulary) -> ImportSpec {
        ImportSpec(
            kind: .openings,
            columns: [
                ColumnSpec("plan_year", ["计划年度", "年度"], .integer(1990...2100)),
                ColumnSpec("school_code", ["学校代码", "接收学校代码"], .code),
                ColumnSpec("subject", ["学科"], .subject(subjects)),
                ColumnSpec("openings", ["岗位数", "人数"], .integer(1...500)),
            ],
            identity: [],
            validateSQL: [
                ReferenceCheck.unknownSchool,
                """
                SELECT min(s.line), 'openings', sum(s.openings)::text, '同一学校同一学科合计 ' || sum(s.openings) || ' 个岗位，超过 500',
                       'the openings of one school and subject add up to ' || sum(s.openings) || ', more than 500'
                FROM import_stage s GROUP BY s.plan_year, s.school_code, s.subject HAVING sum(s.openings) > 500
                """,
            ],
            mergeSQL: [
                """
                CREATE TEMP TABLE import_rows ON COMMIT DROP AS
                SELECT sc.district_id, s.plan_year::smallint AS plan_year, sc.school_id, s.subject AS subject_code,
                       sum(s.openings)::smallint AS openings
                FROM import_stage s JOIN school sc ON sc.code = s.school_code
                GROUP BY sc.district_id, s.plan_year, sc.school_id, s.subject
                """,
                """
                DELETE FROM rotation_opening o
                WHERE (o.district_id, o.plan_year) IN (SELECT DISTINCT district_id, plan_year FROM import_rows)
                  AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE (r.plan_year, r.school_id, r.subject_code) = (o.plan_year, o.school_id, o.subject_code))
                """,
                """
                INSERT INTO rotation_opening (district_id, plan_year, school_id, subject_code, openings)
                SELECT district_id, plan_year, school_id, subject_code, openings FROM import_rows
                ON CONFLICT (plan_year, school_id, subject_code) DO UPDATE SET openings = EXCLUDED.openings
                WHERE rotation_opening.openings IS DISTINCT FROM EXCLUDED.openings
                """,
            ])
    }

    /// `wishes.csv`: teachers' ranked wishes for a plan year. For every (staff_no, plan year) the
    /// file mentions it holds all of that teacher's wishes.
    static let wishes = ImportSpec(
        kind: .wishes,
        columns: [
            ColumnSpec("plan_year", ["计划年度", "年度"], .integer(1990...2100)),
            ColumnSpec("staff_no", ["工号"], .code),
            ColumnSpec("rank", ["志愿顺序", "顺序"], .integer(1...20)),
            ColumnSpec("school_code", ["学校代码", "志愿学校代码"], .code),
        ],
        identity: ["plan_year", "staff_no", "rank"],
        validateSQL: [
            ReferenceCheck.unknownStaff,
            ReferenceCheck.unknownSchool,
            """
            SELECT s.line, 'school_code', s.school_code, '志愿学校与该教师不在同一个区', 'the wished school is in another district'
            FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no JOIN school sc ON sc.code = s.school_code
            WHERE sc.district_id <> st.district_id
            """,
            """
            SELECT s.line, 'school_code', s.school_code, '同一年度的志愿中重复了这所学校（第 ' || f.line || ' 行）',
                   'the same school is wished twice for the year (line ' || f.line || ')'
            FROM import_stage s JOIN import_stage f ON (f.plan_year, f.staff_no, f.school_code) = (s.plan_year, s.staff_no, s.school_code)
                AND f.line < s.line
            """,
        ],
        mergeSQL: [
            """
            CREATE TEMP TABLE import_rows ON COMMIT DROP AS
            SELECT st.staff_id, st.district_id, s.plan_year::smallint AS plan_year, s.rank::smallint AS rank, sc.school_id
            FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no JOIN school sc ON sc.code = s.school_code
            """,
            """
            DELETE FROM rotation_wish w
            WHERE (w.staff_id, w.plan_year) IN (SELECT DISTINCT staff_id, plan_year FROM import_rows)
              AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE (r.staff_id, r.plan_year, r.rank, r.school_id) = (w.staff_id, w.plan_year, w.rank, w.school_id))
            """,
            """
            INSERT INTO rotation_wish (staff_id, district_id, plan_year, rank, school_id)
            SELECT staff_id, district_id, plan_year, rank, school_id FROM import_rows r
            WHERE NOT EXISTS (SELECT 1 FROM rotation_wish w WHERE (r.staff_id, r.plan_year, r.rank, r.school_id) = (w.staff_id, w.plan_year, w.rank, w.school_id))
            """,
        ])
}
