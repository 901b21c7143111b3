import Foundation
import XuequCore

extension ImportSpec {
    /// `assignments.csv`: cross-school work keyed by HR's reference (`ref`). A new reference is
    /// inserted; a known one is updated (subject, periods, dates, status, override reason) — its
    /// teacher, host and kind are fixed, and its status may only move along the legal steps.
    /// Every new or changed row is checked against the rules of domain.md §4 by the database's
    /// triggers on the merge; a refusal is explained by `assignment_breaks()` over the staged file,
    /// every break at its line, and nothing is written.
    static func assignments(subjects: SubjectVocabulary) -> ImportSpec {
        // the staged rows resolved to ids, with the stored row if the reference is known
        let resolved = """
            SELECT s.line, s.ref, a.assignment_id, st.district_id, st.staff_id, sc.school_id AS host_school_id,
                   s.kind::assignment_kind AS kind,
                   \(keep("subject", staged: "s.subject", current: "a.subject_code")) AS subject_code, s.periods_per_week,
                   daterange(s.start_on, s.end_on) AS valid,
                   coalesce(s.status::assignment_status, a.status, 'proposed') AS status,
                   \(keep("override_reason", staged: "s.override_reason", current: "a.override_reason")) AS override_reason
            FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no JOIN school sc ON sc.code = s.host_school_code
            LEFT JOIN assignment a ON a.ref = s.ref
            """
        let changed = """
            r.assignment_id IS NULL OR EXISTS (
                SELECT 1 FROM assignment a WHERE a.assignment_id = r.assignment_id
                AND (a.status, a.subject_code, a.periods_per_week, a.valid, a.override_reason)
                    IS DISTINCT FROM (r.status, r.subject_code, r.periods_per_week, r.valid, r.override_reason))
            """
        var spec = ImportSpec(
            kind: .assignments,
            columns: [
                ColumnSpec("ref", ["安排编号", "编号"], .code),
                ColumnSpec("staff_no", ["工号", "教职工编号"], .code),
                ColumnSpec("host_school_code", ["任职学校代码", "接收学校代码", "任教学校代码"], .code),
                ColumnSpec("kind", ["类型", "任教类型"], .term(AssignmentKind.self)),
                ColumnSpec("subject", ["学科", "任教学科"], required: false, .subject(subjects)),
                ColumnSpec("periods_per_week", ["周课时", "每周课时"], .decimal(scale: 1, Decimal(string: "0.5")!...40)),
                ColumnSpec("start_on", ["开始日期"], .date),
                ColumnSpec("end_on", ["结束日期"], .date),
                ColumnSpec("status", ["状态"], required: false, .term(AssignmentStatus.self)),
                ColumnSpec("override_reason", ["越区理由", "人事科批准理由"], required: false, .text(max: 500)),
            ],
            identity: ["ref"],
            validateSQL: [
                ReferenceCheck.unknownStaff,
                ReferenceCheck.unknown("host_school_code", table: "school",
                                       zh: "没有这个学校代码（请先导入学校）", en: "no school with this code (import schools first)"),
                """
                SELECT s.line, 'host_school_code', s.host_school_code, '任职学校与该教师不在同一个区', 'the host school is in another district'
                FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no JOIN school sc ON sc.code = s.host_school_code
                WHERE sc.district_id <> st.district_id
                """,
                """
                SELECT s.line, 'ref', s.ref,
                       '编号 ' || s.ref || ' 已是 #' || a.assignment_id || '（' || st.staff_no || '，' || sc.code || '，' || assignment_kind_zh(a.kind) || '）的编号；教师、任职学校和类型不能改',
                       'reference ' || s.ref || ' already names #' || a.assignment_id || ' (' || st.staff_no || ', ' || sc.code || ', '
                           || a.kind || '); its teacher, host and kind cannot change'
                FROM import_stage s JOIN assignment a ON a.ref = s.ref JOIN staff st ON st.staff_id = a.staff_id
                JOIN school sc ON sc.school_id = a.host_school_id
                WHERE (st.staff_no, sc.code, a.kind::text) IS DISTINCT FROM (s.staff_no, s.host_school_code, s.kind)
                """,
                """
                SELECT s.line, 'status', s.status,
                       '安排 ' || s.ref || ' 现为“' || assignment_status_zh(a.status) || '”，不能改为“' || assignment_status_zh(s.status::assignment_status) || '”',
                       'assignment ' || s.ref || ' is ' || a.status || ' and cannot become ' || s.status
                FROM import_stage s JOIN assignment a ON a.ref = s.ref
                WHERE s.status IS NOT NULL AND s.status <> a.status::text
                  AND (a.status::text, s.status) NOT IN (('proposed', 'approved'), ('proposed', 'rejected'), ('proposed', 'cancelled'),
                                                         ('approved', 'active'), ('approved', 'cancelled'), ('active', 'ended'))
                """,
                """
                WITH r AS (\(resolved))
                SELECT r.line, 'subject', NULL, '任教安排必须写学科（只有学区兼职可以不写）', 'teaching needs a subject (only a 学区 role may have none)'
                FROM r WHERE r.subject_code IS NULL AND r.kind <> 'cluster_role'
                """,
            ],
            mergeSQL: [
                // the districts' rule-check lock, exclusively, before the first write (see lock_teachers)
                """
                SELECT count(pg_advisory_xact_lock(hashtext('xuequ.district'), d.district_id))
                FROM (SELECT DISTINCT st.district_id FROM import_stage s JOIN staff st ON st.staff_no = s.staff_no ORDER BY 1) d
                """,
                "SELECT set_config('xuequ.reason', 'CSV 导入', true)",
                "CREATE TEMP TABLE import_rows ON COMMIT DROP AS \(resolved)",
                """
                UPDATE assignment a SET subject_code = r.subject_code, periods_per_week = r.periods_per_week, valid = r.valid,
                                        status = r.status, override_reason = r.override_reason
                FROM import_rows r WHERE a.assignment_id = r.assignment_id
                  AND (a.status, a.subject_code, a.periods_per_week, a.valid, a.override_reason)
                      IS DISTINCT FROM (r.status, r.subject_code, r.periods_per_week, r.valid, r.override_reason)
                """,
                """
                INSERT INTO assignment (ref, district_id, staff_id, host_school_id, kind, subject_code, periods_per_week, valid,
                                        status, override_reason)
                SELECT ref, district_id, staff_id, host_school_id, kind, subject_code, periods_per_week, valid, status, override_reason
                FROM import_rows WHERE assignment_id IS NULL ORDER BY line
                """,
            ])
        // the rules of domain.md §4: the triggers check them on the merge; when they refuse, this
        // names every break of the file at its line
        spec.explainSQL = [
                """
                WITH r AS (\(resolved))
                SELECT b.key::integer,
                       CASE b.rule WHEN 'home' THEN 'staff_no' WHEN 'subject' THEN 'subject' WHEN 'placement_overlap' THEN 'start_on'
                                   WHEN 'load' THEN 'periods_per_week' ELSE 'host_school_code' END,
                       CASE b.rule WHEN 'home' THEN s.staff_no WHEN 'subject' THEN s.subject WHEN 'placement_overlap' THEN s.start_on::text
                                   WHEN 'load' THEN s.periods_per_week::text ELSE s.host_school_code END,
                       b.message_zh, b.message_en
                FROM assignment_breaks((
                    SELECT array_agg(ROW(r.line::text, '第 ' || r.line || ' 行', 'line ' || r.line, r.assignment_id, r.district_id,
                                         r.staff_id, r.host_school_id, r.kind, r.subject_code, r.periods_per_week, r.valid, r.status,
                                         r.override_reason)::assignment_candidate)
                    FROM r WHERE \(changed))) b
                JOIN import_stage s ON s.line = b.key::integer
                """,
        ]
        spec.rowCheck = { row in
            var problems: [(String, Message)] = []
            if row["end_on"]! <= row["start_on"]! {
                problems.append(("end_on", Message(zh: "结束日期（最后一天的次日）必须晚于开始日期", en: "end_on (the day after the last) must be after start_on")))
            }
            return problems
        }
        return spec
    }

