import Foundation
import XuequCore

extension ImportSpec {
    /// `evaluation-periods.csv`: a district's evaluation period per school year (dates, state).
    static let evaluationPeriods = ImportSpec(
        kind: .evaluationPeriods,
        columns: [
            ColumnSpec("district_code", ["区代码"], .code),
            ColumnSpec("school_year", ["学年"], .integer(1950...2100)),
            ColumnSpec("starts_on", ["开始日期"], .date),
            ColumnSpec("ends_on", ["结束日期"], .date),
            ColumnSpec("status", ["状态"], required: false, .term(EvaluationPeriodStatus.self)),
        ],
        identity: ["district_code", "school_year"],
        validateSQL: [
            ReferenceCheck.unknown("district_code", table: "district", zh: "没有这个区代码（请先导入区）", en: "no district with this code (import districts first)"),
            """
            SELECT s.line, 'ends_on', s.ends_on::text, '结束日期须在开始日期之后一年以内', 'ends_on must be after starts_on and within a year of it'
            FROM import_stage s WHERE s.ends_on < s.starts_on OR s.ends_on >= s.starts_on + 400
            """,
        ],
        mergeSQL: [
            """
            UPDATE evaluation_period p SET starts_on = s.starts_on, ends_on = s.ends_on,
                                           status = coalesce(s.status::evaluation_period_status, p.status)
            FROM import_stage s JOIN district d ON d.code = s.district_code
            WHERE p.district_id = d.district_id AND p.school_year = s.school_year
              AND (p.starts_on, p.ends_on, p.status) IS DISTINCT FROM (s.starts_on, s.ends_on, coalesce(s.status::evaluation_period_status, p.status))
            """,
            """
            INSERT INTO evaluation_period (district_id, school_year, starts_on, ends_on, status)
            SELECT d.district_id, s.school_year, s.starts_on, s.ends_on, coalesce(s.status::evaluation_period_status, 'open')
            FROM import_stage s JOIN district d ON d.code = s.district_code
            ON CONFLICT (district_id, school_year) DO NOTHING
            """,
        ])

    /// `evaluations.csv`: evaluators' scores, one row per teacher, school, evaluator and dimension.
    /// A known row gets the new score and comment. A principal's file may hold only their own scores
    /// at their own schools (row-level security enforces it; the checks here name the lines). The
    /// rules of the period (open, rubric dimension, taught at the school) are the triggers' on the
    /// merge; a refusal names every break at its line.
    static var evaluations: ImportSpec {
        // a dimension may be given by its key or its Chinese name in the period's rubric
        let resolved = """
            WITH names AS (
                SELECT y.district_id, y.school_year, d.key, d.name_zh
                FROM (SELECT DISTINCT district_id, school_year FROM evaluation_period) y,
                     evaluation_dimensions(y.district_id, y.school_year) d
            )
            SELECT s.line, p.period_id, st.district_id, st.staff_id, sc.school_id,
                   coalesce(s.evaluator, session_user::text) AS evaluator, coalesce(n.key, s.dimension) AS dimension, s.score, s.comment
            FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no JOIN school sc ON sc.code = s.school_code
            JOIN evaluation_period p ON p.district_id = st.district_id AND p.school_year = s.school_year
            LEFT JOIN names n ON n.district_id = p.district_id AND n.school_year = p.school_year AND n.name_zh = s.dimension
            """
        var spec = ImportSpec(
            kind: .evaluations,
            columns: [
                ColumnSpec("school_year", ["学年"], .integer(1950...2100)),
                ColumnSpec("staff_no", ["工号"], .code),
                ColumnSpec("school_code", ["学校代码", "评价学校代码"], .code),
                ColumnSpec("evaluator", ["评价人"], required: false, .evaluator),
                ColumnSpec("dimension", ["维度", "考核维度"], .text(max: 50)),
                ColumnSpec("score", ["分数", "得分"], .decimal(scale: 1, 0...100)),
                ColumnSpec("comment", ["评语", "备注"], required: false, .text(max: 500)),
            ],
            identity: ["school_year", "staff_no", "school_code", "evaluator", "dimension"],
            validateSQL: [
                ReferenceCheck.unknownStaff,
                ReferenceCheck.unknownSchool,
                """
                SELECT s.line, 'school_year', s.school_year::text,
                       d.code || ' 没有 ' || s.school_year || ' 学年的考核周期（请人事科先开启：xuequ eval period open）',
                       'district ' || d.code || ' has no evaluation period for ' || s.school_year || ' (HR opens it: xuequ eval period open)'
                FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no JOIN district d USING (district_id)
                WHERE NOT EXISTS (SELECT 1 FROM evaluation_period p WHERE p.district_id = st.district_id AND p.school_year = s.school_year)
                """,
                // a principal scores only at their own schools, in their own name
                """
                SELECT s.line, 'school_code', s.school_code,
                       '您（' || session_user || '）只能为自己学校（' || coalesce((SELECT string_agg(code, '、' ORDER BY code) FROM school
                           WHERE school_id = ANY (xuequ_user_schools())), '无') || '）录入评分',
                       'you (' || session_user || ') may only enter scores at your own school(s): '
                           || coalesce((SELECT string_agg(code, ', ' ORDER BY code) FROM school WHERE school_id = ANY (xuequ_user_schools())), 'none')
                FROM import_stage s JOIN school sc ON sc.code = s.school_code
                WHERE xuequ_user_role() IS NOT DISTINCT FROM 'principal' AND NOT (sc.school_id = ANY (xuequ_user_schools()))
                """,
                """
                SELECT s.line, 'evaluator', s.evaluator, '校长只能以本人（' || session_user || '）的名义评分',
                       'a principal scores only in their own name (' || session_user || ')'
                FROM import_stage s
                WHERE xuequ_user_role() IS NOT DISTINCT FROM 'principal' AND s.evaluator IS NOT NULL AND s.evaluator <> session_user::text
                """,
            ],
            mergeSQL: [
                "CREATE TEMP TABLE import_rows ON COMMIT DROP AS \(resolved)",
                """
                INSERT INTO evaluation AS e (period_id, district_id, staff_id, school_id, evaluator, dimension, score, comment)
                SELECT period_id, district_id, staff_id, school_id, evaluator, dimension, score, comment FROM import_rows ORDER BY line
                ON CONFLICT (period_id, staff_id, school_id, evaluator, dimension) DO UPDATE
                    SET score = EXCLUDED.score,
                        comment = \(keep("comment", staged: "EXCLUDED.comment", current: "e.comment")),
                        entered_at = now(), entered_by = session_user
                    WHERE (e.score, e.comment) IS DISTINCT FROM
                          (EXCLUDED.score, \(keep("comment", staged: "EXCLUDED.comment", current: "e.comment")))
                """,
            ])
        spec.explainSQL = [
            """
            WITH r AS (\(resolved)),
            keyed AS (
                SELECT s.line, s.dimension, s.school_code, s.school_year,
                       s.staff_no || '/' || s.school_code || '/' || r.evaluator || '/' || r.dimension AS k
                FROM r JOIN import_stage s USING (line)
            ),
            b AS (SELECT * FROM evaluation_breaks((
                SELECT array_agg(ROW(r.period_id, r.district_id, r.staff_id, r.school_id, r.evaluator, r.dimension, r.score, r.comment,
                                     now(), session_user)::evaluation) FROM r)))
            SELECT x.line, CASE b.rule WHEN 'dimension' THEN 'dimension' WHEN 'taught_at' THEN 'school_code' ELSE 'school_year' END,
                   CASE b.rule WHEN 'dimension' THEN x.dimension WHEN 'taught_at' THEN x.school_code ELSE x.school_year::text END,
                   b.message_zh, b.message_en
            FROM b JOIN keyed x ON x.k = b.key
            """,
        ]
        return spec
    }

