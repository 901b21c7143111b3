/// One row of a `QueryResult`: raw text access and typed decoding by index or column name.
public struct Row: Sendable {
    @usableFromInline let storage: ResultStorage
    @usableFromInline let index: Int

    /// Column names, in order.
    public var columns: [String] { storage.columns }

    /// The raw text of column `i` (0-based), or nil for NULL.
    public subscript(i: Int) -> String? {
        precondition(i >= 0 && i < storage.columns.count, "column index \(i) out of range")
        return storage.values[index * storage.columns.count + i]
    }

    /// The raw text of the (first) column named `column`, or nil for NULL or no such column.
    public subscript(column: String) -> String? {
        guard let i = storage.columnIndex[column] else { return nil }
        return self[i]
    }

    /// Decodes column `index` (0-based) as `T`. NULL is an error unless `T` is an `Optional`.
    /// (Inlinable, so that the batch's millions of calls are specialised for their type.)
    @inlinable
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard index >= 0 && index < storage.columns.count else { throw outOfRange(index) }
        return try decodeValue(T.self, column: index)
    }

    @usableFromInline
    func outOfRange(_ index: Int) -> PGError {
        PGError(kind: .decoding, message: "column index \(index) out of range (\(storage.columns.count) columns)",
                queryName: storage.queryName)
    }

    /// Decodes the (first) column named `column` as `T`. NULL is an error unless `T` is an `Optional`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let i = storage.columnIndex[column] else {
            throw PGError(kind: .decoding, message: "no column \"\(column)\" (columns: \(storage.columns.joined(separator: ", ")))",
                          column: column, queryName: storage.queryName)
        }
        return try decodeValue(T.self, column: i)
    }

    /// Decodes column `index` as `T`, or nil when it is NULL.
    @inlinable
    public func decodeIfPresent<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T? {
        try decode(T?.self, at: index)
    }

    /// Decodes the column named `column` as `T`, or nil when it is NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decode(column, as: T?.self)
    }

    @inlinable
    func decodeValue<T: PostgresDecodable>(_ type: T.Type, column i: Int) throws -> T {
        guard let text = storage.values[index * storage.columns.count + i] else {
            if let null = T.postgresNull { return null }
            throw nullError(T.self, column: i)
        }
        do {
            return try T(postgresText: text)
        } catch {
            throw decodingError(T.self, column: i, text: text, error: error)
        }
    }

    @usableFromInline
    func nullError<T>(_ type: T.Type, column i: Int) -> PGError {
        let name = storage.columns[i]
        return PGError(kind: .decoding, message: "column \"\(name)\" is NULL; cannot decode as \(T.self) (use \(T.self)?)",
                       column: name, queryName: storage.queryName)
    }

    @usableFromInline
    func decodingError<T>(_ type: T.Type, column i: Int, text: String, error: any Error) -> PGError {
        let name = storage.columns[i]
        let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
        return PGError(kind: .decoding,
                       message: "column \"\(name)\" value \"\(shown)\" cannot be decoded as \(T.self): \(error)",
                       column: name, queryName: storage.queryName)
    }
}
