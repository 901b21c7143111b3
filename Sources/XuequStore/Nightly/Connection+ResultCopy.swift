import LibPQ

extension Connection {
    /// Writes rows into one of the batch's result tables with COPY. PostgreSQL refuses COPY FROM
    /// into a table under row-level security for a role it applies to (the batch's own role), so
    /// such a role copies into a temporary table first and moves the rows with one INSERT … SELECT,
    /// which the policies check; the owner copies directly. `table` and `columns` are constants of
    /// the code, never input.
    func copyResults(into table: String, columns: [String], name: String, _ body: (CopyInWriter) throws -> Void) throws -> Int {
        let list = columns.joined(separator: ", ")
        let direct = try query("""
            SELECT NOT c.relrowsecurity OR pg_has_role(current_user, c.relowner, 'USAGE') OR r.rolbypassrls
            FROM pg_class c, pg_roles r WHERE c.oid = $1::regclass AND r.rolname = current_user
            """, [table], name: "copy path").scalar(Bool.self)
        if direct {
            return try copyIn("COPY \(table) (\(list)) FROM STDIN", name: name, body)
        }
        let staging = "pg_temp.\(table)_staged"
        try execute("CREATE TEMP TABLE \(table)_staged (LIKE \(table)) ON COMMIT DROP", name: "\(name) (staging)")
        _ = try copyIn("COPY \(staging) (\(list)) FROM STDIN", name: name, body)
        let moved = try query("INSERT INTO \(table) (\(list)) SELECT \(list) FROM \(staging)", name: "\(name) (move)").affectedRows
        try execute("DROP TABLE \(staging)", name: "\(name) (drop staging)")
        return moved
    }
}
