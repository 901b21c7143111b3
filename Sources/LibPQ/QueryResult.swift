/// The rows and status of one executed statement, copied out of libpq (the `PGresult`
/// is already freed), so it can outlive the connection and cross threads.
public struct QueryResult: RandomAccessCollection, Sendable {
    let storage: ResultStorage

    /// The number of rows the command affected or returned (`PQcmdTuples`); 0 when not reported.
    public let affectedRows: Int
    /// The command tag, e.g. `INSERT 0 3`, `UPDATE 2`, `SELECT 1`.
    public let commandTag: String

    init(storage: ResultStorage, affectedRows: Int, commandTag: String) {
        self.storage = storage
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    /// Column names, in order.
    public var columns: [String] { storage.columns }
    /// Column type OIDs, in order (e.g. 25 text, 23 int4, 1700 numeric).
    public var columnTypeOIDs: [UInt32] { storage.columnTypes }

    /// First row index (0).
    public var startIndex: Int { 0 }
    /// One past the last row index.
    public var endIndex: Int { storage.rowCount }
    /// The row at `position`.
    public subscript(position: Int) -> Row {
        precondition(position >= 0 && position < storage.rowCount, "row index \(position) out of range")
        return Row(storage: storage, index: position)
    }

    /// Decodes column 0 of the only row; throws unless there is exactly one row.
    public func scalar<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard count == 1 else {
            throw PGError(kind: .decoding, message: "expected exactly one row, got \(count)", queryName: storage.queryName)
        }
        return try self[0].decode(T.self, at: 0)
    }
}
