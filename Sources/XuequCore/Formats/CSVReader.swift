/// An RFC 4180 CSV parser for decoded text.
///
/// Accepts CRLF, LF and lone CR line ends, quoted fields with `""` escapes and embedded
/// separators or line breaks, and a final record without a line end. Empty lines are
/// skipped. A quote inside an unquoted field is kept literally, as Excel does.
/// Parsing works on UTF-8 bytes, so large files parse quickly.
public struct CSVReader: Sendable {
    /// The field separator, an ASCII byte such as `,` or tab.
    public let separator: UInt8

    /// Creates a reader that splits fields on `separator` (default comma; tab for Excel
    /// "Unicode text"). The separator must be an ASCII character other than a quote,
    /// CR or LF.
    public init(separator: Character = ",") {
        precondition(
            separator.isASCII && separator != "\"" && separator != "\n" && separator != "\r"
                && separator != "\r\n",
            "CSV separator must be an ASCII character other than quote, CR or LF")
        self.separator = separator.asciiValue!
    }

    /// Parses `text` with a comma or the given separator.
    public static func parse(_ text: String, separator: Character = ",") throws(CSVError) -> [CSVRecord] {
        try CSVReader(separator: separator).records(in: text)
    }

    /// Parses all records in `text`.
    ///
    /// - Throws: `CSVError` with the line of an unterminated quote or of text after a
    ///   closing quote.
    public func records(in text: String) throws(CSVError) -> [CSVRecord] {
        var text = text
        let result: Result<[CSVRecord], CSVError>? = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(CSVError) in try parse(buffer) }
        }
        if let result { return try result.get() }
        text.makeContiguousUTF8()
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(CSVError) in try parse(buffer) }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    private func parse(_ buf: UnsafeBufferPointer<UInt8>) throws(CSVError) -> [CSVRecord] {
        let quote = Self.quote, lf = Self.lf, cr = Self.cr, sep = separator
        let n = buf.count
        var records: [CSVRecord] = []
        var scratch: [UInt8] = []
        var i = 0
        var line = 1
        var expectedFields = 8

        while i < n {
            // Skip empty lines.
            let first = buf[i]
            if first == lf {
                line += 1; i += 1; continue
            }
            if first == cr {
                line += 1; i += 1
                if i < n && buf[i] == lf { i += 1 }
                continue
            }

            let recordLine = line
            var fields: [String] = []
            fields.reserveCapacity(expectedFields)

            fieldLoop: while true {
                if i < n && buf[i] == quote {
                    let openLine = line
                    i += 1
                    var start = i
                    var escaped = false
                    scratch.removeAll(keepingCapacity: true)
                    while true {
                        guard i < n else {
                            throw CSVError(kind: .unterminatedQuote, line: openLine, field: fields.count + 1)
                        }
                        let c = buf[i]
                        if c == quote {
                            if i + 1 < n && buf[i + 1] == quote {
                                // "" escape: keep one quote.
                                escaped = true
                                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start...i]))
                                i += 2
                                start = i
                                continue
                            }
                            break
                        }
                        if c == lf {
                            line += 1
                        } else if c == cr && !(i + 1 < n && buf[i + 1] == lf) {
                            line += 1
                        }
                        i += 1
                    }
                    if escaped {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i]))
                        fields.append(String(decoding: scratch, as: UTF8.self))
                    } else {
                        fields.append(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self))
                    }
                    i += 1  // closing quote
                    guard i < n else { break fieldLoop }
                    let c = buf[i]
                    if c == sep { i += 1; continue fieldLoop }
                    if c == lf || c == cr {
                        i += 1
                        if c == cr && i < n && buf[i] == lf { i += 1 }
                        line += 1
                        break fieldLoop
                    }
                    throw CSVError(kind: .textAfterClosingQuote, line: line, field: fields.count)
                } else {
                    let start = i
                    while i < n {
                        let c = buf[i]
                        if c == sep || c == lf || c == cr { break }
                        i += 1
                    }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self))
                    guard i < n else { break fieldLoop }
                    let c = buf[i]
                    i += 1
                    if c == sep { continue fieldLoop }
                    if c == cr && i < n && buf[i] == lf { i += 1 }
                    line += 1
                    break fieldLoop
                }
            }
            expectedFields = fields.count
            records.append(CSVRecord(line: recordLine, fields: fields))
        }
        return records
    }
}
