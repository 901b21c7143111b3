import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

/// Eligibility for 交流轮岗 (domain.md §5, §9) on its edges. Plan year 2027: the reference date D
/// is 2027-09-01.
@Suite("Rotation eligibility")
struct RotationEligibilityTests {
    static let header = "staff_no,name,gender,birth_date,first_employed_on,education,home_school_code,home_since,primary_subject,stage_certs,status,status_since,retirement_on,key_level,key_since\n"
    /// (staff_no, home since, status, status since, retirement, key level)
    static let people: [(String, String, String, String, String, String)] = [
        ("E6Y", "2021-09-01", "在岗", "2000-09-01", "", ""),            // exactly 6 full years on D
        ("E6N", "2021-09-02", "在岗", "2000-09-01", "", ""),            // one day short
        ("SPLIT", "2015-09-01", "在岗", "2000-09-01", "", "区级骨干"),   // two touching ranges at S001 (home-schools below)
        ("MOVED", "2015-09-01", "在岗", "2000-09-01", "", ""),          // S002 until 2023-09-01, then S001
        ("RET5", "2000-09-01", "在岗", "2000-09-01", "2032-09-01", ""), // D + 5 years = the retirement date
        ("RET6", "2000-09-01", "在岗", "2000-09-01", "2032-09-02", ""), // a day more than 5 years
        ("COOL0", "2000-09-01", "在岗", "2000-09-01", "", ""),          // placement until 2024-09-01: cooldown over on D
        ("COOL1", "2000-09-01", "在岗", "2000-09-01", "", ""),          // placement until 2024-09-02: one day left
        ("LEAD", "2000-09-01", "在岗", "2000-09-01", "", ""),           // principal at S001 since 2022-09-01
        ("SICK", "2000-09-01", "病假", "2027-06-01", "", ""),
        ("SECOND", "2000-09-01", "借调", "2027-03-01", "", ""),
        ("EXEMPT", "2000-09-01", "在岗", "2000-09-01", "", ""),         // HR exemption
    ]

