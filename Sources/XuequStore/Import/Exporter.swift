import Foundation
import LibPQ

/// Writes the import formats back out: the same columns and keys, so an exported file imports
/// again without changes. Free-text cells that a spreadsheet would run as a formula are
/// neutralised (`csv_safe`). Streamed with COPY … TO STDOUT.
public struct Exporter {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Streams the CSV (UTF-8, header row of English keys) for a kind, optionally one district.
    @discardableResult
    public func export(_ kind: ImportKind, district: String? = nil, to sink: ([UInt8]) throws -> Void) throws -> Int {
        if let district {
            let found = try connection.query("SELECT 1 FROM district WHERE code = $1", [district], name: "district exists")
            if found.isEmpty { throw StoreError.notFound("no district with code \(district)") }
        }
        // COPY cannot take parameters: the district filter is a set-returning CTE that reads a
        // custom setting, bound with set_config() — still never SQL text built from input.
        try connection.query("SELECT set_config('xuequ.export_district', $1, false)", [district ?? ""], name: "export filter")
        let sql = "COPY (WITH d AS (SELECT district_id FROM district WHERE current_setting('xuequ.export_district') IN ('', code)) "
            + Self.select(kind) + ") TO STDOUT WITH (FORMAT csv, HEADER)"
        return try connection.copyOut(sql, name: "export \(kind.rawValue)", sink)
    }

