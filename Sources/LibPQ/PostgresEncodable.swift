/// A Swift value that can be sent to PostgreSQL as a text-format parameter.
///
/// Conform your own types by returning the text PostgreSQL's input function accepts.
public protocol PostgresEncodable {
    /// The value in PostgreSQL text format (as `psql` would print it).
    var postgresText: String { get }

    /// True when the value stands for SQL NULL (only `Optional.none` does).
    var isPostgresNull: Bool { get }

    /// The value as one element of an array literal: quoted and escaped, `NULL` for nil,
    /// or a raw nested `{...}` literal for arrays.
    var postgresArrayElement: String { get }
}

extension PostgresEncodable {
    /// Only `Optional.none` is NULL.
    public var isPostgresNull: Bool { false }

    /// Quotes `postgresText` for use inside an array literal.
    public var postgresArrayElement: String { PostgresArrayLiteral.quote(postgresText) }
}
