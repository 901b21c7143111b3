/// One cell of a `Report`, typed so that JSON output can use numbers, booleans and null.
public enum ReportValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    /// Text; a JSON string.
    case text(String)
    /// An integer; a JSON number.
    case int(Int)
    /// Exact decimal text such as `12.50`; a JSON number written as given (a JSON string
    /// if the text is not a valid JSON number).
    case decimal(String)
    /// A boolean; `true`/`false`.
    case bool(Bool)
    /// A date as text, e.g. `2024-09-01`; a JSON string.
    case date(String)
    /// No value; JSON `null`, an empty CSV field, and the table's null text.
    case null

    /// Creates a `.text` value.
    public init(stringLiteral value: String) { self = .text(value) }
    /// Creates an `.int` value.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// Creates a `.bool` value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The value as plain text, or `nil` for `.null`.
    public var plainText: String? {
        switch self {
        case .text(let text), .decimal(let text), .date(let text): return text
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return nil
        }
    }

    /// The value as a JSON literal.
    public var jsonText: String {
        switch self {
        case .text(let text), .date(let text): return JSONText.quoted(text)
        case .decimal(let text): return JSONText.isNumber(text) ? text : JSONText.quoted(text)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }
}
