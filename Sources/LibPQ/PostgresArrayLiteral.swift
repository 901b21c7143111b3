/// Reading and writing PostgreSQL array literals (`{a,"b c",NULL,{1,2}}`) in text format.
enum PostgresArrayLiteral {
    struct Malformed: Error, CustomStringConvertible {
        var reason: String
        var description: String { "malformed array literal: \(reason)" }
    }

    /// Quotes one element: `"` … `"` with `\` and `"` backslash-escaped.
    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\\" || ch == "\"" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(ch)
        }
        out += "\""
        return out
    }

    /// Splits the top level of an array literal into its elements: nil for NULL, the unescaped
    /// text for a scalar, the raw `{...}` text for a nested array.
    static func parse(_ text: String) throws -> [String?] {
        let b = Array(text.utf8)
        var i = 0
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        func skipSpaces() { while i < b.count, isSpace(b[i]) { i += 1 } }
        skipSpaces()
        // Optional dimension decoration, e.g. "[0:2]={...}".
        if i < b.count, b[i] == UInt8(ascii: "[") {
            guard let eq = b[i...].firstIndex(of: UInt8(ascii: "=")) else { throw Malformed(reason: "dimensions without '='") }
            i = eq + 1
            skipSpaces()
        }
        guard i < b.count, b[i] == UInt8(ascii: "{") else { throw Malformed(reason: "missing '{'") }
        i += 1
        var elements: [String?] = []
        skipSpaces()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            skipSpaces()
            guard i == b.count else { throw Malformed(reason: "junk after '}'") }
            return []
        }
        while true {
            skipSpaces()
            guard i < b.count else { throw Malformed(reason: "unexpected end") }
            if b[i] == UInt8(ascii: "{") {
                // Nested array: take the raw text up to the matching brace.
                let start = i
                var depth = 0
                var inQuotes = false
                while i < b.count {
                    let c = b[i]
                    if inQuotes {
                        if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { inQuotes = false }
                    } else if c == UInt8(ascii: "\"") {
                        inQuotes = true
                    } else if c == UInt8(ascii: "\\") {
                        i += 1
                    } else if c == UInt8(ascii: "{") {
                        depth += 1
                    } else if c == UInt8(ascii: "}") {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    i += 1
                }
                guard i < b.count else { throw Malformed(reason: "unbalanced braces") }
                i += 1
                elements.append(String(decoding: b[start..<i], as: UTF8.self))
            } else if b[i] == UInt8(ascii: "\"") {
                i += 1
                var bytes: [UInt8] = []
                while true {
                    guard i < b.count else { throw Malformed(reason: "unterminated quoted element") }
                    let c = b[i]
                    if c == UInt8(ascii: "\\") {
                        i += 1
                        guard i < b.count else { throw Malformed(reason: "dangling backslash") }
                        bytes.append(b[i])
                    } else if c == UInt8(ascii: "\"") {
                        i += 1
                        break
                    } else {
                        bytes.append(c)
                    }
                    i += 1
                }
                elements.append(String(decoding: bytes, as: UTF8.self))
            } else {
                var bytes: [UInt8] = []
                var escaped = false
                var lastSignificant = 0
                while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}") {
                    if b[i] == UInt8(ascii: "\\") {
                        i += 1
                        guard i < b.count else { throw Malformed(reason: "dangling backslash") }
                        escaped = true
                        bytes.append(b[i])
                        lastSignificant = bytes.count
                    } else {
                        bytes.append(b[i])
                        if !isSpace(b[i]) { lastSignificant = bytes.count }
                    }
                    i += 1
                }
                bytes.removeSubrange(lastSignificant...)
                guard !bytes.isEmpty else { throw Malformed(reason: "empty element") }
                let s = String(decoding: bytes, as: UTF8.self)
                if !escaped && s.uppercased() == "NULL" {
                    elements.append(nil)
                } else {
                    elements.append(s)
                }
            }
            skipSpaces()
            guard i < b.count else { throw Malformed(reason: "unexpected end") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "}") else { throw Malformed(reason: "expected ',' or '}'") }
            i += 1
            skipSpaces()
            guard i == b.count else { throw Malformed(reason: "junk after '}'") }
            return elements
        }
    }
}
