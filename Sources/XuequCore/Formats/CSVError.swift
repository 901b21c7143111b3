/// A syntax error in CSV text, with the 1-based line on which it was found.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// A quoted field was opened and never closed; `line` is where it opened.
        case unterminatedQuote
        /// Characters followed a closing quote before the next separator or line end.
        case textAfterClosingQuote
    }

    /// The kind of error.
    public var kind: Kind
    /// The 1-based physical line of the error.
    public var line: Int
    /// The 1-based field number within the record.
    public var field: Int

    /// Creates a CSV error.
    public init(kind: Kind, line: Int, field: Int) {
        self.kind = kind
        self.line = line
        self.field = field
    }

    /// A message naming the line, suitable for `file:line: message` output.
    public var description: String {
        switch kind {
        case .unterminatedQuote:
            return "line \(line): field \(field) opens a quote (\") that is never closed"
        case .textAfterClosingQuote:
            return "line \(line): field \(field) has text after its closing quote (\"); write a quote inside a quoted field as \"\""
        }
    }
}
