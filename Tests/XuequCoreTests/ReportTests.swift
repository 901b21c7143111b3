import Foundation
import Testing
import XuequCore

@Suite struct ReportTests {
    let report = Report(
        title: "课时统计",
        columns: [
            ReportColumn(key: "staff_no", title: "工号"),
            ReportColumn(key: "name", title: "姓名"),
            ReportColumn(key: "hours", title: "课时", alignment: .right),
            ReportColumn(key: "salary", title: "工资", alignment: .right),
            ReportColumn(key: "active", title: "在职"),
            ReportColumn(key: "hired_on", title: "入职日期"),
        ],
        rows: [
            ["0001", "张三", 12, .decimal("8500.50"), true, .date("2020-09-01")],
            ["0002", "=HYPERLINK(\"x\")", .int(-3), .null, false, .null],
        ])

    @Test func tableOutput() {
        #expect(report.render(.table, nullText: "—") == """
            课时统计
            工号  姓名             课时     工资  在职   入职日期
            ----  ---------------  ----  -------  -----  ----------
            0001  张三               12  8500.50  true   2020-09-01
            0002  =HYPERLINK("x")    -3        —  false  —

            """)
    }

    @Test func csvOutputWithKeysOrTitles() {
        #expect(report.render(.csv) == """
            staff_no,name,hours,salary,active,hired_on
            0001,张三,12,8500.50,true,2020-09-01
            0002,"'=HYPERLINK(""x"")",-3,,false,

            """)
        #expect(report.render(.csv, csvHeader: .titles).hasPrefix("工号,姓名,课时,工资,在职,入职日期\n"))
    }

    @Test func jsonOutput() {
        #expect(report.render(.json) == """
            [
              {"staff_no":"0001","name":"张三","hours":12,"salary":8500.50,"active":true,"hired_on":"2020-09-01"},
              {"staff_no":"0002","name":"=HYPERLINK(\\"x\\")","hours":-3,"salary":null,"active":false,"hired_on":null}
            ]

            """)
    }

    @Test func jsonEscaping() throws {
        let tricky = "q\"b\\n\nr\rt\t\u{1}\u{1F}\u{8}\u{C}\u{2028}张/"
        let json = Report(columns: [ReportColumn(key: "k\"ey")], rows: [[.text(tricky)]]).render(.json)
        #expect(json == "[\n  {\"k\\\"ey\":\"q\\\"b\\\\n\\nr\\rt\\t\\u0001\\u001f\\b\\f\\u2028张/\"}\n]\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]]
        #expect(parsed == [["k\"ey": tricky]])
    }

    @Test func decimalsThatAreNotJSONNumbersBecomeStrings() {
        let values: [ReportValue] = [.decimal("-0.25"), .decimal("1e3"), .decimal("+1"), .decimal(".5"), .decimal("01"), .decimal("NaN")]
        #expect(values.map(\.jsonText) == ["-0.25", "1e3", "\"+1\"", "\".5\"", "\"01\"", "\"NaN\""])
    }

    @Test func emptyReports() {
        let empty = Report(columns: [ReportColumn(key: "staff_no", title: "工号")], rows: [])
        #expect(empty.render(.json) == "[]\n")
        #expect(empty.render(.csv) == "staff_no\n")
        #expect(empty.render(.table) == "工号\n----\n(none)\n")
    }

    @Test func shortRowsArePaddedWithNull() {
        let short = Report(columns: [ReportColumn(key: "a"), ReportColumn(key: "b")], rows: [[1]])
        #expect(short.render(.json) == "[\n  {\"a\":1,\"b\":null}\n]\n")
    }

    @Test func outputFormatRawValues() {
        #expect(OutputFormat.allCases.map(\.rawValue) == ["table", "json", "csv"])
        #expect(OutputFormat(rawValue: "json") == .json)
        #expect(OutputFormat(rawValue: "xml") == nil)
    }
}
