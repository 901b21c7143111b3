import CLibPQ

/// Keeps passwords out of error messages that echo a connection string.
enum ConninfoRedaction {
    /// The conninfo with any `password=...` value and URI `user:password@` part replaced by `***`.
    static func redact(_ text: String) -> String {
        var s = text
        // key=value form: password = 'quoted \' value' or password=bare
        if let r = try? Regex(#"(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*)"#).ignoresCase() {
            s = s.replacing(r) { m in "\(m.output[1].substring ?? "password=")***" }
        }
        // URI form: postgresql://user:secret@host — the secret runs to the last @ (it may hold / or @)
        if let r = try? Regex(#"(postgres(?:ql)?://[^:/@\s]*):\S*@"#).ignoresCase() {
            s = s.replacing(r) { m in "\(m.output[1].substring ?? ""):***@" }
        }
        return s
    }

    /// True when libpq can parse the conninfo (key=value or URI).
    static func parses(_ conninfo: String) -> Bool {
        var err: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(conninfo, &err) else {
            if let err { PQfreemem(err) }
            return false
        }
        PQconninfoFree(options)
        return true
    }

    /// Password values libpq would extract from `conninfo` (nil-safe; empty when unparsable).
    static func passwords(in conninfo: String) -> [String] {
        var err: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(conninfo, &err) else {
            if let err { PQfreemem(err) }
            return []
        }
        defer { PQconninfoFree(options) }
        var found: [String] = []
        var p = options
        while let keyword = p.pointee.keyword {
            if String(cString: keyword) == "password", let val = p.pointee.val {
                found.append(String(cString: val))
            }
            p += 1
        }
        return found
    }

    /// `message` with the conninfo's password values and any echoed `password=` removed.
    static func redact(message: String, conninfo: String) -> String {
        var s = message
        for pw in passwords(in: conninfo) where !pw.isEmpty {
            s = s.replacingOccurrences(of: pw, with: "***")
        }
        return redact(s)
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.replacing(target, with: replacement)
    }
}
