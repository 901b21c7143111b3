import Foundation
import LibPQ
import Testing
import XuequTestSupport

@Suite("xuequ CLI, end to end")
struct CLITests {
    static let schools = """
        code,district_code,cluster_code,name,stage,tier,rural,lat,lon
        S001,110101,DC-HPL,和平里第一小学,小学,1,否,39.958000,116.418000
        S002,110101,DC-HPL,安定门中学,初中,3,否,39.948000,116.409000

        """
    static let staffHeader = "工号,姓名,性别,出生日期,参加工作时间,学历,编制学校代码,调入日期,主教学科,职称,职称取得日期,骨干级别,骨干认定日期\n"
    static let goodStaff = [
        "T0001,张三,男,1975-03-01,1997-09-01,本科,S001,1997-09-01,数学,高级,2012-12-01,区级骨干,2015-09-01",
        "T0002,李四,女,1988-11-20,2011-09-01,硕士,S002,2015-09-01,语文,一级,2016-12-01,,",
        "T0003,王五,女,1992-02-28,2015-09-01,本科,S002,2015-09-01,英语,二级,2016-09-01,,",
        "T0004,赵六,男,1990-06-01,2013-09-01,大专,S001,2013-09-01,体育,二级,2015-09-01,,",
    ]

    /// A migrated database with the organisation loaded through the CLI.
    func prepared() throws -> (TestDatabase, CLIRunner, URL) {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        try "code,name\n110101,东城区\n".write(to: dir.appendingPathComponent("districts.csv"), atomically: true, encoding: .utf8)
        try "code,district_code,name\nDC-HPL,110101,和平里\n".write(to: dir.appendingPathComponent("clusters.csv"), atomically: true, encoding: .utf8)
        try Self.schools.write(to: dir.appendingPathComponent("schools.csv"), atomically: true, encoding: .utf8)
        let result = try cli.run(["import", "--dir", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        return (db, cli, dir)
    }

    func auditLength(_ db: TestDatabase) throws -> Int {
        try db.connect().query("SELECT count(*) FROM audit_log")[0].decode(Int.self, at: 0)
    }

    @Test("a staff CSV with three bad rows: three located errors, exit 1, database unchanged; fixed, it imports; again, nothing changes")
    func badThenFixedThenRepeated() throws {
        let (db, cli, dir) = try prepared()
        defer { withExtendedLifetime(db) {} }
        var rows = Self.goodStaff
        rows[0] = rows[0].replacingOccurrences(of: "1975-03-01", with: "1975-02-30")
        rows[1] = rows[1].replacingOccurrences(of: ",硕士,", with: ",研究僧,")
        rows[3] = rows[3].replacingOccurrences(of: "T0004", with: "T 0004")
        let file = dir.appendingPathComponent("staff.csv")
        try (Self.staffHeader + rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let audit = try auditLength(db)

        let bad = try cli.run(["import", "staff", file.path])
        #expect(bad.status == 1)
        let lines = bad.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("staff.csv:2: birth_date \"1975-02-30\": 不是有效日期"))
        #expect(lines[1].hasPrefix("staff.csv:3: education \"研究僧\""))
        #expect(lines[2].hasPrefix("staff.csv:5: staff_no \"T 0004\""))
        #expect(lines[3].contains("共 3 个错误"))
        #expect(bad.stdout.isEmpty)
        #expect(try auditLength(db) == audit)
        #expect(try db.connect().query("SELECT count(*) FROM staff")[0].decode(Int.self, at: 0) == 0)

        try (Self.staffHeader + Self.goodStaff.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let good = try cli.run(["import", "staff", file.path, "--format", "json"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("\"table\":\"staff\""))
        #expect(good.stdout.contains("\"inserted\":4"))
        let afterGood = try auditLength(db)
        #expect(afterGood > audit)

        let again = try cli.run(["import", "staff", file.path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("没有任何改动"))
        #expect(try auditLength(db) == afterGood)
    }

    @Test("staff show and list read the record, aligned, in Chinese or English, as JSON or CSV")
    func reading() throws {
        let (db, cli, dir) = try prepared()
        defer { withExtendedLifetime(db) {} }
        let file = dir.appendingPathComponent("staff.csv")
        try (Self.staffHeader + Self.goodStaff.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let imported = try cli.run(["import", "staff", file.path])
        #expect(imported.status == 0, "\(imported.stderr)")

        let show = try cli.run(["staff", "show", "T0001"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("姓名          张三"))
        #expect(show.stdout.contains("职称          高级"))
        #expect(show.stdout.contains("骨干          区级骨干"))
        let english = try cli.run(["staff", "show", "T0001", "--lang", "en"])
        #expect(english.stdout.contains("senior"))
        #expect(english.stdout.contains("district key teacher"))

        let json = try cli.run(["staff", "show", "T0001", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let profile = object?["profile"] as? [String: Any]
        #expect(profile?["name"] as? String == "张三")
        #expect(profile?["home_since"] as? String == "1997-09-01")

        let csv = try cli.run(["staff", "list", "--school", "S002", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").map { String($0.prefix(5)) } == ["staff", "T0002", "T0003"])

        // CJK characters count two columns: the 学校 column lines up under its header
        let table = try cli.run(["school", "list"])
        let tableLines = table.stdout.split(separator: "\n").map(String.init)
        #expect(tableLines.count == 4)
        #expect(tableLines[2].hasPrefix("S001      和平里第一小学  和平里"))
        #expect(tableLines[3].hasPrefix("S002      安定门中学      和平里"))

        let cluster = try cli.run(["cluster", "show", "DC-HPL"])
        #expect(cluster.status == 0)
        #expect(cluster.stdout.contains("学校数      2"))
        #expect(cluster.stdout.contains("S002      安定门中学      和平里  初中  薄弱  否"))
        let district = try cli.run(["district", "show", "110101", "--format", "json"])
        let districtObject = try JSONSerialization.jsonObject(with: Data(district.stdout.utf8)) as? [String: Any]
        #expect((districtObject?["district"] as? [String: Any])?["staff"] as? Int == 4)
        #expect((districtObject?["clusters"] as? [[String: Any]])?.first?["code"] as? String == "DC-HPL")

        let missing = try cli.run(["staff", "show", "T9999"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "xuequ: 没有工号为 T9999 的教职工\n")
    }

    @Test("export writes the import format; formulas are neutralised; GB18030 on request")
    func export() throws {
        let (db, cli, dir) = try prepared()
        defer { withExtendedLifetime(db) {} }
        try db.connect().query("UPDATE school SET name = '=HYPERLINK(\"x\")' WHERE code = 'S002'")
        let out = try cli.run(["export", "schools"])
        #expect(out.status == 0)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "code,district_code,cluster_code,name,stage,tier,rural,lat,lon")
        #expect(lines[2] == "S002,110101,DC-HPL,\"'=HYPERLINK(\"\"x\"\")\",junior,3,f,39.948000,116.409000")
        let gb = dir.appendingPathComponent("gb.csv")
        #expect(try cli.run(["export", "clusters", "--encoding", "gb18030", "--out", gb.path]).status == 0)
        let bytes = try [UInt8](Data(contentsOf: gb))
        // 和平里 in GB18030: BA CD C6 BD C0 EF
        #expect(bytes.suffix(7) == [0xBA, 0xCD, 0xC6, 0xBD, 0xC0, 0xEF, 0x0A])
    }

    @Test("commands refuse a database whose schema is behind, and say how to fix it")
    func schemaBehind() throws {
        let db = try TestDatabase.create()
        defer { withExtendedLifetime(db) {} }
        let cli = CLIRunner(database: db.conninfo)
        let result = try cli.run(["school", "list"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("xuequ db migrate"))
        #expect(result.stderr.contains("0001_foundation.sql"))
        let status = try cli.run(["db", "status", "--lang", "en"])
        #expect(status.stdout.contains("pending"))
        let dry = try cli.run(["db", "migrate", "--dry-run", "--lang", "en"])
        #expect(dry.stdout.contains("would apply 0001_foundation.sql"))
        #expect(try cli.run(["db", "migrate"]).status == 0)
        #expect(try cli.run(["school", "list"]).status == 0)
    }

    @Test("with no database configured and the private cluster stopped, the CLI says how to start it")
    func privateClusterNotRunning() throws {
        var cli = CLIRunner(database: nil)
        let dir = try CLIRunner.temporaryFolder()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("var/pg"), withIntermediateDirectories: true)
        try "host=\(dir.path)/var/pg/run port=59999 dbname=xuequ user=xuequ\n"
            .write(to: dir.appendingPathComponent("var/pg/conninfo"), atomically: true, encoding: .utf8)
        cli.directory = dir
        let result = try cli.run(["district", "list"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("deploy/pg up"))
        #expect(result.stderr.contains("没有运行"))
    }

    @Test("bad connection strings fail with one line and never print the password")
    func badConnection() throws {
        let cli = CLIRunner(database: nil)
        let result = try cli.run(["district", "list", "--database", "host=/nonexistent port=1 user=x password=s3cret-pw"])
        #expect(result.status == 1)
        #expect(!result.stderr.contains("s3cret-pw"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("policy: export, import a change as version 1, refuse a bad document with its path")
    func policy() throws {
        let (db, cli, dir) = try prepared()
        defer { withExtendedLifetime(db) {} }
        let file = dir.appendingPathComponent("policy.json")
        #expect(try cli.run(["policy", "export", "--year", "2026", "--out", file.path]).status == 0)
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"maxWeeklyPeriods\" : 20", with: "\"maxWeeklyPeriods\" : 18")
            .write(to: file, atomically: true, encoding: .utf8)
        let stored = try cli.run(["policy", "import", file.path, "--year", "2026", "--note", "周课时上限 18"])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stdout.contains("第 1 版"))
        let show = try cli.run(["policy", "show", "--year", "2026"])
        #expect(show.stdout.contains("第 1 版（周课时上限 18）"))
        #expect(show.stdout.contains("assignments.maxWeeklyPeriods               18"))
        try text.replacingOccurrences(of: "\"keyShare\" : 0.2", with: "\"keyShare\" : 2")
            .write(to: file, atomically: true, encoding: .utf8)
        let refused = try cli.run(["policy", "import", file.path, "--year", "2026"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("policy.json: rotation.keyShare: 应在 0–1 之间"))
        #expect(try db.connect().query("SELECT count(*) FROM policy_document")[0].decode(Int.self, at: 0) == 1)
    }

    @Test("--max-errors below 1 is refused before anything runs")
    func maxErrorsValidated() throws {
        let cli = CLIRunner(database: nil)
        let result = try cli.run(["import", "staff", "x.csv", "--max-errors", "0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--max-errors must be at least 1"))
    }

    @Test("every command has help with an example")
    func help() throws {
        let cli = CLIRunner(database: nil)
        for command in [["import"], ["export"], ["staff", "list"], ["staff", "show"], ["school", "list"], ["db", "migrate"], ["summary"], ["demo", "load"],
                        ["audit", "show"], ["config", "show"], ["doctor"], ["nightly"]] {
            let result = try cli.run(command + ["--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("Example"), "\(command) --help has no example")
        }
    }
}
