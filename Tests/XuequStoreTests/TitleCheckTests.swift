import Foundation
import LibPQ
import Testing
import XuequCore
@testable import XuequStore
import XuequTestSupport

/// `TitleStore.check` (what `xuequ title check` prints) on hand-built teachers stored through the
/// ordinary imports: every rule's have and need, read back from the database records.
///
/// A (本科, 一级 since 2021-09-01, home S001 — urban, tier 1 — since 2015): 高级 needs 5 years, so
/// A is eligible on 2026-09-01 exactly and not the day before. Grades 2021–2025 all 合格 (2020 ended
/// on 2021-08-31, before the title, so it is not needed). 班主任 6 years (need 5). Training 400 h
/// in the five years. Experience: a full-time 交流轮岗 placement at S002 (tier 3) from 2019-09-01 to
/// 2020-09-01 = 366 days (need 365).
/// B (本科, 二级 since 2016, so 一级 is next): no 班主任 years, no training, no grades: missing data,
/// each named, and no projected date. C: no education record, so the years rule cannot be decided.
@Suite("xuequ title check on hand-built teachers")
struct TitleCheckTests {
    func district() throws -> (TestDatabase, Connection) {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let staff = """
            staff_no,name,gender,birth_date,first_employed_on,education,home_school_code,home_since,primary_subject,stage_certs,title,title_since,homeroom_years
            A,甲老师,女,1985-05-01,2008-09-01,本科,S001,2015-09-01,数学,小学;初中,一级,2021-09-01,6
            B,乙老师,男,1990-05-01,2012-09-01,本科,S001,2012-09-01,数学,小学,二级,2016-09-01,
            C,丙老师,男,1991-05-01,2013-09-01,,S001,2013-09-01,数学,小学,二级,2017-09-01,4

            """
        let titles = "staff_no,title,obtained_on\nA,二级,2016-09-01\nA,一级,2021-09-01\nB,二级,2016-09-01\nC,二级,2017-09-01\n"
        let loads = "staff_no,school_year,periods_per_week\nA,2019,14\n"
        let work = """
            ref,staff_no,host_school_code,kind,subject,periods_per_week,start_on,end_on,status,override_reason
            P1,A,S002,placement,数学,14,2019-09-01,2020-09-01,ended,区教委统筹交流

            """
        let training = "staff_no,taken_on,course,hours\nA,2022-07-10,新课标研修,240\nA,2025-07-10,学区教研,160\n"
        let grades = "staff_no,school_year,grade\n" + (2020...2025).map { "A,\($0),合格" }.joined(separator: "\n") + "\n"
        _ = try Importer(connection: conn).importFiles(try Fixtures.write(Fixtures.organisation + [
            (.staff, staff), (.titles, titles), (.loads, loads), (.assignments, work), (.training, training), (.annualGrades, grades),
        ]))
        return (db, conn)
    }

