import CLibPQ

/// The immutable copy of a `PGresult` shared by a `QueryResult` and its `Row`s.
@usableFromInline
final class ResultStorage: Sendable {
    @usableFromInline let columns: [String]
    let columnTypes: [UInt32]
    let columnIndex: [String: Int]
    @usableFromInline let values: [String?]
    let rowCount: Int
    @usableFromInline let queryName: String?

    /// Copies everything out of `result` (which the caller still owns and frees).
    init(result: OpaquePointer, queryName: String?) {
        let nRows = Int(PQntuples(result))
        let nCols = Int(PQnfields(result))
        var columns: [String] = []
        var types: [UInt32] = []
        var index: [String: Int] = [:]
        for c in 0..<nCols {
            let name = String(cString: PQfname(result, Int32(c)))
            columns.append(name)
            types.append(PQftype(result, Int32(c)))
            if index[name] == nil { index[name] = c }
        }
        var values: [String?] = []
        values.reserveCapacity(nRows * nCols)
        for r in 0..<nRows {
            for c in 0..<nCols {
                if PQgetisnull(result, Int32(r), Int32(c)) != 0 {
                    values.append(nil)
                } else {
                    let len = Int(PQgetlength(result, Int32(r), Int32(c)))
                    let p = PQgetvalue(result, Int32(r), Int32(c))!
                    values.append(String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self))
                }
            }
        }
        self.columns = columns
        self.columnTypes = types
        self.columnIndex = index
        self.values = values
        self.rowCount = nRows
        self.queryName = queryName
    }

    init(empty queryName: String?) {
        columns = []
        columnTypes = []
        columnIndex = [:]
        values = []
        rowCount = 0
        self.queryName = queryName
    }
}
