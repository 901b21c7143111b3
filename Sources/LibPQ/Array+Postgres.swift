/// One-dimensional (or, with nested arrays, multi-dimensional) PostgreSQL arrays.
///
/// Sent as a `{...}` literal with every element quoted, so `WHERE x = ANY($1)` works.
/// Use `[T?]` when elements may be NULL; a NULL element in a `[T]` is a decoding error.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// `{"a","b",NULL}`; integers `{1,2,3}`.
    public var postgresText: String {
        // id lists of a city's teachers are sent as parameters (`= ANY ($1::bigint[])`): their
        // digits are written straight into one buffer, unquoted, without a string per element
        if Element.self == Int64.self { return IntegerArrayLiteral.text(unsafeBitCast(self, to: [Int64].self)) }
        if Element.self == Int.self { return IntegerArrayLiteral.text(unsafeBitCast(self, to: [Int].self)) }
        if Element.self == Int32.self { return IntegerArrayLiteral.text(unsafeBitCast(self, to: [Int32].self)) }
        return "{" + map(\.postgresArrayElement).joined(separator: ",") + "}"
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

enum IntegerArrayLiteral {
    /// `{1,-2,3}`: the text `map(\.postgresArrayElement)` gives for integers, less the quotes
    /// (which PostgreSQL's array input strips anyway).
    static func text<T: FixedWidthInteger>(_ values: [T]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + values.count * 8)
        bytes.append(UInt8(ascii: "{"))
        var digits: [UInt8] = [UInt8](repeating: 0, count: 40)
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            var rest = value.magnitude
            var n = 0
            repeat {
                digits[n] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                n += 1
            } while rest > 0
            while n > 0 { n -= 1; bytes.append(digits[n]) }
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
