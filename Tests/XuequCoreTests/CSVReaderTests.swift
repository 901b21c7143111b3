import Testing
import XuequCore

@Suite struct CSVReaderTests {
    @Test func simpleRecordsWithLineNumbers() throws {
        let records = try CSVReader.parse("工号,姓名\n0001,张三\n0002,李四\n")
        #expect(records == [
            CSVRecord(line: 1, fields: ["工号", "姓名"]),
            CSVRecord(line: 2, fields: ["0001", "张三"]),
            CSVRecord(line: 3, fields: ["0002", "李四"]),
        ])
    }

    @Test func quotedFieldsWithEscapesAndSeparators() throws {
        let records = try CSVReader.parse(#"a,"b,c","say ""hi""","",x"# + "\n")
        #expect(records == [CSVRecord(line: 1, fields: ["a", "b,c", #"say "hi""#, "", "x"])])
    }

    @Test func multiLineQuotedFieldKeepsFollowingLineNumbers() throws {
        let text = "id,note\n1,\"first\nsecond\r\nthird\"\n2,ok\r\n\r\n3,\"x\ry\"\n4,end"
        let records = try CSVReader.parse(text)
        // Physical lines: 1 header; 2-4 record "1"; 5 record "2"; 6 blank; 7-8 record "3"; 9 record "4".
        #expect(records.map(\.line) == [1, 2, 5, 7, 9])
        #expect(records[1].fields == ["1", "first\nsecond\r\nthird"])
        #expect(records[2].fields == ["2", "ok"])
        #expect(records[3].fields == ["3", "x\ry"])
        #expect(records[4].fields == ["4", "end"])
        let last = try CSVReader.parse("a\n\"p\nq\"\nlast")
        #expect(last.last == CSVRecord(line: 4, fields: ["last"]))
    }

    @Test func lineEndingsCRLFLFAndCR() throws {
        let expected = [["a", "b"], ["c", "d"], ["e", "f"]]
        #expect(try CSVReader.parse("a,b\r\nc,d\r\ne,f\r\n").map(\.fields) == expected)
        #expect(try CSVReader.parse("a,b\nc,d\ne,f").map(\.fields) == expected)
        #expect(try CSVReader.parse("a,b\rc,d\re,f\r").map(\.fields) == expected)
        #expect(try CSVReader.parse("a,b\rc,d\re,f\r").map(\.line) == [1, 2, 3])
    }

    @Test func blankLinesAreSkippedButCountedForLineNumbers() throws {
        let records = try CSVReader.parse("\n\na,b\n\n\r\nc,d\n\n")
        #expect(records == [CSVRecord(line: 3, fields: ["a", "b"]), CSVRecord(line: 6, fields: ["c", "d"])])
    }

    @Test func emptyFieldsAndTrailingSeparators() throws {
        #expect(try CSVReader.parse("a,,c,\n").first?.fields == ["a", "", "c", ""])
        #expect(try CSVReader.parse("a,").first?.fields == ["a", ""])
        #expect(try CSVReader.parse(",,\n").first == CSVRecord(line: 1, fields: ["", "", ""]))
        #expect(try CSVReader.parse(",,\n").first?.isBlank == true)
        #expect(try CSVReader.parse("\"\"").first?.fields == [""])
        #expect(try CSVReader.parse("").isEmpty)
    }

    @Test func finalQuotedFieldWithoutNewline() throws {
        #expect(try CSVReader.parse("a,\"b\"").first?.fields == ["a", "b"])
    }

    @Test func literalQuoteInsideUnquotedFieldIsKept() throws {
        #expect(try CSVReader.parse("5\"5,x").first?.fields == ["5\"5", "x"])
    }

    @Test func tabSeparator() throws {
        let records = try CSVReader(separator: "\t").records(in: "工号\t姓名\n0001\t\"张,三\"\n")
        #expect(records.map(\.fields) == [["工号", "姓名"], ["0001", "张,三"]])
    }

    @Test func unterminatedQuoteReportsLineWhereItOpened() {
        let text = "id,note\n1,ok\n2,\"never closed\n3,more\n4,rows\n"
        #expect(throws: CSVError(kind: .unterminatedQuote, line: 3, field: 2)) {
            try CSVReader.parse(text)
        }
    }

    @Test func textAfterClosingQuoteReportsLine() {
        let text = "id,note\n1,\"multi\nline\"\n2,\"bad\"x,3\n"
        do {
            _ = try CSVReader.parse(text)
            Issue.record("expected an error")
        } catch {
            #expect(error == CSVError(kind: .textAfterClosingQuote, line: 4, field: 2))
            #expect(error.description.hasPrefix("line 4:"))
        }
    }

    @Test func subscriptIsSafeOnShortRecords() {
        let record = CSVRecord(line: 7, fields: ["a"])
        #expect(record[0] == "a")
        #expect(record[1] == nil)
        #expect(record[-1] == nil)
    }

    @Test func largeInputParsesCompletely() throws {
        // Correctness at scale (no timing assertion): 20,000 rows × 20 fields.
        let row = (0..<20).map { $0 % 5 == 0 ? "\"f,\(String($0))\"" : "值\($0)" }.joined(separator: ",")
        let text = String(repeating: row + "\r\n", count: 20_000)
        let records = try CSVReader.parse(text)
        #expect(records.count == 20_000)
        #expect(records.allSatisfy { $0.fields.count == 20 })
        #expect(records[19_999].line == 20_000)
        #expect(records[123].fields[5] == "f,5")
        #expect(records[123].fields[19] == "值19")
    }
}
