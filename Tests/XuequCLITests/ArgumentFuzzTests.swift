import Foundation
import LibPQ
import Testing
import XuequTestSupport

/// Every CLI argument that reaches SQL, given hostile values: quotes and SQL, overlong text,
/// impossible dates, huge and negative numbers, control characters. Each command exits 0 (found
/// nothing), 1 (a readable refusal) or 64 (the argument parser's usage error) — never a crash, never
/// a raw stack — and nothing in the database changes.
@Suite("Fuzzing the CLI's arguments", .enabled(if: Slow.enabled))
struct ArgumentFuzzTests {
    static let hostile = [
        "'", "\"", "'; DROP TABLE staff; --", "x' OR '1'='1", "a;b", "\\", "$1", "%s%n", "\u{202E}x", "😀",
        String(repeating: "长", count: 20_000), "2027-02-30", "2026-13-01", "-1", "0", "99999999999999999999999",
        "1e400", "NaN", "=cmd|' /C calc'!A0", " ", "\t", "\u{7}",
    ]

    /// Commands and where a hostile value goes (`V`).
    static let templates: [[String]] = [
        ["staff", "show", "V"], ["staff", "list", "--school", "V"], ["staff", "list", "--name", "V"],
        ["school", "list", "--cluster", "V"], ["school", "list", "--district", "V"], ["school", "list", "--name", "V"],
        ["title", "check", "V"], ["title", "check", "T001000001", "--as-of", "V"], ["score", "show", "V"],
        ["score", "show", "T001000001", "--year", "V"], ["rotation", "eligibility", "--staff", "V"],
        ["rotation", "eligibility", "--year", "V"], ["workload", "--from", "V"], ["workload", "--teacher", "V"],
        ["export", "staff", "--district", "V"], ["assign", "list", "--staff", "V"], ["assign", "list", "--status", "V"],
        ["eval", "enter", "V", "--score", "ethics=90"], ["eval", "enter", "T001000001", "--score", "V"],
        ["eval", "enter", "T001000001", "--score", "ethics=V"], ["eval", "list", "--school", "V"],
        ["audit", "show", "--table", "V"], ["audit", "show", "--key", "staff_id=V"], ["audit", "show", "--actor", "V"],
        ["audit", "show", "--since", "V"], ["audit", "show", "--staff", "V"], ["audit", "show", "--limit", "V"],
        ["nightly", "--as-of", "V", "--district", "999999"], ["nightly", "--district", "V"],
        ["teacher", "week", "T001000001", "--on", "V"], ["workload", "--to", "V"], ["eval", "period", "open", "--year", "2030", "--from", "V"],
        ["assign", "propose", "--staff", "T001000001", "--host", "110101S002", "--kind", "跨校兼课", "--subject", "语文", "--periods", "2",
         "--from", "V", "--until", "2027-07-01"],
        ["assign", "end", "1", "--on", "V", "--reason", "V"],
        ["policy", "show", "--district", "V"], ["user", "list", "--format", "V"],
    ]

    @Test("36 commands × 22 hostile values: exit 0, 1 or 64, a readable message, the database unchanged")
    func hostileArguments() throws {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        #expect(try cli.run(["demo", "load", "--dir", dir.path, "--schools", "3", "--staff", "60"]).status == 0)
        let c = try db.connect()
        let fingerprint = { () throws -> String in
            try c.query("""
                SELECT (SELECT count(*) || ':' || coalesce(max(audit_id), 0) FROM audit_log) || ' ' || (SELECT count(*) FROM staff)
                    || ' ' || (SELECT count(*) FROM evaluation) || ' ' || (SELECT count(*) FROM nightly_run)
                """).scalar(String.self)
        }
        let before = try fingerprint()
        var statuses: [Int32: Int] = [:]
        for template in Self.templates {
            for value in Self.hostile {
                let arguments = template.map { $0 == "V" ? value : $0.replacingOccurrences(of: "=V", with: "=" + value) } + ["--lang", "en"]
                let out = try cli.run(arguments)
                statuses[out.status, default: 0] += 1
                let label = "\(template.joined(separator: " ")) with \(value.prefix(24).debugDescription)"
                #expect([0, 1, 64].contains(out.status), "\(label): exit \(out.status) \(out.stderr.prefix(300))")
                #expect(!out.stderr.contains("Fatal error") && !out.stderr.contains("Stack dump"), "\(label): \(out.stderr.prefix(300))")
                if out.status == 1 {
                    #expect(out.stderr.hasPrefix("xuequ: ") || out.stderr.contains(".csv:"), "\(label): \(out.stderr.prefix(300))")
                    // an argument is checked before it reaches the database, and refused by its name
                    #expect(!out.stderr.contains("database error"), "\(label) reached the database unchecked: \(out.stderr.prefix(300))")
                }
            }
        }
        print("argument fuzzing: \(Self.templates.count * Self.hostile.count) runs, exit statuses \(statuses.sorted { $0.key < $1.key })")
        #expect(try fingerprint() == before)
        #expect(try c.query("SELECT count(*) FROM staff").scalar(Int.self) == 60)
    }
}
