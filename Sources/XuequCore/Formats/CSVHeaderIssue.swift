/// One problem found in a CSV header line.
public struct CSVHeaderIssue: Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: Sendable, Hashable {
        /// The header names a column that no spec accepts; `acceptedKeys` lists the keys that are.
        case unknownColumn(acceptedKeys: [String])
        /// A required column is absent.
        case missingRequired
        /// The column `key` is given a second time (e.g. as both `staff_no` and `工号`);
        /// `firstPosition` is the 1-based position of its first occurrence.
        case duplicate(key: String, firstPosition: Int)
    }

    /// The kind of problem.
    public var kind: Kind
    /// The 1-based line of the header (1 for a header at the top of the file).
    public var line: Int
    /// The column name as written in the header (trimmed), or the key of a missing column.
    public var column: String
    /// The 1-based position of the header cell, or `nil` for a missing column.
    public var position: Int?

    /// Creates a header issue.
    public init(kind: Kind, line: Int, column: String, position: Int?) {
        self.kind = kind
        self.line = line
        self.column = column
        self.position = position
    }

    /// A message naming the line and the column.
    public var description: String {
        switch kind {
        case .unknownColumn(let keys):
            return "line \(line): unknown column \"\(column)\" (column \(position ?? 0)); accepted columns: "
                + keys.joined(separator: ", ")
        case .missingRequired:
            return "line \(line): required column \"\(column)\" is missing"
        case .duplicate(let key, let first):
            return "line \(line): column \"\(column)\" (column \(position ?? 0)) repeats \(key), already given in column \(first)"
        }
    }
}
