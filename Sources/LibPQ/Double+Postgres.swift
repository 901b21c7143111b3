/// `float8`: NaN and ±Infinity use PostgreSQL's spelling; other values use Swift's
/// shortest round-tripping form, which PostgreSQL reads back exactly.
extension Double: PostgresEncodable, PostgresDecodable {
    /// Shortest exact text, `NaN`, `Infinity` or `-Infinity`.
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
    /// Parses `float8`/`float4`/`numeric` text (beware: numeric may lose precision; use `Decimal`).
    public init(postgresText: String) throws {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let v = Double(postgresText) else { throw InvalidText(expected: "double precision") }
            self = v
        }
    }
}
