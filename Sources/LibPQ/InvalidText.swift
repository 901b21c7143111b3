/// Thrown by conformances when text is not valid for the type; `Row` adds column and value.
struct InvalidText: Error, CustomStringConvertible {
    var expected: String
    var description: String { "not a valid \(expected)" }
}
