import Foundation

/// `uuid`, in lowercase canonical form.
extension UUID: PostgresEncodable, PostgresDecodable {
    /// Lowercase canonical text.
    public var postgresText: String { uuidString.lowercased() }
    /// Parses canonical uuid text.
    public init(postgresText: String) throws {
        guard let u = UUID(uuidString: postgresText) else { throw InvalidText(expected: "uuid") }
        self = u
    }
}
