import CLibPQ

/// An error raised by the LibPQ layer: a failed connection, a server error (with the
/// fields PostgreSQL reports), a protocol surprise, a value that could not be decoded,
/// or a failed COPY.
public struct PGError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable, Hashable {
        /// Could not connect, or the connection was lost or closed.
        case connection
        /// The server rejected a statement; `sqlState` and the other fields are set.
        case server
        /// libpq or the server answered in a way this layer did not expect.
        case `protocol`
        /// A value could not be converted between PostgreSQL text and a Swift type.
        case decoding
        /// A COPY could not send or receive data.
        case copy
    }

    /// What went wrong, broadly.
    public var kind: Kind
    /// The five-character SQLSTATE code, e.g. `23505` (server errors only).
    public var sqlState: String?
    /// The primary, human-readable message.
    public var message: String
    /// The server's DETAIL, if any.
    public var detail: String?
    /// The server's HINT, if any.
    public var hint: String?
    /// The name of the violated constraint, if any.
    public var constraint: String?
    /// The schema involved, if any.
    public var schema: String?
    /// The table involved, if any.
    public var table: String?
    /// The column involved, if any.
    public var column: String?
    /// The data type involved, if any.
    public var dataType: String?
    /// The 1-based character position in the statement where the error was found, if any.
    public var position: Int?
    /// The CONTEXT reported by the server (e.g. the PL/pgSQL call stack), if any.
    public var context: String?
    /// The non-localized severity (`ERROR`, `FATAL`, `PANIC`), if any.
    public var severity: String?
    /// The label the caller gave the statement (`name:`), if any.
    public var queryName: String?

    /// Creates an error; usually built by the library itself.
    public init(
        kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, schema: String? = nil,
        table: String? = nil, column: String? = nil, dataType: String? = nil,
        position: Int? = nil, context: String? = nil, severity: String? = nil,
        queryName: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.schema = schema
        self.table = table
        self.column = column
        self.dataType = dataType
        self.position = position
        self.context = context
        self.severity = severity
        self.queryName = queryName
    }

    /// Builds a server error from a failed `PGresult`, reading its diagnostic fields.
    init(result: OpaquePointer, connection: OpaquePointer?, queryName: String?) {
        func field(_ code: Int32) -> String? {
            guard let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        var message = field(XQ_PG_DIAG_MESSAGE_PRIMARY)
        if message == nil {
            let text = String(cString: PQresultErrorMessage(result))
            message = text.isEmpty ? connection.map { String(cString: PQerrorMessage($0)) } : text
        }
        self.init(
            kind: .server,
            message: (message ?? "unknown server error").trimmingTrailingNewlines(),
            sqlState: field(XQ_PG_DIAG_SQLSTATE),
            detail: field(XQ_PG_DIAG_MESSAGE_DETAIL),
            hint: field(XQ_PG_DIAG_MESSAGE_HINT),
            constraint: field(XQ_PG_DIAG_CONSTRAINT_NAME),
            schema: field(XQ_PG_DIAG_SCHEMA_NAME),
            table: field(XQ_PG_DIAG_TABLE_NAME),
            column: field(XQ_PG_DIAG_COLUMN_NAME),
            dataType: field(XQ_PG_DIAG_DATATYPE_NAME),
            position: field(XQ_PG_DIAG_STATEMENT_POSITION).flatMap { Int($0) },
            context: field(XQ_PG_DIAG_CONTEXT),
            severity: field(XQ_PG_DIAG_SEVERITY_NONLOCALIZED) ?? field(XQ_PG_DIAG_SEVERITY),
            queryName: queryName
        )
    }

    /// Unique constraint violated (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// Foreign key constraint violated (SQLSTATE 23503).
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// Check constraint violated (SQLSTATE 23514).
    public var isCheckViolation: Bool { sqlState == "23514" }
    /// NOT NULL constraint violated (SQLSTATE 23502).
    public var isNotNullViolation: Bool { sqlState == "23502" }
    /// Exclusion constraint violated (SQLSTATE 23P01).
    public var isExclusionViolation: Bool { sqlState == "23P01" }
    /// Serialization failure (40001) or deadlock (40P01): the transaction may be retried.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// A one-line summary with the SQLSTATE, query label and the most useful fields.
    public var description: String {
        var s = "PGError.\(kind.rawValue)"
        if let queryName { s += " in \(queryName)" }
        s += ": "
        if let sqlState { s += "[\(sqlState)] " }
        s += message
        if let detail { s += " DETAIL: \(detail)" }
        if let hint { s += " HINT: \(hint)" }
        if let constraint { s += " (constraint \(constraint))" }
        if let position { s += " (at position \(position))" }
        return s
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
