import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

@Suite("CSV import")
struct ImporterTests {
    func load(_ conn: Connection, _ files: [(ImportKind, String)], encoding: TextEncoding = .utf8, dryRun: Bool = false) throws -> [ImportResult] {
        try Importer(connection: conn).importFiles(try Fixtures.write(files, encoding: encoding), options: .init(dryRun: dryRun))
    }

    @Test("good files load, with the histories the staff file implies")
    func goodFiles() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let results = try load(conn, Fixtures.organisation + [(.staff, Fixtures.staff)])
        #expect(results.map(\.rows) == [1, 2, 3, 3])
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM school WHERE cluster_id IS NULL") == 1)
        let t1 = try conn.query("""
            SELECT c.name, c.title::text, c.key_level::text, c.status::text, s.code, c.home_since,
                   (SELECT string_agg(subject_code, ',') FROM staff_subject x WHERE x.staff_id = c.staff_id)
            FROM staff_current c JOIN school s ON s.school_id = c.home_school_id WHERE c.staff_no = 'T0001'
            """)[0]
        #expect(t1[0] == "张三")
        #expect(t1[1] == "senior")
        #expect(t1[2] == "district")
        #expect(t1[3] == "active")
        #expect(t1[4] == "S001")
        #expect(try t1.decode(PGDate.self, at: 5) == PGDate(iso: "1997-09-01"))
        #expect(t1[6] == "science")
        // T0002: primary subject not repeated among qualified; two certificates; Chinese subject names mapped
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM staff_subject x JOIN staff s USING (staff_id) WHERE s.staff_no = 'T0002'") == 2)
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM staff_stage_cert x JOIN staff s USING (staff_id) WHERE s.staff_no = 'T0002'") == 2)
        // T0003 is on maternity leave since 2026-03-01
        #expect(try conn.query("SELECT status::text FROM staff_current WHERE staff_no = 'T0003'")[0][0] == "maternity")
        // every row written was audited: 1 district + 2 clusters + 3 schools + 3 staff …
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM audit_log WHERE table_name = 'staff' AND op = 'I'") == 3)
        let staffChange = results[3].changes.first { $0.table == "staff" }
        #expect(staffChange?.inserted == 3)
    }

    @Test("three bad rows: three located errors, nothing written, audit log the same length")
    func threeBadRows() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation)
        let before = try Fixtures.fingerprint(conn)
        let auditBefore = try Fixtures.count(conn, "SELECT count(*) FROM audit_log")
        var rows = Fixtures.staffRows
        rows[0] = rows[0].replacingOccurrences(of: "1975-03-01", with: "1975-02-30")   // impossible date
        rows[1] = rows[1].replacingOccurrences(of: ",女,", with: ",F,")                  // unknown gender
        rows[2] = rows[2].replacingOccurrences(of: ",S003,", with: ",S999,")             // unknown school (database check)
        let files = try Fixtures.write([(.staff, Fixtures.staffHeader + rows.joined(separator: "\n") + "\n")])
        do {
            _ = try Importer(connection: conn).importFiles(files)
            Issue.record("bad rows were accepted")
        } catch let failure as ImportFailure {
            // the Swift checks stop before the database checks: two located issues first
            #expect(failure.total == 2)
            #expect(failure.issues.map(\.line) == [2, 3])
            #expect(failure.issues.map(\.column) == ["birth_date", "gender"])
            #expect(failure.issues[0].text(.en).hasPrefix("staff.csv:2: birth_date \"1975-02-30\""))
        }
        #expect(try Fixtures.fingerprint(conn) == before)
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM audit_log") == auditBefore)
    }

    @Test("three bad rows found by three kinds of check are all reported with their lines")
    func threeBadRowsAllKinds() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation)
        let before = try Fixtures.fingerprint(conn)
        var rows = Fixtures.staffRows
        rows[0] = rows[0].replacingOccurrences(of: "1975-03-01", with: "1975-02-30")
        rows[1] = rows[1].replacingOccurrences(of: ",女,", with: ",F,")
        rows[2] = rows[2].replacingOccurrences(of: "bachelor", with: "小学毕业")
        let files = try Fixtures.write([(.staff, Fixtures.staffHeader + rows.joined(separator: "\n") + "\n")])
        let failure = try #require(throws: ImportFailure.self) { try Importer(connection: conn).importFiles(files) }
        #expect(failure.total == 3)
        #expect(failure.issues.map(\.line) == [2, 3, 4])
        #expect(failure.issues.map(\.column) == ["birth_date", "gender", "education"])
        #expect(failure.issues[2].message.zh.contains("本科"))
        #expect(try Fixtures.fingerprint(conn) == before)
    }

    @Test("unknown school code is refused by the database check, with its line; nothing written")
    func unknownSchool() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation)
        let before = try Fixtures.fingerprint(conn)
        let text = Fixtures.staff.replacingOccurrences(of: ",S003,", with: ",S999,")
        let failure = try #require(throws: ImportFailure.self) { try load(conn, [(.staff, text)]) }
        #expect(failure.total == 1)
        #expect(failure.issues[0].line == 4)
        #expect(failure.issues[0].column == "home_school_code")
        #expect(failure.issues[0].value == "S999")
        #expect(try Fixtures.fingerprint(conn) == before)
    }

    @Test("duplicate staff numbers name the earlier line")
    func duplicateStaffNumbers() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation)
        let text = Fixtures.staff + Fixtures.staffRows[0].replacingOccurrences(of: "张三", with: "张三丰") + "\n"
        let failure = try #require(throws: ImportFailure.self) { try load(conn, [(.staff, text)]) }
        #expect(failure.total == 1)
        #expect(failure.issues[0].line == 5)
        #expect(failure.issues[0].message.en == "repeats line 2")
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM staff") == 0)
    }

    @Test("a file with a bad second file loads neither (one transaction for all files)")
    func allOrNothingAcrossFiles() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let before = try Fixtures.fingerprint(conn)
        let badCampus = "school_code,code,name,lat,lon\nS404,A,主校区,39.9,116.4\n"
        let failure = try #require(throws: ImportFailure.self) {
            try load(conn, Fixtures.organisation + [(.campuses, badCampus)])
        }
        #expect(failure.issues.first?.file == "campuses.csv")
        #expect(failure.issues.first?.line == 2)
        #expect(try Fixtures.fingerprint(conn) == before)
    }

    @Test("re-importing the same files changes nothing, not even the audit log")
    func reimportIsNoOp() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let files = Fixtures.organisation + [(.staff, Fixtures.staff)]
        _ = try load(conn, files)
        let before = try Fixtures.fingerprint(conn)
        let again = try load(conn, files)
        #expect(again.allSatisfy { $0.unchanged })
        #expect(try Fixtures.fingerprint(conn) == before)
    }

    @Test("UTF-8 with BOM and GB18030 files import the same data")
    func encodings() throws {
        for encoding in [TextEncoding.utf8BOM, .gb18030] {
            let db = try MigratedDatabase.create()
            let conn = try db.connect()
            let results = try load(conn, Fixtures.organisation + [(.staff, Fixtures.staff)], encoding: encoding)
            #expect(results[3].encoding == (encoding == .gb18030 ? "GB18030" : "UTF-8 (BOM)"))
            #expect(try conn.query("SELECT name FROM staff WHERE staff_no = 'T0002'")[0][0] == "李四")
            #expect(try conn.query("SELECT name FROM cluster WHERE code = 'DC-HPL'")[0][0] == "和平里")
        }
    }

    @Test("a changed current home school closes the old range and opens a new one")
    func homeSchoolMove() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation + [(.staff, Fixtures.staff)])
        let moved = Fixtures.staff.replacingOccurrences(of: "T0001,张三,男,1975-03-01,1997-09-01,本科,S001,1997-09-01",
                                                        with: "T0001,张三,男,1975-03-01,1997-09-01,本科,S002,2024-09-01")
        let results = try load(conn, [(.staff, moved)])
        let ranges = try conn.query("""
            SELECT s.code, h.valid::text FROM staff_home_school h JOIN school s USING (school_id)
            JOIN staff st USING (staff_id) WHERE st.staff_no = 'T0001' ORDER BY lower(h.valid)
            """).map { [$0[0] ?? "", $0[1] ?? ""] }
        #expect(ranges == [["S001", "[1997-09-01,2024-09-01)"], ["S002", "[2024-09-01,)"]])
        // closing a range changes its key: logged as delete + insert, plus the new range
        let change = results[0].changes.first { $0.table == "staff_home_school" }
        #expect(change?.inserted == 2)
        #expect(change?.deleted == 1)
        // a move dated before the current range's start is refused with the line
        let backwards = Fixtures.staff.replacingOccurrences(of: "S001,1997-09-01", with: "S003,2020-09-01")
        let failure = try #require(throws: ImportFailure.self) { try load(conn, [(.staff, backwards)]) }
        #expect(failure.issues.map(\.line) == [2])
        #expect(failure.issues[0].column == "home_since")
    }

    @Test("an optional column left out keeps the stored values; an empty cell clears them")
    func partialColumns() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation + [(.staff, Fixtures.staff)])
        let fewer = "工号,姓名,性别,出生日期,参加工作时间,编制学校代码,调入日期,主教学科\nT0002,李四,女,1988-11-20,2011-09-01,S002,2015-09-01,语文\n"
        let result = try load(conn, [(.staff, fewer)])
        #expect(result[0].unchanged)
        let kept = try conn.query("""
            SELECT education::text, retirement_on::text, homeroom_years,
                   (SELECT count(*) FROM staff_subject x WHERE x.staff_id = s.staff_id),
                   (SELECT count(*) FROM staff_stage_cert x WHERE x.staff_id = s.staff_id)
            FROM staff s WHERE staff_no = 'T0002'
            """)[0]
        #expect(kept[0] == "master")
        #expect(kept[1] == "2043-11-20")
        #expect(kept[2] == "5")
        #expect(kept[3] == "2")
        #expect(kept[4] == "2")
        let cleared = fewer.replacingOccurrences(of: "主教学科\n", with: "主教学科,学历,兼教学科\n").replacingOccurrences(of: ",语文\n", with: ",语文,,\n")
        let change = try load(conn, [(.staff, cleared)])[0].changes
        #expect(change.first { $0.table == "staff" }?.updated == 1)
        #expect(change.first { $0.table == "staff_subject" }?.deleted == 2)
        #expect(try conn.query("SELECT education IS NULL FROM staff WHERE staff_no = 'T0002'")[0].decode(Bool.self, at: 0))
    }

    @Test("a new current value may not reach back into a closed range; the database checks say which line")
    func closedRangeConflict() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation + [(.staff, Fixtures.staff)])
        let moved = Fixtures.staff.replacingOccurrences(of: "S001,1997-09-01", with: "S002,2024-09-01")
        _ = try load(conn, [(.staff, moved)])
        // "at S002 since 2020" corrects the start of the current range back into the closed range
        // [1997-09-01, 2024-09-01) at S001 — refused with the line, not by the exclusion constraint
        // with raw box coordinates
        let back = Fixtures.staff.replacingOccurrences(of: "S001,1997-09-01", with: "S002,2020-09-01")
        let failure = try #require(throws: ImportFailure.self) { try load(conn, [(.staff, back)]) }
        #expect(failure.issues.map(\.line).contains(2))
        #expect(failure.issues.allSatisfy { $0.line > 0 })
        #expect(failure.issues.contains { $0.column == "home_since" && $0.message.en.contains("[1997-09-01,2024-09-01)") })
    }

    @Test("a status that starts in the future is not current yet; TRUNCATE cannot bypass the audit log")
    func futureStatusAndTruncate() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let future = Fixtures.staff.replacingOccurrences(of: "在岗,1997-09-01", with: "退休,2099-03-01")
        _ = try load(conn, Fixtures.organisation + [(.staff, future)])
        #expect(try conn.query("SELECT status::text FROM staff_current WHERE staff_no = 'T0001'")[0][0] == nil)
        var bytes: [UInt8] = []
        try Exporter(connection: conn).export(.staff) { bytes += $0 }
        #expect(String(decoding: bytes, as: UTF8.self).contains(",retired,2099-03-01,"))
        let error = try #require(throws: PGError.self) { try conn.execute("TRUNCATE staff_training") }
        #expect(error.message.contains("TRUNCATE of staff_training is refused"))
    }

    @Test("a school moving district without its new 学区, or still in a group of the old one, is refused with the line")
    func schoolMovingDistrict() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation + [(.groups, "code,district_code,name\nG1,110101,和平里教育集团\n"),
                                                    (.groupMembers, "group_code,school_code,joined_on\nG1,S001,2020-09-01\n")])
        let moves = """
            code,district_code,name,stage,tier,lat,lon
            S001,110102,和平里第一小学,小学,1,39.958000,116.418000
            S003,110102,东城区第九十中学,完全中学,2,39.930000,116.420000

            """
        let failure = try #require(throws: ImportFailure.self) {
            try load(conn, [(.districts, "code,name\n110102,西城区\n"), (.schools, moves)])
        }
        // S001 keeps its 学区 (no cluster_code column): refused on line 2; S003 (no 学区, no group) may move
        #expect(failure.issues.map(\.line) == [2])
        #expect(failure.issues[0].column == "district_code")
        #expect(failure.issues[0].message.en.contains("DC-HPL"))
        // with its new 学区 given (none), the group of the old district is what stops it
        let withCluster = moves.replacingOccurrences(of: "stage,tier", with: "cluster_code,stage,tier")
            .replacingOccurrences(of: ",小学,", with: ",,小学,").replacingOccurrences(of: ",完全中学,", with: ",,完全中学,")
        let second = try #require(throws: ImportFailure.self) {
            try load(conn, [(.districts, "code,name\n110102,西城区\n"), (.schools, withCluster)])
        }
        #expect(second.issues.map(\.line) == [2])
        #expect(second.issues[0].message.en.contains("group G1"))
    }

    @Test("a header-only file is accepted and changes nothing")
    func headerOnly() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let results = try load(conn, Fixtures.organisation + [(.ethics, "staff_no,occurred_on,description\n")])
        #expect(results[3].rows == 0)
        #expect(results[3].unchanged)
    }

    @Test("header problems are all reported at once: unknown, duplicate and missing columns")
    func headerProblems() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let text = "code,区代码,名称,district_code,colour\n1,110101,东城区,110101,red\n"
        let failure = try #require(throws: ImportFailure.self) { try load(conn, [(.clusters, text)]) }
        #expect(failure.issues.allSatisfy { $0.line == 1 })
        #expect(failure.issues.compactMap(\.column).sorted() == ["colour", "district_code"])
        #expect(failure.total == 2)
    }

    @Test("dry run reports the changes and writes nothing")
    func dryRun() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        let before = try Fixtures.fingerprint(conn)
        let results = try load(conn, Fixtures.organisation, dryRun: true)
        #expect(results[2].changes.first { $0.table == "school" }?.inserted == 3)
        #expect(try Fixtures.fingerprint(conn) == before)
    }

    @Test("whole-history files replace a person's history; repeating changes nothing")
    func historyFiles() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation + [(.staff, Fixtures.staff)])
        let training = "staff_no,taken_on,course,hours\nT0001,2024-03-01,新课标研修,24\nT0001,2025-03-01,班主任培训,12.5\nT0002,2025-05-01,信息技术应用能力提升,40\n"
        _ = try load(conn, [(.training, training)])
        #expect(try conn.query("SELECT sum(hours)::text FROM staff_training")[0][0] == "76.5")
        let fewer = "staff_no,taken_on,course,hours\nT0001,2025-03-01,班主任培训,12.5\n"
        let result = try load(conn, [(.training, fewer)])
        #expect(result[0].changes.first?.deleted == 1)
        // T0002's record is untouched: the file did not mention T0002
        #expect(try Fixtures.count(conn, "SELECT count(*) FROM staff_training") == 2)
        #expect(try load(conn, [(.training, fewer)])[0].unchanged)
        // overlapping ranges in one file are refused with both lines
        let overlapping = "staff_no,school_code,start_on,end_on\nT0001,S003,1997-09-01,2010-09-01\nT0001,S001,2009-09-01,\n"
        let failure = try #require(throws: ImportFailure.self) { try load(conn, [(.homeSchools, overlapping)]) }
        #expect(failure.issues.map(\.line) == [3])
        #expect(failure.issues[0].message.en == "overlaps the range on line 2")
    }

    @Test("exported files import again without any change")
    func exportRoundTrip() throws {
        let db = try MigratedDatabase.create()
        let conn = try db.connect()
        _ = try load(conn, Fixtures.organisation + [(.staff, Fixtures.staff)])
        let before = try Fixtures.fingerprint(conn)
        var files: [(ImportKind, String)] = []
        for kind in ImportKind.allCases {
            var bytes: [UInt8] = []
            try Exporter(connection: conn).export(kind) { bytes += $0 }
            let text = String(decoding: bytes, as: UTF8.self)
            if text.split(separator: "\n").count > 1 { files.append((kind, text)) }
        }
        #expect(files.map(\.0).contains(.homeSchools))
        let results = try load(conn, files)
        #expect(results.allSatisfy { $0.unchanged })
        #expect(try Fixtures.fingerprint(conn) == before)
    }
}
