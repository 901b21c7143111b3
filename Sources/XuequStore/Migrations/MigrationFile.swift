import Foundation

/// One numbered migration file, `sql/NNNN_name.sql`.
public struct MigrationFile: Sendable, Equatable {
    /// The number before the first underscore (`0001`).
    public let version: Int
    /// The file name, e.g. `0001_foundation.sql`.
    public let fileName: String
    /// The SQL text, applied as one transaction.
    public let sql: String

    public init(version: Int, fileName: String, sql: String) {
        self.version = version
        self.fileName = fileName
        self.sql = sql
    }
}
