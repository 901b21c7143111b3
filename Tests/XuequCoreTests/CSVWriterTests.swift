import Testing
import XuequCore

@Suite struct CSVWriterTests {
    let writer = CSVWriter()

    @Test func quotingOnlyWhenNeeded() {
        #expect(writer.field("张三") == "张三")
        #expect(writer.field("a,b") == "\"a,b\"")
        #expect(writer.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(writer.field("two\nlines") == "\"two\nlines\"")
        #expect(writer.field("cr\rhere") == "\"cr\rhere\"")
        #expect(writer.field("") == "")
        #expect(writer.field(" padded ") == " padded ")
    }

    @Test func formulaNeutralisation() {
        #expect(writer.field("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
        #expect(writer.field("=SUM(A1,A2)") == "\"'=SUM(A1,A2)\"")
        #expect(writer.field("+86 138") == "'+86 138")
        #expect(writer.field("-x") == "'-x")
        #expect(writer.field("@SUM(1)") == "'@SUM(1)")
        #expect(writer.field("\tx") == "'\tx")
        #expect(writer.field("\rx") == "\"'\rx\"")
        #expect(writer.field("-") == "'-")
        #expect(writer.field("a=b") == "a=b")
    }

    @Test func plainNumbersStayAsIs() {
        for number in ["-3", "+1.5", "-0.25", "-.5", "12", "+0"] {
            #expect(writer.field(number) == number)
        }
        #expect(CSVWriter.isPlainNumber("-1e5") == false)
        #expect(CSVWriter.isPlainNumber("1.2.3") == false)
        #expect(CSVWriter.isPlainNumber("-") == false)
        #expect(CSVWriter.isPlainNumber("-.") == false)
    }

    @Test func neutralisationCanBeTurnedOff() {
        #expect(CSVWriter(neutralizesFormulas: false).field("=1+1") == "=1+1")
    }

    @Test func wholeDocumentWithLineEndings() {
        let rows = [["0001", "张三"], ["0002", "李,四"]]
        #expect(writer.string(header: ["工号", "姓名"], rows: rows) == "工号,姓名\n0001,张三\n0002,\"李,四\"\n")
        let crlf = CSVWriter(lineEnding: .crlf)
        #expect(crlf.string(rows: [["a", "b"]]) == "a,b\r\n")
        let tabs = CSVWriter(separator: "\t")
        #expect(tabs.record(["a\tb", "c"]) == "\"a\tb\"\tc\n")
    }

    @Test func bytesDefaultToUTF8WithBOMAndCanBeGB18030() {
        let bom = writer.bytes(header: ["姓名"], rows: [["张三"]])
        #expect(bom == [0xEF, 0xBB, 0xBF] + Array("姓名\n张三\n".utf8))
        let gb = writer.bytes(rows: [["张三"]], encoding: .gb18030)
        #expect(gb == [0xD5, 0xC5, 0xC8, 0xFD, 0x0A])
    }

    @Test func writtenCSVReadsBack() throws {
        let rows = [["=1+2", "x\"y", "multi\nline", "-3", ""], ["a", "b", "c", "d", "e"]]
        let text = CSVWriter(lineEnding: .crlf).string(rows: rows)
        let parsed = try CSVReader.parse(text)
        #expect(parsed.map(\.fields) == [["'=1+2", "x\"y", "multi\nline", "-3", ""], rows[1]])
        #expect(parsed.map(\.line) == [1, 3])
    }
}
