/// Fixed-width integers (`smallint`, `integer`, `bigint`).
public protocol PostgresInteger: FixedWidthInteger, PostgresEncodable, PostgresDecodable {}

extension PostgresInteger {
    /// Decimal digits.
    public var postgresText: String { String(self) }
    /// Parses decimal digits; throws when out of range for the Swift type.
    public init(postgresText: String) throws {
        guard let v = Self(postgresText, radix: 10) else { throw InvalidText(expected: "\(Self.self)") }
        self = v
    }
}

extension Int: PostgresInteger {}
extension Int16: PostgresInteger {}
extension Int32: PostgresInteger {}
extension Int64: PostgresInteger {}
