/// The mapping from column keys to field positions, resolved from a CSV header record.
///
/// Header cells match a column's key or any alias after trimming whitespace (including
/// the full-width space U+3000), removing U+FEFF byte-order marks, and ignoring ASCII case.
/// Empty header cells (Excel's trailing commas) are ignored.
public struct CSVHeader: Sendable, Hashable {
    /// Field index (0-based) for each column key present in the header.
    public var indices: [String: Int]
    /// The 1-based line of the header record.
    public var line: Int

    /// Creates a mapping directly.
    public init(indices: [String: Int], line: Int = 1) {
        self.indices = indices
        self.line = line
    }

    /// Resolves `header` against `columns`.
    ///
    /// - Throws: `CSVHeaderError` listing every unknown column, duplicated column and
    ///   missing required column at once.
    public static func resolve(_ header: CSVRecord, columns: [CSVColumn]) throws(CSVHeaderError) -> CSVHeader {
        try resolve(header.fields, line: header.line, columns: columns)
    }

    /// Resolves header cells found on `line` against `columns`.
    public static func resolve(_ cells: [String], line: Int = 1, columns: [CSVColumn]) throws(CSVHeaderError) -> CSVHeader {
        var lookup: [String: String] = [:]
        for column in columns {
            for name in [column.key] + column.aliases {
                let normalized = normalize(name)
                if lookup[normalized] == nil { lookup[normalized] = column.key }
            }
        }

        var indices: [String: Int] = [:]
        var issues: [CSVHeaderIssue] = []
        for (index, cell) in cells.enumerated() {
            let normalized = normalize(cell)
            if normalized.isEmpty { continue }
            let shown = trimmed(cell)
            guard let key = lookup[normalized] else {
                issues.append(CSVHeaderIssue(
                    kind: .unknownColumn(acceptedKeys: columns.map(\.key)),
                    line: line, column: shown, position: index + 1))
                continue
            }
            if let first = indices[key] {
                issues.append(CSVHeaderIssue(
                    kind: .duplicate(key: key, firstPosition: first + 1),
                    line: line, column: shown, position: index + 1))
                continue
            }
            indices[key] = index
        }
        for column in columns where column.required && indices[column.key] == nil {
            issues.append(CSVHeaderIssue(kind: .missingRequired, line: line, column: column.key, position: nil))
        }
        if !issues.isEmpty { throw CSVHeaderError(issues: issues) }
        return CSVHeader(indices: indices, line: line)
    }

    /// The 0-based field index of the column `key`, or `nil` when the header lacks it.
    public subscript(_ key: String) -> Int? {
        indices[key]
    }

    /// The value of column `key` in `record`, or `nil` when the header lacks the column
    /// or the record is too short.
    public func value(_ key: String, in record: CSVRecord) -> String? {
        guard let index = indices[key] else { return nil }
        return record[index]
    }

    /// Header text reduced to its matching form: BOMs removed, trimmed, ASCII lowercased.
    static func normalize(_ text: String) -> String {
        String(String.UnicodeScalarView(trimmed(text).unicodeScalars.map { scalar in
            (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
        }))
    }

    /// `text` without U+FEFF and without leading or trailing whitespace (full-width included).
    private static func trimmed(_ text: String) -> String {
        var scalars = text.unicodeScalars.filter { $0 != "\u{FEFF}" }[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
