import Testing
import XuequCore

@Suite struct TextTableTests {
    @Test func mixedChineseAndASCIIAlign() {
        let table = TextTable(
            columns: [
                TextTable.Column(title: "工号"),
                TextTable.Column(title: "姓名"),
                TextTable.Column(title: "课时", alignment: .right),
            ],
            rows: [["0001", "张三", "12"], ["0002", "ABCDEF", "8"], ["0003", "欧阳娜娜", "120"]])
        #expect(table.render() == """
            工号  姓名      课时
            ----  --------  ----
            0001  张三        12
            0002  ABCDEF       8
            0003  欧阳娜娜   120

            """)
    }

    @Test func noTrailingSpacesAndTitleLine() {
        let table = TextTable(
            title: "教师名单",
            columns: [TextTable.Column(title: "name"), TextTable.Column(title: "note")],
            rows: [["张三", ""], ["ABCD", "x"]])
        let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == ["教师名单", "name  note", "----  ----", "张三", "ABCD  x", ""])
    }

    @Test func emptyTableShowsHeaderAndEmptyText() {
        let columns = [TextTable.Column(title: "工号"), TextTable.Column(title: "姓名")]
        #expect(TextTable(columns: columns, rows: []).render() == "工号  姓名\n----  ----\n(none)\n")
        #expect(TextTable(columns: columns, rows: [], emptyText: "（无）").render() == "工号  姓名\n----  ----\n（无）\n")
    }

    @Test func shortRowsAndControlCharactersDoNotBreakLayout() {
        let table = TextTable(
            columns: [TextTable.Column(title: "a"), TextTable.Column(title: "b", alignment: .right)],
            rows: [["x\ny"], ["tab\there", "1"]])
        #expect(table.render() == "a         b\n--------  -\nx y\ntab here  1\n")
    }
}
