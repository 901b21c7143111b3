/// Transaction isolation levels for `Connection.transaction(isolation:_:)`.
public enum IsolationLevel: String, Sendable, CaseIterable {
    /// READ COMMITTED (PostgreSQL's default).
    case readCommitted = "READ COMMITTED"
    /// REPEATABLE READ (snapshot isolation).
    case repeatableRead = "REPEATABLE READ"
    /// SERIALIZABLE; be ready to retry on `PGError.isSerializationFailure`.
    case serializable = "SERIALIZABLE"
}
