import LibPQ

/// Errors of the store that a person can act on, with the message to show them.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// Setup problem: missing folder, bad configuration.
    case configuration(String)
    /// The database schema is behind or differs from the migration files.
    case schema(String)
    /// A record that was asked for does not exist.
    case notFound(String)
    /// Input rejected, with every located issue.
    case invalidInput([ImportIssue], total: Int)

    public var description: String {
        switch self {
        case .configuration(let m), .schema(let m), .notFound(let m): return m
        case .invalidInput(let issues, let total):
            return "\(total) error(s): " + issues.map(\.description).joined(separator: "; ")
        }
    }
}
