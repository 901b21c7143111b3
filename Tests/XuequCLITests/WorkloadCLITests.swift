import Foundation
import Testing
import XuequTestSupport

/// `xuequ assign`, `xuequ teacher week` and `xuequ workload` on a hand-checked example.
///
/// T0001 (home S001, 12 periods a week in 2026-27) teaches 走教 at S004 and S005, two periods each
/// from 2026-09-01 until 2027-07-01 (303 days), on Tuesday at 08:00 (S004) and 09:00 (S005). The
/// campuses are 0.02° of latitude apart = 2.224 km: ceil(2.224 / 20 × 60) + 10 = 17 minutes.
@Suite("xuequ assign, teacher week and workload")
struct WorkloadCLITests {
    func prepared() throws -> (TestDatabase, CLIRunner) {
        let db = try MigratedDatabase.create()
        let cli = CLIRunner(database: db.conninfo)
        let dir = try CLIRunner.temporaryFolder()
        let files = [
            "districts.csv": "code,name\n110101,东城区\n",
            "clusters.csv": "code,district_code,name\nDC-HPL,110101,和平里\n",
            "schools.csv": """
                code,district_code,cluster_code,name,stage,tier,rural,lat,lon
                S001,110101,DC-HPL,和平里第一小学,小学,1,否,39.958000,116.418000
                S004,110101,DC-HPL,和平里第二小学,小学,3,否,39.960000,116.420000
                S005,110101,DC-HPL,和平里第三小学,小学,2,否,39.980000,116.420000

                """,
            "campuses.csv": "school_code,code,name,lat,lon\nS004,A,本部,39.960000,116.420000\nS005,A,本部,39.980000,116.420000\n",
            "staff.csv": """
                staff_no,name,gender,birth_date,first_employed_on,education,home_school_code,home_since,primary_subject,stage_certs
                T0001,张三,男,1975-03-01,1997-09-01,本科,S001,1997-09-01,数学,小学

                """,
            "loads.csv": "staff_no,school_year,periods_per_week\nT0001,2026,12\n",
        ]
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let result = try cli.run(["import", "--dir", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        return (db, cli)
    }

    func propose(_ cli: CLIRunner, ref: String, host: String, slot: String) throws -> CLIRunner.Output {
        try cli.run(["assign", "propose", "--staff", "T0001", "--host", host, "--kind", "走教", "--subject", "数学", "--periods", "2",
                     "--from", "2026-09-01", "--until", "2027-07-01", "--slot", slot, "--ref", ref, "--reason", "学区统筹"])
    }

    @Test("a week across two schools with its travel gap, a clash refused by name, and the workload flows and shares")
    func weekAndWorkload() throws {
        let (db, cli) = try prepared()
        defer { withExtendedLifetime(db) {} }
        #expect(try propose(cli, ref: "W1", host: "S004", slot: "周二 08:00-08:40 A").status == 0)
        #expect(try propose(cli, ref: "W2", host: "S005", slot: "周二 09:00-09:40 A").status == 0)
        for ref in ["W1", "W2"] {
            let approved = try cli.run(["assign", "approve", ref, "--reason", "同意"])
            #expect(approved.status == 0, "\(approved.stderr)")
        }
        // back at S004 ten minutes after S005: 17 minutes are needed
        let clash = try propose(cli, ref: "W3", host: "S004", slot: "周二 09:50-10:30 A")
        #expect(clash.status == 1)
        #expect(clash.stderr == "xuequ: 周二 09:50–10:30（S004/A）与#2（W2）的 09:00–09:40（S005/A）冲突：两校区之间需要 17 分钟路程\n")
        let english = try propose(cli, ref: "W3", host: "S004", slot: "Tue 09:50-10:30 A")
        #expect(english.status == 1)
        let bad = try cli.run(["assign", "propose", "--staff", "T0001", "--host", "S004", "--kind", "走教", "--subject", "数学",
                               "--periods", "2", "--from", "2026-09-01", "--until", "2027-07-01", "--slot", "周二 上午"])
        #expect(bad.status == 1 && bad.stderr.contains("--slot \"周二 上午\""))

        let week = try cli.run(["teacher", "week", "T0001", "--on", "2026-10-06", "--format", "json"])
        #expect(week.status == 0, "\(week.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(week.stdout.utf8)) as? [String: Any])
        let teacher = try #require(object["teacher"] as? [String: Any])
        let numbers = ["home_periods", "cross_periods", "total", "max"].map { Double("\(teacher[$0]!)") }
        #expect(numbers == [12, 4, 16, 20])
        let lessons = try #require(object["week"] as? [[String: Any]])
        #expect(lessons.map { "\($0["weekday"]!) \($0["time"]!) \($0["school"]!) \($0["gap"]!) \($0["travel"]!) \($0["ok"]!)" } == [
            "周二 08:00–08:40 S004 <null> <null> ",
            "周二 09:00–09:40 S005 20 17 是",
        ])

        // 2 periods × 303 days ÷ 365 = 1.66 a week from S001 to each host; shares 4380 : 606 : 606
        let flows = try cli.run(["workload", "--from", "2026-09-01", "--to", "2027-08-31", "--format", "csv", "--lang", "en"])
        #expect(flows.status == 0, "\(flows.stderr)")
        let lines = flows.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "home,host,teachers,kinds,periods")
        #expect(lines[1] == "S001 和平里第一小学,S004 和平里第二小学,1,itinerant,1.7")
        #expect(lines[2] == "S001 和平里第一小学,S005 和平里第三小学,1,itinerant,1.7")
        // weighted: (12 × 365 + 1.2 × 4 × 303) ÷ 365 = 15.98
        #expect(lines.contains("T0001,张三,S001,S001 12.0（78%），S004 1.7（11%），S005 1.7（11%）,12.0,3.3,15.98,false"))

        let one = try cli.run(["workload", "--teacher", "T0001", "--from", "2026-09-01", "--to", "2027-08-31", "--format", "json"])
        let parts = try #require((try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])?["parts"] as? [[String: Any]])
        #expect(parts.map { "\($0["days"]!) \($0["share"]!)" } == ["365 0.7833", "303 0.1084", "303 0.1084"])

        // only S005's work, and an unknown school named
        let s005 = try cli.run(["workload", "--school", "S005", "--format", "csv"])
        #expect(s005.stdout.split(separator: "\n").filter { $0.hasPrefix("S001") }.count == 1)
        let unknown = try cli.run(["workload", "--school", "S999"])
        #expect(unknown.status == 1 && unknown.stderr == "xuequ: 没有代码为 S999 的学校\n")

        // the history of an assignment, and ending it early shortens its range
        #expect(try cli.run(["assign", "activate", "W1"]).status == 0)
        let ended = try cli.run(["assign", "end", "W1", "--on", "2027-01-01", "--reason", "学期调整"])
        #expect(ended.status == 0, "\(ended.stderr)")
        let show = try cli.run(["assign", "show", "W1", "--format", "json"])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect((shown["assignment"] as? [String: Any])?["end"] as? String == "2027-01-01")
        #expect(((shown["events"] as? [[String: Any]]) ?? []).map { "\($0["to"]!)" } == ["待批准", "已批准", "进行中", "已结束"])
        #expect(((shown["slots"] as? [[String: Any]]) ?? []).count == 1)
    }
}
