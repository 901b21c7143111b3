/// The record terminator a `CSVWriter` emits.
public enum CSVLineEnding: String, Sendable, Hashable, CaseIterable {
    /// `\n`, the default.
    case lf = "\n"
    /// `\r\n`, as RFC 4180 specifies.
    case crlf = "\r\n"
}
