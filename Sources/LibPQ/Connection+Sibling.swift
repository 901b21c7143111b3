import CLibPQ

extension Connection {
    /// A second connection to the same server and database as the same user, with the options
    /// this one was opened with (libpq's `PQconninfo`; the password too, if one was given), for
    /// work beside this one — e.g. reading from a snapshot this one exported.
    public func sibling() throws -> Connection {
        guard let conn = rawConnection, let options = PQconninfo(conn) else {
            throw PGError(kind: .connection, message: "the connection is closed")
        }
        defer { PQconninfoFree(options) }
        var pairs: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let text = String(cString: value)
                if !text.isEmpty {
                    var quoted = ""
                    for ch in text {
                        if ch == "\\" || ch == "'" { quoted.append("\\") }
                        quoted.append(ch)
                    }
                    pairs.append("\(String(cString: keyword))='\(quoted)'")
                }
            }
            option += 1
        }
        return try Connection(conninfo: pairs.joined(separator: " "), logger: logger)
    }
}
