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
