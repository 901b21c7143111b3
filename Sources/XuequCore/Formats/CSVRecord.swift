/// One parsed CSV record and the physical line on which it starts.
public struct CSVRecord: Sendable, Hashable {
    /// The 1-based physical line where the record starts, counting the lines inside
    /// earlier multi-line quoted fields, so messages can say `file:line`.
    public var line: Int
    /// The field values, unquoted and unescaped.
    public var fields: [String]

    /// Creates a record.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }

    /// The field at `index`, or `nil` past the end of a short record.
    public subscript(_ index: Int) -> String? {
        index >= 0 && index < fields.count ? fields[index] : nil
    }

    /// Whether every field is empty or whitespace only (e.g. a row of commas Excel left behind).
    public var isBlank: Bool {
        fields.allSatisfy { $0.allSatisfy(\.isWhitespace) }
    }
}