    static func select(_ kind: ImportKind) -> String {
        let staffJoin = "FROM staff st JOIN d USING (district_id)"
        let range = "lower(h.valid) AS start_on, upper(h.valid) AS end_on"
        switch kind {
        case .districts:
            return "SELECT code, csv_safe(name) AS name FROM district JOIN d USING (district_id) ORDER BY code"
        case .clusters:
            return """
                SELECT c.code, di.code AS district_code, csv_safe(c.name) AS name
                FROM cluster c JOIN d USING (district_id) JOIN district di USING (district_id) ORDER BY c.code
                """
        case .schools:
            return """
                SELECT s.code, di.code AS district_code, c.code AS cluster_code, csv_safe(s.name) AS name, s.stage, s.tier,
                       s.rural, s.lat, s.lon
                FROM school s JOIN d USING (district_id) JOIN district di USING (district_id)
                LEFT JOIN cluster c USING (cluster_id) ORDER BY s.code
                """
        case .campuses:
            return """
                SELECT s.code AS school_code, c.code, csv_safe(c.name) AS name, c.lat, c.lon
                FROM campus c JOIN d USING (district_id) JOIN school s USING (school_id) ORDER BY s.code, c.code
                """
        case .groups:
            return """
                SELECT g.code, di.code AS district_code, csv_safe(g.name) AS name, g.kind
                FROM edu_group g JOIN d USING (district_id) JOIN district di USING (district_id) ORDER BY g.code
                """
        case .groupMembers:
            return """
                SELECT g.code AS group_code, s.code AS school_code, m.joined_on
                FROM edu_group_member m JOIN d USING (district_id) JOIN edu_group g USING (group_id)
                JOIN school s ON s.school_id = m.school_id ORDER BY g.code, s.code
                """
        case .staff:
            // the current columns of a staff file are the open ranges of the histories, as the import
            // writes them (a range may start in the future), and the highest title
            return """
                SELECT c.staff_no, csv_safe(c.name) AS name, c.gender, c.birth_date, c.first_employed_on, c.education,
                       s.code AS home_school_code, lower(h.valid) AS home_since, c.primary_subject,
                       (SELECT string_agg(subject_code, ';' ORDER BY subject_code) FROM staff_subject x WHERE x.staff_id = c.staff_id) AS qualified_subjects,
                       (SELECT string_agg(stage::text, ';' ORDER BY stage) FROM staff_stage_cert x WHERE x.staff_id = c.staff_id) AS stage_certs,
                       t.level AS title, t.obtained_on AS title_since, k.level AS key_level, lower(k.valid) AS key_since,
                       st.status, lower(st.valid) AS status_since, c.retirement_on, c.homeroom_years
                FROM staff c JOIN d USING (district_id)
                LEFT JOIN staff_home_school h ON h.staff_id = c.staff_id AND upper_inf(h.valid)
                LEFT JOIN school s ON s.school_id = h.school_id
                LEFT JOIN LATERAL (SELECT level, obtained_on FROM staff_title x WHERE x.staff_id = c.staff_id
                                   ORDER BY level DESC LIMIT 1) t ON true
                LEFT JOIN staff_key_level k ON k.staff_id = c.staff_id AND upper_inf(k.valid)
                LEFT JOIN staff_status st ON st.staff_id = c.staff_id AND upper_inf(st.valid)
                ORDER BY c.staff_no
                """
        case .homeSchools:
            return "SELECT st.staff_no, s.code AS school_code, \(range) \(staffJoin) JOIN staff_home_school h USING (staff_id) JOIN school s ON s.school_id = h.school_id ORDER BY 1, 3"
        case .titles:
            return "SELECT st.staff_no, h.level AS title, h.obtained_on \(staffJoin) JOIN staff_title h USING (staff_id) ORDER BY 1, 2"
        case .keyLevels:
            return "SELECT st.staff_no, h.level AS key_level, \(range) \(staffJoin) JOIN staff_key_level h USING (staff_id) ORDER BY 1, 3"
        case .statuses:
            return "SELECT st.staff_no, h.status, \(range) \(staffJoin) JOIN staff_status h USING (staff_id) ORDER BY 1, 3"
        case .posts:
            return "SELECT st.staff_no, s.code AS school_code, h.post, \(range) \(staffJoin) JOIN staff_post h USING (staff_id) JOIN school s ON s.school_id = h.school_id ORDER BY 1, 2, 4"
        case .homeroomYears:
            return "SELECT st.staff_no, h.school_year \(staffJoin) JOIN staff_homeroom_year h USING (staff_id) ORDER BY 1, 2"
        case .training:
            return "SELECT st.staff_no, h.taken_on, csv_safe(h.course) AS course, h.hours \(staffJoin) JOIN staff_training h USING (staff_id) ORDER BY 1, 2, 3"
        case .ethics:
            return "SELECT st.staff_no, h.occurred_on, csv_safe(h.description) AS description \(staffJoin) JOIN staff_ethics_record h USING (staff_id) ORDER BY 1, 2, 3"
        case .loads:
            return "SELECT st.staff_no, h.school_year, h.periods_per_week \(staffJoin) JOIN staff_home_load h USING (staff_id) ORDER BY 1, 2"
        case .assignments:
            return """
                SELECT a.ref, st.staff_no, s.code AS host_school_code, a.kind, a.subject_code AS subject, a.periods_per_week,
                       lower(a.valid) AS start_on, upper(a.valid) AS end_on, a.status, csv_safe(a.override_reason) AS override_reason
                FROM assignment a JOIN d USING (district_id) JOIN staff st USING (staff_id)
                JOIN school s ON s.school_id = a.host_school_id ORDER BY a.ref
                """
        case .openings:
            return """
                SELECT o.plan_year, s.code AS school_code, o.subject_code AS subject, o.openings
                FROM rotation_opening o JOIN d USING (district_id) JOIN school s USING (school_id) ORDER BY 1, 2, 3
                """
        case .wishes:
            return """
                SELECT w.plan_year, st.staff_no, w.rank, s.code AS school_code
                FROM rotation_wish w JOIN d USING (district_id) JOIN staff st USING (staff_id)
                JOIN school s ON s.school_id = w.school_id ORDER BY 1, 2, 3
                """
        case .evaluationPeriods:
            return """
                SELECT di.code AS district_code, p.school_year, p.starts_on, p.ends_on, p.status
                FROM evaluation_period p JOIN d USING (district_id) JOIN district di USING (district_id) ORDER BY 1, 2
                """
        case .evaluations:
            return """
                SELECT p.school_year, st.staff_no, s.code AS school_code, csv_safe(e.evaluator) AS evaluator, e.dimension, e.score,
                       csv_safe(e.comment) AS comment
                FROM evaluation e JOIN d USING (district_id) JOIN evaluation_period p USING (period_id)
                JOIN staff st USING (staff_id) JOIN school s ON s.school_id = e.school_id ORDER BY 1, 2, 3, 4, 5
                """
        case .annualGrades:
            return "SELECT st.staff_no, h.school_year, h.grade \(staffJoin) JOIN staff_annual_grade h USING (staff_id) ORDER BY 1, 2"
        case .incentivePools:
            return """
                SELECT p.school_year, s.code AS school_code, x.pool_fen
                FROM incentive_pool x JOIN d USING (district_id) JOIN evaluation_period p USING (period_id)
                JOIN school s ON s.school_id = x.school_id ORDER BY 1, 2
                """
        case .assignmentSlots:
            return """
                SELECT a.ref, x.weekday, to_char(x.starts, 'HH24:MI') AS starts, to_char(x.ends, 'HH24:MI') AS ends, c.code AS campus_code
                FROM assignment_slot x JOIN assignment a USING (assignment_id) JOIN d USING (district_id)
                JOIN campus c ON c.campus_id = x.campus_id ORDER BY a.ref, x.weekday, x.starts
                """
        }
    }
}
