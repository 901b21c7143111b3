import Foundation

/// A `json`/`jsonb` value, kept as its JSON text.
public struct JSONB: Hashable, Sendable, PostgresEncodable, PostgresDecodable, CustomStringConvertible {
    /// The JSON text (as PostgreSQL printed it, or as given).
    public var rawText: String

    /// Wraps JSON text as-is (the server validates it).
    public init(rawText: String) {
        self.rawText = rawText
    }

    /// Encodes `value` with `encoder` (sorted keys by default, for stable text).
    public init<T: Encodable>(encoding value: T, encoder: JSONEncoder = JSONB.defaultEncoder()) throws {
        rawText = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes the JSON text as `T`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(T.self, from: Data(rawText.utf8))
    }

    /// A `JSONEncoder` with sorted keys.
    public static func defaultEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    /// The JSON text.
    public var postgresText: String { rawText }
    /// The JSON text.
    public init(postgresText: String) { rawText = postgresText }
    /// The JSON text.
    public var description: String { rawText }
}
