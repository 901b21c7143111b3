/// Builds lines in COPY text format: fields separated by tabs, lines ended by `\n`,
/// NULL as `\N`, and backslash, tab, newline and carriage return escaped.
public enum CopyTextEncoder {
    /// One field, escaped; nil becomes `\N`.
    public static func escape(_ field: String?) -> String {
        guard let field else { return "\\N" }
        var needs = false
        for b in field.utf8 where b == 0x5C || b == 0x09 || b == 0x0A || b == 0x0D {
            needs = true
            break
        }
        guard needs else { return field }
        var out = ""
        out.reserveCapacity(field.utf8.count + 8)
        for ch in field.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A whole line (with the trailing newline) from raw text fields.
    public static func line(_ fields: [String?]) -> String {
        var out = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { out += "\t" }
            out += escape(f)
        }
        out += "\n"
        return out
    }

    /// A whole line from encodable values (their `postgresText`; nil or `Optional.none` is NULL).
    public static func line(values: [(any PostgresEncodable)?]) -> String {
        line(values.map { v -> String? in
            guard let v, !v.isPostgresNull else { return nil }
            return v.postgresText
        })
    }
}
