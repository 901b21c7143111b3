/// All problems found in a CSV header line, reported together so a user can fix them in one go.
public struct CSVHeaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, header problems in column order first, then missing columns in spec order.
    public var issues: [CSVHeaderIssue]

    /// Creates a header error from its issues.
    public init(issues: [CSVHeaderIssue]) {
        self.issues = issues
    }

    /// One line per issue.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
