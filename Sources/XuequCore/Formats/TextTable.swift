/// A plain-text table for people: columns padded by terminal display width so that
/// Chinese and Latin text line up, a header line, a line of `-`, and two spaces between
/// columns. Lines carry no trailing spaces; the text ends with a newline.
///
/// ```
/// 工号  姓名    课时
/// ----  ------  ----
/// 0001  张三      12
/// 0002  ABCDEF     8
/// ```
public struct TextTable: Sendable, Hashable {
    /// An optional line printed above the header.
    public var title: String?
    /// The columns, in order.
    public var columns: [Column]
    /// The rows; missing cells are blank and cells beyond `columns.count` are ignored.
    public var rows: [[String]]
    /// The line printed below the header when there are no rows.
    public var emptyText: String

    /// Creates a table.
    public init(title: String? = nil, columns: [Column], rows: [[String]], emptyText: String = "(none)") {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.emptyText = emptyText
    }

    /// The rendered table, each line ending in `\n`.
    ///
    /// Line breaks, tabs and other control characters inside cells are shown as spaces so
    /// they cannot break the layout.
    public func render() -> String {
        let header = columns.map { Self.sanitize($0.title) }
        let body = rows.map { row in
            columns.indices.map { index in index < row.count ? Self.sanitize(row[index]) : "" }
        }
        var widths = header.map(DisplayWidth.of)
        for row in body {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }

        var lines: [String] = []
        if let title { lines.append(Self.sanitize(title)) }
        lines.append(line(header, widths: widths))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        if body.isEmpty {
            lines.append(Self.sanitize(emptyText))
        } else {
            for row in body { lines.append(line(row, widths: widths)) }
        }
        return lines.map(Self.trimmingTrailingSpaces).joined(separator: "\n") + "\n"
    }

    private func line(_ cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        parts.reserveCapacity(cells.count)
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cell))
            parts.append(columns[index].alignment == .right ? padding + cell : cell + padding)
        }
        return parts.joined(separator: "  ")
    }

    private static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return text
        }
        var out = ""
        for character in text {
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                out.append(" ")
            } else {
                out.append(character)
            }
        }
        return out
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = Substring(line)
        while line.last == " " { line.removeLast() }
        return String(line)
    }
}
