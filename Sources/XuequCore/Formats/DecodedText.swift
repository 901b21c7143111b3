/// Text decoded from bytes, together with the encoding that was detected.
public struct DecodedText: Sendable, Hashable {
    /// The decoded text, without any byte-order mark.
    public var text: String
    /// The encoding the bytes were recognised as.
    public var encoding: TextEncoding

    /// Creates a decoded text value.
    public init(text: String, encoding: TextEncoding) {
        self.text = text
        self.encoding = encoding
    }
}
