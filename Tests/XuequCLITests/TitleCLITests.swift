import Foundation
import LibPQ
import Testing
import XuequTestSupport

/// `xuequ title` on the demo district: the report's counts recomputed independently in SQL from
/// the base tables, and one teacher's explanation.
@Suite("xuequ title on the demo district")
struct TitleCLITests {
    static let asOf = "2027-06-30"

    /// Parses one section of a CSV `Sections` rendering (sections separated by blank lines).
    static func csvSection(_ text: String, _ index: Int) -> [[String]] {
        let sections = text.components(separatedBy: "\n\n")
        guard index < sections.count else { return [] }
        return sections[index].split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("title report counts per school and per rule equal an independent SQL recomputation")
    func reportRecomputed() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path]).status == 0)
        let nightly = try cli.run(["nightly", "--as-of", Self.asOf])
        #expect(nightly.status == 3, "\(nightly.stderr)")
        let c = try db.connect()
        let report = try cli.run(["title", "report", "--cluster", "DC-HPL", "--format", "csv", "--lang", "en"])
        #expect(report.status == 0, "\(report.stderr)")

        // the teachers assessed: not 离职/退休 on the date, by their home school on the date
        let base = """
            WITH t AS (
                SELECT st.*, h.school_id AS home,
                       (SELECT max(x.level) FROM staff_title x WHERE x.staff_id = st.staff_id AND x.obtained_on <= $1::date) AS level
                FROM staff st JOIN staff_home_school h ON h.staff_id = st.staff_id AND h.valid @> $1::date
                WHERE NOT EXISTS (SELECT 1 FROM staff_status s WHERE s.staff_id = st.staff_id AND s.valid @> $1::date
                                                            AND s.status IN ('left', 'retired'))
                  AND h.school_id IN (SELECT sc.school_id FROM school sc JOIN cluster cl USING (cluster_id) WHERE cl.code = 'DC-HPL')
            ), target AS (
                SELECT t.*, CASE WHEN t.level IS NULL THEN CASE WHEN t.education >= 'bachelor' THEN 'second' ELSE 'third' END
                                 WHEN t.level = 'third' THEN 'second' WHEN t.level = 'second' THEN 'first'
                                 WHEN t.level = 'first' THEN 'senior' WHEN t.level = 'senior' THEN 'full_senior' END AS target
                FROM t
            )
            """
        // per school: teachers assessed, and those already at the top
        let bySchool = try c.query(base + """
            SELECT sc.code, count(*), count(*) FILTER (WHERE target IS NULL) FROM target JOIN school sc ON sc.school_id = target.home
            GROUP BY sc.code ORDER BY sc.code
            """, [Self.asOf]).map { "\($0[0]!) \($0[1]!) \($0[2]!)" }
        let reported = Self.csvSection(report.stdout, 0).map { "\($0[0].split(separator: " ")[0]) \($0[1]) \($0[6])" }
        #expect(reported == bySchool)
        #expect(bySchool.count == 5)

        // per rule: ethics (a violation within five years), 班主任 years (unknown, or fewer than the
        // target needs) and continuing education (no records; fewer than 360 hours in five years)
        let counts = try c.query(base + """
            , r AS (
                SELECT target.*,
                       EXISTS (SELECT 1 FROM staff_ethics_record e WHERE e.staff_id = target.staff_id
                               AND $1::date < (e.occurred_on + interval '5 years')::date) AS ethics_fail,
                       CASE target.target WHEN 'first' THEN 3 WHEN 'senior' THEN 5 WHEN 'full_senior' THEN 5 END AS homeroom_need,
                       (SELECT sum(x.hours) FROM staff_training x WHERE x.staff_id = target.staff_id
                        AND x.taken_on > ($1::date - interval '5 years')::date AND x.taken_on <= $1::date) AS hours,
                       EXISTS (SELECT 1 FROM staff_training x WHERE x.staff_id = target.staff_id) AS any_training
                FROM target WHERE target.target IS NOT NULL
            )
            SELECT count(*) FILTER (WHERE ethics_fail),
                   count(*) FILTER (WHERE homeroom_need IS NOT NULL AND homeroom_years < homeroom_need),
                   count(*) FILTER (WHERE homeroom_need IS NOT NULL AND homeroom_years IS NULL),
                   count(*) FILTER (WHERE any_training AND coalesce(hours, 0) < 360),
                   count(*) FILTER (WHERE NOT any_training)
            FROM r
            """, [Self.asOf])[0]
        let rules = (0..<5).map { counts[$0] ?? "0" }
        var byRule: [String: (String, String)] = [:]
        for row in Self.csvSection(report.stdout, 1) { byRule[row[0]] = (row[1], row[2]) }
        #expect((byRule["ethics"]?.0 ?? "0") == rules[0])
        #expect((byRule["班主任 years"]?.0 ?? "0") == rules[1])
        #expect((byRule["班主任 years"]?.1 ?? "0") == rules[2])
        #expect((byRule["continuing education"]?.0 ?? "0") == rules[3])
        #expect((byRule["continuing education"]?.1 ?? "0") == rules[4])
        #expect(Int(rules[3])! > 0)

        // one teacher's explanation names every rule with have and need
        let someone = try c.query("""
            SELECT st.staff_no FROM title_result r JOIN staff st USING (staff_id)
            WHERE r.target = 'senior' AND r.status = 'blocked' ORDER BY st.staff_no LIMIT 1
            """).scalar(String.self)
        let check = try cli.run(["title", "check", someone, "--as-of", Self.asOf])
        #expect(check.status == 0, "\(check.stderr)")
        for label in ["任职年限", "年度考核", "师德", "班主任年限", "农村或薄弱学校任教经历", "继续教育学时", "高级", "暂不符合"] {
            #expect(check.stdout.contains(label), "\(label) missing in \(check.stdout)")
        }
    }
}
