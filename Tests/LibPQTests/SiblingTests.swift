import LibPQ
import Testing

/// A sibling connection reaches the same database as the same user, and can read from a snapshot
/// the first connection exported — what the nightly batch's second connection relies on.
@Suite("Connection.sibling")
struct SiblingTests {
    @Test("same database and user; an exported snapshot hides a later commit")
    func sharesSnapshot() throws {
        try withDatabase { conn, db in
            try conn.execute("CREATE TABLE s (v integer); INSERT INTO s VALUES (1)")
            let sibling = try conn.sibling()
            #expect(try sibling.query("SELECT current_database()::text").scalar(String.self)
                    == conn.query("SELECT current_database()::text").scalar(String.self))
            #expect(try sibling.query("SELECT current_user::text").scalar(String.self)
                    == conn.query("SELECT current_user::text").scalar(String.self))
            #expect(try sibling.backendPID != conn.backendPID)

            try conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            let snapshot = try conn.query("SELECT pg_export_snapshot()").scalar(String.self)
            // committed by a third session after the snapshot
            let other = try db.connect()
            try other.execute("INSERT INTO s VALUES (2)")
            try sibling.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try sibling.query("SET TRANSACTION SNAPSHOT \(try sibling.escapeLiteral(snapshot))")
            #expect(try sibling.query("SELECT count(*) FROM s").scalar(Int.self) == 1)
            #expect(try other.query("SELECT count(*) FROM s").scalar(Int.self) == 2)
            try sibling.execute("COMMIT")
            try conn.execute("COMMIT")
            #expect(try sibling.query("SELECT count(*) FROM s").scalar(Int.self) == 2)
        }
    }
}
