/// Tabular results that can be printed for people (`.table`) or programs (`.json`, `.csv`).
///
/// Output is deterministic: columns appear in the order given. Rows shorter than the
/// columns are padded with `.null`; extra cells are ignored.
public struct Report: Sendable, Hashable {
    /// An optional title line for table output.
    public var title: String?
    /// The columns, in output order.
    public var columns: [ReportColumn]
    /// The rows of typed values.
    public var rows: [[ReportValue]]

    /// Creates a report.
    public init(title: String? = nil, columns: [ReportColumn], rows: [[ReportValue]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// Renders the report; every format ends with a newline.
    ///
    /// - Parameters:
    ///   - format: table, JSON or CSV.
    ///   - csvHeader: whether the CSV header uses column keys (default) or titles.
    ///   - nullText: how `.null` appears in a table (default empty; `—` is common).
    ///   - emptyText: the table line shown when there are no rows.
    ///   - boolText: how true and false appear in a table (是/否 for Chinese readers); JSON and
    ///     CSV keep `true`/`false`.
    public func render(
        _ format: OutputFormat, csvHeader: ReportHeaderStyle = .keys, nullText: String = "",
        emptyText: String = "(none)", boolText: (yes: String, no: String) = ("true", "false")
    ) -> String {
        switch format {
        case .table:
            return TextTable(
                title: title,
                columns: columns.map { TextTable.Column(title: $0.title, alignment: $0.alignment) },
                rows: paddedRows.map { row in
                    row.map { value in
                        if case .bool(let b) = value { return b ? boolText.yes : boolText.no }
                        return value.plainText ?? nullText
                    }
                },
                emptyText: emptyText
            ).render()
        case .csv:
            let header = columns.map { csvHeader == .keys ? $0.key : $0.title }
            return CSVWriter().string(header: header, rows: paddedRows.map { row in row.map { $0.plainText ?? "" } })
        case .json:
            let objects = paddedRows.map { row in
                "  {" + zip(columns, row).map { column, value in
                    JSONText.quoted(column.key) + ":" + value.jsonText
                }.joined(separator: ",") + "}"
            }
            if objects.isEmpty { return "[]\n" }
            return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
        }
    }

    private var paddedRows: [[ReportValue]] {
        rows.map { row in
            columns.indices.map { index in index < row.count ? row[index] : .null }
        }
    }
}