    func district() throws -> (TestDatabase, Connection) {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let staff = Self.header + Self.people.map { p in
            "\(p.0),某某,女,1975-01-01,2000-09-01,本科,S001,\(p.1),数学,小学,\(p.2),\(p.3),\(p.4),\(p.5),\(p.5.isEmpty ? "" : "2020-09-01")"
        }.joined(separator: "\n") + "\n"
        let homes = """
            staff_no,school_code,start_on,end_on
            SPLIT,S001,2015-09-01,2020-01-01
            SPLIT,S001,2020-01-01,
            MOVED,S002,2015-09-01,2023-09-01
            MOVED,S001,2023-09-01,

            """
        let assignments = """
            ref,staff_no,host_school_code,kind,subject,periods_per_week,start_on,end_on,status
            P0,COOL0,S004,交流轮岗,数学,12,2021-09-01,2024-09-01,已结束
            P1,COOL1,S004,交流轮岗,数学,12,2021-09-02,2024-09-02,已结束

            """
        let schools = Fixtures.schools + "S004,110101,DC-HPL,和平里第二小学,小学,3,否,39.960000,116.420000\n"
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([
            (.districts, Fixtures.districts), (.clusters, Fixtures.clusters), (.schools, schools), (.staff, staff),
            (.homeSchools, homes), (.posts, "staff_no,school_code,post,start_on,end_on\nLEAD,S001,校长,2022-09-01,\n"),
            (.assignments, assignments),
        ]))
        return (db, conn)
    }

    func standing(_ conn: Connection) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try conn.query("""
            SELECT st.staff_no, e.outcome || '/' || coalesce(e.rule, '-') || '/' || coalesce(e.eligible_on::text, '-')
            FROM rotation_eligibility(2027) e JOIN staff st USING (staff_id)
            """) {
            result[row[0]!] = row[1]!
        }
        return result
    }

    @Test("each rule on its edge, in the order of domain.md §9, with the date time alone makes eligible")
    func edges() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = RotationStore(connection: conn, language: .zh)
        _ = try store.addExemption(staffNo: "EXEMPT", year: 2027, reason: "家属重病", approver: "王科长")
        let s = try standing(conn)
        #expect(s["E6Y"] == "eligible/-/-")
        #expect(s["E6N"] == "not_eligible/years/2027-09-02")
        #expect(s["SPLIT"] == "eligible/-/-")                        // touching ranges are one stretch
        #expect(s["MOVED"] == "not_eligible/years/2029-09-01")        // years count at the current school only
        #expect(s["RET5"] == "exempt/retirement/-")
        #expect(s["RET6"] == "eligible/-/-")
        #expect(s["COOL0"] == "eligible/-/-")
        #expect(s["COOL1"] == "exempt/cooldown/2027-09-02")
        #expect(s["LEAD"] == "not_eligible/leader_years/2028-09-01")  // leaders count from the post, not the home school
        #expect(s["SICK"] == "exempt/status/-")
        #expect(s["SECOND"] == "not_eligible/status/-")
        #expect(s["EXEMPT"] == "exempt/manual/-")
        #expect(s.count == Self.people.count)

        // the reasons speak Chinese with the numbers
        let lead = try store.eligibility(year: 2027, staffNo: "LEAD")
        #expect(lead.rows[0][5].plainText == "自 2022-09-01 起在本校任校级领导，到 2027-09-01 未满 6 年（2028-09-01 满）")
        let cool = try store.eligibility(year: 2027, staffNo: "COOL1")
        #expect(cool.rows[0][5].plainText == "交流轮岗于 2024-09-01 结束，3 年内不再轮岗（2027-09-02 起可以）")
        let key = try conn.query("SELECT is_key FROM rotation_eligibility(2027) JOIN staff USING (staff_id) WHERE staff_no = 'SPLIT'")
        #expect(key[0][0] == "t")
    }

    @Test("an exemption is revoked, not deleted; one standing exemption per teacher and year")
    func exemptions() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let store = RotationStore(connection: conn, language: .zh)
        let id = try store.addExemption(staffNo: "E6Y", year: 2027, reason: "援疆", approver: "王科长")
        #expect(throws: StoreError.self) { try store.addExemption(staffNo: "E6Y", year: 2027, reason: "again", approver: "王科长") }
        #expect(throws: StoreError.self) { try store.addExemption(staffNo: "E6Y", year: 2027, reason: "  ", approver: "王科长") }
        #expect(try standing(conn)["E6Y"] == "exempt/manual/-")
        try store.revokeExemption(id, reason: "援疆取消")
        #expect(try standing(conn)["E6Y"] == "eligible/-/-")
        #expect(throws: StoreError.self) { try store.revokeExemption(id, reason: "again") }
        let deleted = try #require(throws: PGError.self) { try conn.execute("DELETE FROM rotation_exemption") }
        #expect(deleted.message == "豁免记录不能删除，只能撤销")
        let edited = try #require(throws: PGError.self) { try conn.execute("UPDATE rotation_exemption SET reason = 'x'") }
        #expect(edited.sqlState == "42501")
        // a new exemption after the revoked one is allowed
        _ = try store.addExemption(staffNo: "E6Y", year: 2027, reason: "援疆（第二批）", approver: "李科长")
    }

    @Test("the policy's numbers decide: 5 years at the school and age caps")
    func policyDecides() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        var policy = Policy.defaults
        policy.rotation.minYearsAtSchool = 5
        policy.rotation.ageCapsEnabled = true
        policy.rotation.maxAgeFemale = 53  // everyone was born 1975-01-01: 52 on D
        try PolicyStore(connection: conn).save(policy, district: "110101", schoolYear: 2027, note: "测试")
        var s = try standing(conn)
        #expect(s["E6N"] == "eligible/-/-")
        #expect(s["MOVED"] == "not_eligible/years/2028-09-01")
        policy.rotation.maxAgeFemale = 52
        try PolicyStore(connection: conn).save(policy, district: "110101", schoolYear: 2027, note: "测试")
        s = try standing(conn)
        #expect(s["E6N"] == "not_eligible/age/-")
    }

    @Test("openings: lines of one school and subject add up; a file replaces the year's openings; bad rows name their line")
    func openings() throws {
        let (db, conn) = try district()
        defer { withExtendedLifetime(db) {} }
        let file = "plan_year,school_code,subject,openings\n2027,S004,数学,2\n2027,S004,math,1\n2027,S002,语文,1\n"
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([(.openings, file)]))
        let rows = try RotationStore(connection: conn, language: .zh).openings(year: 2027)
        #expect(rows.rows.map { "\($0[0].plainText ?? "") \($0[2].plainText ?? "") \($0[3].plainText ?? "")" }
                == ["S002 安定门中学 语文 1", "S004 和平里第二小学 数学 3"])
        _ = try Importer(connection: conn).importFiles(try Fixtures.write([(.openings, "plan_year,school_code,subject,openings\n2027,S004,数学,1\n")]))
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM rotation_opening") == 1)
        let before = try Fixtures.fingerprint(conn)
        let bad = "plan_year,school_code,subject,openings\n2027,S009,数学,1\n2027,S004,烹饪,1\n2027,S004,数学,0\n"
        let failure = try #require(throws: ImportFailure.self) { try Importer(connection: conn).importFiles(try Fixtures.write([(.openings, bad)])) }
        #expect(failure.issues.map { "\($0.line):\($0.column ?? "")" } == ["3:subject", "4:openings"])
        let unknown = "plan_year,school_code,subject,openings\n2027,S009,数学,1\n"
        let second = try #require(throws: ImportFailure.self) { try Importer(connection: conn).importFiles(try Fixtures.write([(.openings, unknown)])) }
        #expect(second.issues.map { "\($0.line):\($0.column ?? "")" } == ["2:school_code"])
        #expect(try Fixtures.fingerprint(conn) == before)
    }
}
