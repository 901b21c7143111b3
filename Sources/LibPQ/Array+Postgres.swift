/// One-dimensional (or, with nested arrays, multi-dimensional) PostgreSQL arrays.
///
/// Sent as a `{...}` literal with every element quoted, so `WHERE x = ANY($1)` works.
/// Use `[T?]` when elements may be NULL; a NULL element in a `[T]` is a decoding error.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// `{"a","b",NULL}`.
    public var postgresText: String {
        "{" + map(\.postgresArrayElement).joined(separator: ",") + "}"
    }
    /// A nested array is written unquoted inside its parent.
    public var postgresArrayElement: String { postgresText }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Parses an array literal, decoding each element.
    public init(postgresText: String) throws {
        let raw = try PostgresArrayLiteral.parse(postgresText)
        var out: [Element] = []
        out.reserveCapacity(raw.count)
        for (n, item) in raw.enumerated() {
            if let item {
                out.append(try Element(postgresText: item))
            } else if let null = Element.postgresNull {
                out.append(null)
            } else {
                throw InvalidText(expected: "array of non-NULL \(Element.self) (element \(n + 1) is NULL; decode as [\(Element.self)?])")
            }
        }
        self = out
    }
}