    /// `assignment-slots.csv`: the weekly timetable of assignments. For every reference it
    /// mentions, the file holds all of that assignment's slots: missing ones are deleted.
    static var assignmentSlots: ImportSpec {
        // the staged slots with their assignment, as candidates for slot_breaks()
        let candidates = """
            SELECT array_agg(ROW(s.line::text, '第 ' || s.line || ' 行', 'line ' || s.line, s.ref, a.assignment_id,
                                 a.status IN ('approved', 'active'), a.district_id, a.staff_id, a.valid, c.campus_id,
                                 s.weekday::smallint, s.starts, s.ends)::slot_candidate)
            FROM import_stage s JOIN assignment a ON a.ref = s.ref
            JOIN campus c ON c.school_id = a.host_school_id AND c.code = s.campus_code
            WHERE a.status IN ('proposed', 'approved', 'active')
            """
        var spec = ImportSpec(
            kind: .assignmentSlots,
            columns: [
                ColumnSpec("ref", ["安排编号", "编号"], .code),
                ColumnSpec("weekday", ["星期", "周几"], .term(Weekday.self)),
                ColumnSpec("starts", ["开始时间", "上课时间"], .timeOfDay),
                ColumnSpec("ends", ["结束时间", "下课时间"], .timeOfDay),
                ColumnSpec("campus_code", ["校区代码", "校区"], .code),
            ],
            identity: ["ref", "weekday", "starts"],
            validateSQL: [
                ReferenceCheck.unknown("ref", table: "assignment", tableColumn: "ref",
                                       zh: "没有这个安排编号（请先导入 assignments.csv）", en: "no assignment with this reference (import assignments.csv first)"),
                """
                SELECT s.line, 'campus_code', s.campus_code, '任职学校 ' || sc.code || ' 没有校区 ' || s.campus_code,
                       'the host school ' || sc.code || ' has no campus ' || s.campus_code
                FROM import_stage s JOIN assignment a ON a.ref = s.ref JOIN school sc ON sc.school_id = a.host_school_id
                WHERE NOT EXISTS (SELECT 1 FROM campus c WHERE c.school_id = a.host_school_id AND c.code = s.campus_code)
                """,
            ],
            mergeSQL: [
                """
                SELECT count(pg_advisory_xact_lock(hashtext('xuequ.district'), d.district_id))
                FROM (SELECT DISTINCT a.district_id FROM import_stage s JOIN assignment a ON a.ref = s.ref ORDER BY 1) d
                """,
                """
                CREATE TEMP TABLE import_rows ON COMMIT DROP AS
                SELECT a.assignment_id, s.weekday::smallint AS weekday, s.starts, s.ends, c.campus_id
                FROM import_stage s JOIN assignment a ON a.ref = s.ref
                JOIN campus c ON c.school_id = a.host_school_id AND c.code = s.campus_code
                """,
                """
                DELETE FROM assignment_slot t
                WHERE t.assignment_id IN (SELECT assignment_id FROM import_rows)
                  AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE (r.assignment_id, r.weekday, r.starts, r.ends, r.campus_id)
                                                                    = (t.assignment_id, t.weekday, t.starts, t.ends, t.campus_id))
                """,
                """
                INSERT INTO assignment_slot (assignment_id, weekday, starts, ends, campus_id)
                SELECT r.assignment_id, r.weekday, r.starts, r.ends, r.campus_id FROM import_rows r
                WHERE NOT EXISTS (SELECT 1 FROM assignment_slot t WHERE (r.assignment_id, r.weekday, r.starts, r.ends, r.campus_id)
                                                                        = (t.assignment_id, t.weekday, t.starts, t.ends, t.campus_id))
                """,
            ])
        // travel time and campus changes: checked by the trigger on the merge, explained by line here
        spec.explainSQL = [
                """
                SELECT b.key::integer, CASE b.rule WHEN 'slot_clash' THEN 'starts' ELSE 'weekday' END,
                       CASE b.rule WHEN 'slot_clash' THEN to_char(s.starts, 'HH24:MI') ELSE s.weekday END,
                       b.message_zh, b.message_en
                FROM slot_breaks((\(candidates))) b JOIN import_stage s ON s.line = b.key::integer
                """,
        ]
        spec.rowCheck = { row in
            let starts = row["starts"]!, ends = row["ends"]!
            if ends <= starts { return [("ends", Message(zh: "下课时间必须晚于上课时间", en: "ends must be after starts"))] }
            if starts < "06:00" { return [("starts", Message(zh: "上课时间不能早于 06:00", en: "starts may not be before 06:00"))] }
            if ends > "22:00" { return [("ends", Message(zh: "下课时间不能晚于 22:00", en: "ends may not be after 22:00"))] }
            return []
        }
        return spec
    }
}
