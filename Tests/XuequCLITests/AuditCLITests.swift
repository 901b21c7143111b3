import Foundation
import LibPQ
import Testing
import XuequTestSupport

/// `xuequ audit show`: HR reads who changed what in its district, filtered by table, key, teacher
/// and time; others see only what row-level security lets them.
@Suite("xuequ audit show")
struct AuditCLITests {
    @Test("HR reads an edit with its old and new values by table and key, by teacher, since a time; a principal sees nothing")
    func show() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path, "--schools", "4", "--staff", "120"]).status == 0)
        let c = try db.connect()
        let suffix = String(UUID().uuidString.prefix(6)).lowercased()
        let hr = "hr_\(suffix)", principal = "pr_\(suffix)"
        defer { for l in [hr, principal] { _ = try? c.execute("DROP ROLE IF EXISTS \(l)") } }
        let school = try c.query("SELECT min(code) FROM school").scalar(String.self)
        #expect(try cli.run(["user", "add", hr, "--role", "hr", "--name", "李老师", "--district", "110101"]).status == 0)
        #expect(try cli.run(["user", "add", principal, "--role", "principal", "--name", "王校长", "--school", school]).status == 0)
        let (staffNo, staffID) = try { () throws -> (String, String) in
            let r = try c.query("SELECT staff_no, staff_id::text FROM staff ORDER BY staff_no LIMIT 1")[0]
            return (r[0]!, r[1]!)
        }()
        // the next whole second after the import, and the edit after it (the option has whole seconds)
        let startOfEdit = try c.query("SELECT to_char(date_trunc('second', clock_timestamp()) + interval '1 second', 'YYYY-MM-DD HH24:MI:SS')")
            .scalar(String.self)
        Thread.sleep(forTimeInterval: 1.2)
        // HR renames the teacher, as themself
        let asHR = try Connection(conninfo: db.conninfo + " user=\(hr)")
        let oldName = try asHR.query("SELECT name FROM staff WHERE staff_no = $1", [staffNo]).scalar(String.self)
        #expect(try asHR.query("UPDATE staff SET name = '更正姓名' WHERE staff_no = $1", [staffNo]).affectedRows == 1)

        var hrCLI = cli
        hrCLI.environment["XUEQU_DATABASE_URL"] = db.conninfo + " user=\(hr)"
        let byKey = try hrCLI.run(["audit", "show", "--table", "staff", "--key", "staff_id=\(staffID)", "--format", "csv", "--lang", "en"])
        #expect(byKey.status == 0, "\(byKey.stderr)")
        let lines = byKey.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "at,actor,table,op,key,changes")
        #expect(lines.count == 3, "\(lines)")   // the import's insert and HR's update
        #expect(lines.last?.contains(",\(hr),staff,update,staff_id=\(staffID),name: \(oldName) → 更正姓名") == true, "\(lines)")
        // since the edit began: only the edit
        let since = try hrCLI.run(["audit", "show", "--staff", staffNo, "--since", startOfEdit, "--format", "csv", "--lang", "en"])
        #expect(since.stdout.split(separator: "\n").count == 2, "\(startOfEdit) \(since.stdout.prefix(600))")
        let actor = try hrCLI.run(["audit", "show", "--actor", hr, "--format", "json", "--lang", "en"])
        #expect(actor.stdout.components(separatedBy: "\"actor\":\"\(hr)\"").count - 1 == 1, "\(actor.stdout)")
        // a principal reads none of it
        var principalCLI = cli
        principalCLI.environment["XUEQU_DATABASE_URL"] = db.conninfo + " user=\(principal)"
        let none = try principalCLI.run(["audit", "show", "--table", "staff", "--lang", "en"])
        #expect(none.status == 0)
        #expect(none.stdout == "No audit entries match that you may see.\n")
        // refusals name the option
        let badTable = try hrCLI.run(["audit", "show", "--table", "staff; DROP TABLE staff"])
        #expect(badTable.status == 1 && badTable.stderr.contains("--table") && badTable.stderr.contains("不是记录审计日志的表"))
        let badSince = try hrCLI.run(["audit", "show", "--since", "2027-02-30", "--lang", "en"])
        #expect(badSince.status == 1 && badSince.stderr.contains("--since: \"2027-02-30\" is not a valid date"))
        let badKey = try hrCLI.run(["audit", "show", "--key", "staff_id", "--lang", "en"])
        #expect(badKey.status == 1 && badKey.stderr.contains("--key is COLUMN=VALUE"))
        #expect(try c.query("SELECT count(*) FROM staff").scalar(Int.self) == 120)
    }
}

/// `xuequ staff list/show` for the people who use them, within their scope (the staff_current view
/// reads as the person asking: migration 0012).
@Suite("xuequ staff as HR and as a principal")
struct StaffScopeCLITests {
    @Test("HR lists its district's staff; a principal lists and shows their school's teachers, and not another school's")
    func staffScope() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path, "--schools", "4", "--staff", "120", "--assignment-share", "0"]).status == 0)
        let c = try db.connect()
        let suffix = String(UUID().uuidString.prefix(6)).lowercased()
        let hr = "hs_\(suffix)", principal = "ps_\(suffix)"
        defer { for l in [hr, principal] { _ = try? c.execute("DROP ROLE IF EXISTS \(l)") } }
        let schools = try c.query("SELECT code FROM school ORDER BY code").map { $0[0]! }
        #expect(try cli.run(["user", "add", hr, "--role", "hr", "--name", "李老师", "--district", "110101"]).status == 0)
        #expect(try cli.run(["user", "add", principal, "--role", "principal", "--name", "王校长", "--school", schools[0]]).status == 0)
        // a teacher who has only ever been at the first school, and one only ever at another
        let mine = try c.query("""
            SELECT s.staff_no FROM staff s WHERE NOT EXISTS (SELECT 1 FROM staff_home_school h JOIN school sc USING (school_id)
                                                             WHERE h.staff_id = s.staff_id AND sc.code <> $1)
            ORDER BY 1 LIMIT 1
            """, [schools[0]]).scalar(String.self)
        let other = try c.query("""
            SELECT s.staff_no FROM staff s WHERE NOT EXISTS (SELECT 1 FROM staff_home_school h JOIN school sc USING (school_id)
                                                             WHERE h.staff_id = s.staff_id AND sc.code = $1)
            ORDER BY 1 LIMIT 1
            """, [schools[0]]).scalar(String.self)
        var asHR = cli
        asHR.environment["XUEQU_DATABASE_URL"] = db.conninfo + " user=\(hr)"
        let hrList = try asHR.run(["staff", "list", "--format", "csv", "--lang", "en"])
        #expect(hrList.status == 0, "\(hrList.stderr)")
        #expect(hrList.stdout.split(separator: "\n").count == 121)
        var asPrincipal = cli
        asPrincipal.environment["XUEQU_DATABASE_URL"] = db.conninfo + " user=\(principal)"
        let list = try asPrincipal.run(["staff", "list", "--format", "csv", "--lang", "en"])
        #expect(list.status == 0, "\(list.stderr)")
        let rows = list.stdout.split(separator: "\n").count - 1
        #expect(rows > 0 && rows < 120, "\(rows) rows")
        #expect(list.stdout.contains(mine) && !list.stdout.contains(other))
        let show = try asPrincipal.run(["staff", "show", mine, "--lang", "en"])
        #expect(show.status == 0 && show.stdout.contains(mine), "\(show.stderr)")
        let refused = try asPrincipal.run(["staff", "show", other, "--lang", "en"])
        #expect(refused.status == 1 && refused.stderr.contains("no staff member"), "\(refused.stderr)")
    }
}