    /// The rules table of `check`, as "rule outcome have need pass_on" lines (English keys).
    func rules(_ conn: Connection, _ staffNo: String, _ asOf: String) throws -> (String, [String]) {
        let csv = try TitleStore(connection: conn, language: .en).check(staffNo: staffNo, asOf: asOf).render(.csv)
        let parts = csv.components(separatedBy: "\n\n")
        let result = parts[0].split(separator: "\n")[1]
        let rules = parts[1].split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).prefix(5).joined(separator: " ")
        }
        return (String(result), rules)
    }

    @Test("eligible on the anniversary itself, with every rule's have and need; the day before, the date it will be")
    func anniversary() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let (onDay, rules) = try rules(conn, "A", "2026-09-01")
        #expect(onDay.contains("senior") || onDay.contains("高级"))
        #expect(onDay.contains("eligible"))
        #expect(rules == [
            "years at level pass 5y since 2021-09-01 5y ",
            "annual grades pass 2021:pass 2022:pass 2023:pass 2024:pass 2025:pass ≥ pass ",
            "ethics pass none none after 2021-09-01 ",
            "班主任 years pass 6 5 ",
            "rural or weak-school experience pass 366 days 365 days ",
            "continuing education pass 400 h 360 h ",
        ])
        let (dayBefore, before) = try self.rules(conn, "A", "2026-08-31")
        #expect(dayBefore.contains("not yet eligible") && dayBefore.hasSuffix("2026-09-01,2026-08-31"))
        #expect(before[0] == "years at level fail 4y since 2021-09-01 5y 2026-09-01")
    }

    @Test("missing records are named, and no date is projected")
    func missingData() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let (result, rules) = try rules(conn, "B", "2026-09-01")
        #expect(result.contains("missing data"))
        #expect(!result.contains("2027") && !result.contains("2028"))
        #expect(rules[0] == "years at level pass 10y since 2016-09-01 4y ")
        #expect(rules[1].hasPrefix("annual grades missing data") && rules[1].contains("2016") && rules[1].contains("2025"))
        #expect(rules[3] == "班主任 years missing data none 3 ")
        #expect(rules[4] == "rural or weak-school experience not applicable — — ")
        #expect(rules[5].hasPrefix("continuing education missing data"))
        let (_, c) = try self.rules(conn, "C", "2026-09-01")
        #expect(c[0].hasPrefix("years at level missing data"))
    }

    @Test("a released period's published grade takes precedence over the imported history for its year")
    func publishedGradeFirst() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        // the batch published 基本合格 for A's 2025 year, and the period was released
        try conn.execute("""
            INSERT INTO evaluation_period (district_id, school_year, starts_on, ends_on, status)
            SELECT district_id, 2025, '2025-09-01', '2026-08-31', 'open' FROM district;
            INSERT INTO nightly_run (as_of, districts, status, finished_at) SELECT '2026-08-31', ARRAY[district_id], 'succeeded', now() FROM district;
            INSERT INTO score_teacher (run_id, period_id, district_id, staff_id, unit_school_id, status, weighted_periods, homeroom,
                                       workload_score, rotation_bonus, total, grade)
            SELECT r.run_id, p.period_id, st.district_id, st.staff_id, 1, 'graded', 14, false, 100, 0, 65, 'basic_pass'
            FROM nightly_run r, evaluation_period p, staff st WHERE st.staff_no = 'A';
            INSERT INTO published_run (district_id, period_id, run_id) SELECT p.district_id, p.period_id, r.run_id FROM nightly_run r, evaluation_period p;
            INSERT INTO published_unit (period_id, unit_school_id, district_id, run_id)
            SELECT p.period_id, 1, p.district_id, r.run_id FROM nightly_run r, evaluation_period p;
            """)
        // not yet released: the history's 合格 still counts
        #expect(try rules(conn, "A", "2026-09-01").1[1] == "annual grades pass 2021:pass 2022:pass 2023:pass 2024:pass 2025:pass ≥ pass ")
        try conn.execute("UPDATE evaluation_period SET status = 'closed'; UPDATE evaluation_period SET status = 'released'")
        #expect(try rules(conn, "A", "2026-09-01").1[1] == "annual grades fail 2021:pass 2022:pass 2023:pass 2024:pass 2025:basic_pass ≥ pass ")
    }

    @Test("a principal and a 学区 office get the same check as HR for a teacher of theirs; another school's teacher is not theirs")
    func asEachRole() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let suffix = String(UUID().uuidString.prefix(8)).lowercased()
        let store = AccessStore(connection: conn, language: .en)
        let principal = "tp_\(suffix)", office = "tc_\(suffix)", other = "to_\(suffix)"
        try store.add(.init(login: principal, role: .principal, displayName: "校长", district: nil, cluster: nil,
                            schools: ["S001"], staffNo: nil, password: nil))
        try store.add(.init(login: office, role: .clusterOffice, displayName: "学区", district: nil, cluster: "DC-HPL",
                            schools: [], staffNo: nil, password: nil))
        try store.add(.init(login: other, role: .principal, displayName: "另一位校长", district: nil, cluster: nil,
                            schools: ["S003"], staffNo: nil, password: nil))
        defer { for l in [principal, office, other] { _ = try? conn.execute("DROP ROLE IF EXISTS \(l)") } }
        let expected = try rules(conn, "A", "2026-09-01")
        for login in [principal, office] {
            let c = try Connection(conninfo: db.conninfo + " user=\(login)")
            let seen = try rules(c, "A", "2026-09-01")
            #expect(seen.0 == expected.0 && seen.1 == expected.1, "\(login): \(seen)")
        }
        let c = try Connection(conninfo: db.conninfo + " user=\(other)")
        #expect(throws: StoreError.self) { try TitleStore(connection: c, language: .en).check(staffNo: "A", asOf: "2026-09-01") }
    }

    @Test("the history read by the range of the ids skips the teachers in it not asked for, and equals the read by list")
    func historyByRange() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let ids = try conn.query("SELECT staff_id FROM staff WHERE staff_no IN ('A', 'C') ORDER BY staff_no").map { try $0.decode(Int64.self, at: 0) }
        let b = try conn.query("SELECT staff_id FROM staff WHERE staff_no = 'B'").scalar(Int64.self)
        #expect(ids.count == 2 && ids.min()! < b && b < ids.max()!)  // B lies inside A–C's range
        #expect(TitleStore.HistoryFilter(ids, wholeTables: false) == .range(ids.min()!, ids.max()!))
        #expect(TitleStore.HistoryFilter([1, 1_000], wholeTables: false) == .list([1, 1_000]))
        #expect(TitleStore.HistoryFilter(ids, wholeTables: true) == .whole)

        let store = TitleStore(connection: conn, language: .en)
        let byRange = try store.subjects(ids, asOf: "2026-09-01")
        #expect(byRange.map(\.teacher.staffNo) == ["A", "C"])
        let a = try #require(byRange.first)
        #expect(a.teacher.titles.count == 2 && a.teacher.training.count == 2 && a.teacher.grades.count == 6 && a.teacher.work.count == 1)
        // B's records (a title) are in the range and must not land on A or C
        #expect(byRange[1].teacher.titles.map(\.level) == [.second])
        // the same teachers read by list: the ids padded with a far one no teacher has
        let byList = try store.subjects(ids + [Int64.max - 1], asOf: "2026-09-01")
        #expect(byList.map(\.teacher) == byRange.map(\.teacher))
    }
}