    /// `incentive-pools.csv`: HR's 奖励性绩效 pool per assessment unit (school) and school year, in fen.
    static let incentivePools = ImportSpec(
        kind: .incentivePools,
        columns: [
            ColumnSpec("school_year", ["学年"], .integer(1950...2100)),
            ColumnSpec("school_code", ["学校代码"], .code),
            ColumnSpec("pool_fen", ["奖励性绩效总额（分）", "奖励性绩效总额", "总额（分）"], .integer(0...100_000_000_000)),
        ],
        identity: ["school_year", "school_code"],
        validateSQL: [
            ReferenceCheck.unknownSchool,
            """
            SELECT s.line, 'school_year', s.school_year::text,
                   d.code || ' 没有 ' || s.school_year || ' 学年的考核周期（请先开启：xuequ eval period open）',
                   'district ' || d.code || ' has no evaluation period for ' || s.school_year || ' (open it first: xuequ eval period open)'
            FROM import_stage s JOIN school sc ON sc.code = s.school_code JOIN district d USING (district_id)
            WHERE NOT EXISTS (SELECT 1 FROM evaluation_period p WHERE p.district_id = sc.district_id AND p.school_year = s.school_year)
            """,
        ],
        mergeSQL: [
            """
            INSERT INTO incentive_pool AS x (period_id, district_id, school_id, pool_fen)
            SELECT p.period_id, sc.district_id, sc.school_id, s.pool_fen
            FROM import_stage s JOIN school sc ON sc.code = s.school_code
            JOIN evaluation_period p ON p.district_id = sc.district_id AND p.school_year = s.school_year
            ORDER BY s.line
            ON CONFLICT (period_id, school_id) DO UPDATE SET pool_fen = EXCLUDED.pool_fen WHERE x.pool_fen <> EXCLUDED.pool_fen
            """,
        ])
}

extension FieldType {
    /// An evaluator: a login name (or a name on a paper form), no spaces, commas or semicolons.
    static let evaluator = FieldType(sqlType: "text") { t in
        let ok = !t.isEmpty && t.utf8.count <= 63 && !t.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "," || $0 == ";" || $0.value < 0x20 }
        return ok ? .success(t) : .failure(Message(zh: "评价人应为登录名（最多 63 个字节，不含空格、逗号、分号）",
                                                   en: "an evaluator is a login name (at most 63 bytes, no spaces, commas or semicolons)"))
    }
}
