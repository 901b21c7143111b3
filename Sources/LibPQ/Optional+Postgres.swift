/// `nil` is SQL NULL.
extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// The wrapped value's text; empty for nil (nil is sent as NULL, never as this text).
    public var postgresText: String { self?.postgresText ?? "" }
    /// True for nil.
    public var isPostgresNull: Bool { self == nil || self!.isPostgresNull }
    /// `NULL` for nil, else the wrapped element.
    public var postgresArrayElement: String { self?.postgresArrayElement ?? "NULL" }
}

/// A NULL column or array element decodes as nil.
extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes the wrapped value.
    public init(postgresText: String) throws {
        self = .some(try Wrapped(postgresText: postgresText))
    }
    /// NULL decodes as nil.
    public static var postgresNull: Wrapped?? { .some(.none) }
}
