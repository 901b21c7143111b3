/// Writes RFC 4180 CSV that is safe to open in a spreadsheet.
///
/// Fields containing the separator, a quote, CR or LF are quoted, with quotes doubled.
/// With formula neutralisation on (the default), a field starting with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading `'` so that spreadsheets show it as text instead of running it
/// (CSV injection), unless the field is a plain number such as `-3` or `+1.5`.
public struct CSVWriter: Sendable {
    /// The field separator.
    public var separator: Character
    /// The record terminator.
    public var lineEnding: CSVLineEnding
    /// Whether fields that a spreadsheet would treat as formulas get a leading `'`.
    public var neutralizesFormulas: Bool

    /// Creates a writer.
    public init(separator: Character = ",", lineEnding: CSVLineEnding = .lf, neutralizesFormulas: Bool = true) {
        precondition(
            separator != "\"" && separator != "\n" && separator != "\r" && separator != "\r\n",
            "CSV separator must not be a quote, CR or LF")
        self.separator = separator
        self.lineEnding = lineEnding
        self.neutralizesFormulas = neutralizesFormulas
    }

    /// One field, neutralised and quoted as needed.
    public func field(_ value: String) -> String {
        var value = value
        if neutralizesFormulas, Self.isFormulaLike(value) {
            value = "'" + value
        }
        let needsQuotes = value.unicodeScalars.contains { scalar in
            scalar == "\"" || scalar == "\n" || scalar == "\r"
        } || value.contains(separator)
        guard needsQuotes else { return value }
        return "\"" + value.replacingQuotes() + "\""
    }

    /// One record, including its line ending.
    public func record(_ fields: [String]) -> String {
        var out = ""
        for (index, value) in fields.enumerated() {
            if index > 0 { out.append(separator) }
            out += field(value)
        }
        out += lineEnding.rawValue
        return out
    }

    /// A whole CSV text: the optional header record followed by the rows.
    public func string(header: [String]? = nil, rows: [[String]]) -> String {
        var out = ""
        if let header { out += record(header) }
        for row in rows { out += record(row) }
        return out
    }

    /// A whole CSV file as bytes in `encoding` (default UTF-8 with a BOM, which Excel opens
    /// correctly; `.gb18030` suits older Chinese Excel).
    public func bytes(header: [String]? = nil, rows: [[String]], encoding: TextEncoding = .utf8BOM) -> [UInt8] {
        TextDecoding.encode(string(header: header, rows: rows), as: encoding)
    }

    /// Whether a spreadsheet could read `value` as a formula: it starts with `=`, `+`, `-`,
    /// `@`, tab or CR and is not a plain decimal number.
    public static func isFormulaLike(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first else { return false }
        switch first {
        case "=", "@", "\t", "\r": return true
        case "+", "-": return !isPlainNumber(value)
        default: return false
        }
    }

    /// Whether `value` is an optionally signed decimal number such as `-3`, `+1.5`, `-.25`.
    public static func isPlainNumber(_ value: String) -> Bool {
        var scalars = value.unicodeScalars[...]
        if let first = scalars.first, first == "+" || first == "-" { scalars.removeFirst() }
        var digitsBefore = 0, digitsAfter = 0, seenPoint = false
        for scalar in scalars {
            switch scalar {
            case "0"..."9":
                if seenPoint { digitsAfter += 1 } else { digitsBefore += 1 }
            case "." where !seenPoint:
                seenPoint = true
            default:
                return false
            }
        }
        return digitsBefore + digitsAfter > 0
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        out.reserveCapacity(utf8.count + 2)
        for character in self {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        return out
    }
}
