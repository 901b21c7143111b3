import CLibPQ

/// Reads and writes libpq connection strings (`key=value` or `postgresql://` URI).
public enum ConnectionString {
    /// The parameters given in `conninfo`, as libpq parses them (URI parts included), in libpq's
    /// keyword order. Defaults from the environment are not added.
    ///
    /// - Throws: `PGError` of kind `.connection` (password redacted) when libpq cannot parse it.
    public static func parameters(_ conninfo: String) throws -> [(key: String, value: String)] {
        var err: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(conninfo, &err) else {
            var message = "invalid connection string"
            if let err {
                message = String(cString: err).trimmingTrailingNewlines()
                PQfreemem(err)
            }
            throw PGError(kind: .connection, message: ConninfoRedaction.redact(message: message, conninfo: conninfo))
        }
        defer { PQconninfoFree(options) }
        var pairs: [(key: String, value: String)] = []
        var p = options
        while let keyword = p.pointee.keyword {
            if let val = p.pointee.val {
                pairs.append((String(cString: keyword), String(cString: val)))
            }
            p += 1
        }
        return pairs
    }

    /// `key='value' ...`, each value single-quoted with `\` and `'` backslash-escaped.
    public static func format(_ parameters: [(key: String, value: String)]) -> String {
        parameters.map { key, value in
            var v = ""
            for ch in value.unicodeScalars {
                if ch == "\\" || ch == "'" { v.unicodeScalars.append("\\") }
                v.unicodeScalars.append(ch)
            }
            return "\(key)='\(v)'"
        }.joined(separator: " ")
    }

    /// `conninfo` rewritten as `key=value` with `key` set to `value` (added if absent).
    public static func replacing(_ key: String, with value: String, in conninfo: String) throws -> String {
        var pairs = try parameters(conninfo).filter { $0.key != key }
        pairs.append((key, value))
        return format(pairs)
    }

    /// `conninfo` with any password replaced by `***`, for logs and messages.
    public static func redacted(_ conninfo: String) -> String {
        ConninfoRedaction.redact(message: conninfo, conninfo: conninfo)
    }
}
