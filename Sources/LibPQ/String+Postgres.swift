/// Text is sent and received as-is (UTF-8).
extension String: PostgresEncodable, PostgresDecodable {
    /// The string itself.
    public var postgresText: String { self }
    /// The string itself.
    public init(postgresText: String) { self = postgresText }
}
