/// A Swift value that can be built from a PostgreSQL text-format result value.
public protocol PostgresDecodable {
    /// Parses the text PostgreSQL printed for a non-NULL value.
    /// Throw (any error; `Row` wraps it with the column and value) when the text is not valid.
    init(postgresText: String) throws

    /// The value that stands for SQL NULL, or nil when NULL is not allowed (the default).
    /// `Optional` returns `.some(.none)`.
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    /// NULL is not allowed unless the type says otherwise.
    public static var postgresNull: Self? { nil }
}
