/// `boolean`: sent as `true`/`false`, read from `t`/`f`.
extension Bool: PostgresEncodable, PostgresDecodable {
    /// `true` or `false`.
    public var postgresText: String { self ? "true" : "false" }
    /// Accepts PostgreSQL's `t`/`f` (and `true`/`false`).
    public init(postgresText: String) throws {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw InvalidText(expected: "boolean")
        }
    }
}
