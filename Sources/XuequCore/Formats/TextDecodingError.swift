/// Bytes that could not be decoded in any supported encoding.
///
/// The position is that of the first bad byte in the encoding that decoded
/// furthest, which is the one the file was most likely meant to be in.
public struct TextDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line on which the bad byte lies (LF, CRLF and lone CR end lines).
    public var line: Int
    /// The 0-based offset of the bad byte from the start of the input, BOM included.
    public var byteOffset: Int
    /// The bad byte itself, or `nil` when the input ended in the middle of a character.
    public var byte: UInt8?
    /// The encoding the bytes most likely were meant to be in.
    public var likelyEncoding: TextEncoding

    /// Creates a decoding error.
    public init(line: Int, byteOffset: Int, byte: UInt8?, likelyEncoding: TextEncoding) {
        self.line = line
        self.byteOffset = byteOffset
        self.byte = byte
        self.likelyEncoding = likelyEncoding
    }

    /// A message naming the line and byte offset, suitable for showing to the user.
    public var description: String {
        let what: String
        if let byte {
            let hex = String(byte, radix: 16, uppercase: true)
            what = "invalid byte 0x\(hex.count == 1 ? "0" + hex : hex)"
        } else {
            what = "input ends in the middle of a character"
        }
        let tried: String
        switch likelyEncoding {
        case .utf16LE, .utf16BE: tried = "not valid \(likelyEncoding.rawValue) text"
        default: tried = "neither UTF-8 nor GB18030"
        }
        return "line \(line), byte offset \(byteOffset): \(what); the text is \(tried)"
    }
}
