/// How a report is printed: for people, or for other programs.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// An aligned text table.
    case table
    /// A JSON array of objects keyed by column key.
    case json
    /// CSV with a header record.
    case csv
}
