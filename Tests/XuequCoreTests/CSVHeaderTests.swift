import Testing
import XuequCore

@Suite struct CSVHeaderTests {
    let columns = [
        CSVColumn(key: "staff_no", aliases: ["工号", "教职工编号"], required: true),
        CSVColumn(key: "name", aliases: ["姓名"], required: true),
        CSVColumn(key: "school", aliases: ["学校"]),
        CSVColumn(key: "id_card", aliases: ["身份证号"], required: true),
    ]

    @Test func chineseAliasesResolveToKeys() throws {
        let header = try CSVHeader.resolve(CSVRecord(line: 1, fields: ["姓名", "工号", "身份证号"]), columns: columns)
        #expect(header.indices == ["name": 0, "staff_no": 1, "id_card": 2])
        #expect(header["school"] == nil)
        let row = CSVRecord(line: 2, fields: ["张三", "0001"])
        #expect(header.value("staff_no", in: row) == "0001")
        #expect(header.value("id_card", in: row) == nil)  // short record
        #expect(header.value("school", in: row) == nil)  // absent column
    }

    @Test func cellsAreTrimmedBOMStrippedAndCaseInsensitive() throws {
        let cells = ["\u{FEFF}STAFF_No ", "\u{3000}姓名\u{3000}", "\tID_card", "", "  "]
        let header = try CSVHeader.resolve(cells, columns: columns)
        #expect(header.indices == ["staff_no": 0, "name": 1, "id_card": 2])
    }

    @Test func decodedExcelFileWithBOMResolves() throws {
        // A BOM left in the text (e.g. decoded elsewhere) sticks to the first header cell.
        let records = try CSVReader.parse("\u{FEFF}教职工编号,姓名,身份证号\r\n0001,张三,110101199001011234\r\n")
        let header = try CSVHeader.resolve(records[0], columns: columns)
        #expect(header.value("staff_no", in: records[1]) == "0001")
        #expect(header.value("id_card", in: records[1]) == "110101199001011234")
    }

    @Test func allProblemsAreReportedAtOnce() {
        let cells = ["staff_no", "职称", "工号", "学校", "Title"]
        do {
            _ = try CSVHeader.resolve(cells, columns: columns)
            Issue.record("expected a header error")
        } catch {
            let keys = ["staff_no", "name", "school", "id_card"]
            #expect(error.issues == [
                CSVHeaderIssue(kind: .unknownColumn(acceptedKeys: keys), line: 1, column: "职称", position: 2),
                CSVHeaderIssue(kind: .duplicate(key: "staff_no", firstPosition: 1), line: 1, column: "工号", position: 3),
                CSVHeaderIssue(kind: .unknownColumn(acceptedKeys: keys), line: 1, column: "Title", position: 5),
                CSVHeaderIssue(kind: .missingRequired, line: 1, column: "name", position: nil),
                CSVHeaderIssue(kind: .missingRequired, line: 1, column: "id_card", position: nil),
            ])
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 5)
            #expect(lines[0] == #"line 1: unknown column "职称" (column 2); accepted columns: staff_no, name, school, id_card"#)
            #expect(lines[1] == #"line 1: column "工号" (column 3) repeats staff_no, already given in column 1"#)
            #expect(lines[3] == #"line 1: required column "name" is missing"#)
        }
    }

    @Test func headerLineIsCarriedFromRecord() {
        #expect(throws: CSVHeaderError(issues: [
            CSVHeaderIssue(kind: .missingRequired, line: 3, column: "id_card", position: nil)
        ])) {
            try CSVHeader.resolve(CSVRecord(line: 3, fields: ["工号", "姓名"]), columns: columns)
        }
    }
}
