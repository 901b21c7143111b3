import LibPQ
import Testing

struct Boom: Error, Equatable {}

@Suite("Transactions commit, roll back and nest with savepoints")
struct TransactionTests {
    @Test func commitKeepsRollbackOnThrowLeavesNothing() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE t (x int)")
            let value = try c.transaction { tx -> Int in
                try tx.query("INSERT INTO t VALUES ($1)", [1])
                return 7
            }
            #expect(value == 7)
            #expect(throws: Boom.self) {
                try c.transaction { tx in
                    try tx.query("INSERT INTO t VALUES ($1)", [2])
                    throw Boom()
                }
            }
            #expect(try c.query("SELECT array_agg(x ORDER BY x) FROM t").scalar([Int].self) == [1])
            #expect(try c.query("SELECT pg_current_xact_id_if_assigned() IS NULL").scalar(Bool.self))
        }
    }

    @Test func nestedTransactionUsesSavepoint() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE t (x int)")
            try c.transaction { tx in
                try tx.query("INSERT INTO t VALUES (1)")
                #expect(throws: Boom.self) {
                    try tx.transaction { inner in
                        try inner.query("INSERT INTO t VALUES (2)")
                        throw Boom()
                    }
                }
                try tx.transaction { inner in
                    try inner.query("INSERT INTO t VALUES (3)")
                }
                // A failed statement inside a savepoint does not poison the outer transaction.
                #expect(throws: PGError.self) {
                    try tx.transaction { inner in try inner.query("SELECT 1/0") }
                }
                try tx.query("INSERT INTO t VALUES (4)")
            }
            #expect(try c.query("SELECT array_agg(x ORDER BY x) FROM t").scalar([Int].self) == [1, 3, 4])
        }
    }

    @Test func swallowedErrorMakesCommitFail() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE t (x int)")
            let error = try #require(throws: PGError.self) {
                try c.transaction { tx in
                    try tx.query("INSERT INTO t VALUES (1)")
                    _ = try? tx.query("SELECT 1/0")
                }
            }
            #expect(error.sqlState == "25P02")
            #expect(try c.query("SELECT count(*) FROM t").scalar(Int.self) == 0)
        }
    }

    @Test func isolationLevelIsApplied() throws {
        try withConnection { c throws in
            for level in IsolationLevel.allCases {
                let shown = try c.transaction(isolation: level) { tx in
                    try tx.query("SHOW transaction_isolation").scalar(String.self)
                }
                #expect(shown == level.rawValue.lowercased())
            }
        }
    }

    @Test func serializationFailureIsRecognised() throws {
        try withDatabase { a, db throws in
            let b = try db.connect()
            defer { b.close() }
            try a.execute("CREATE TABLE acct (id int PRIMARY KEY, v int); INSERT INTO acct VALUES (1, 0)")
            let error = try #require(throws: PGError.self) {
                try a.transaction(isolation: .repeatableRead) { tx in
                    _ = try tx.query("SELECT v FROM acct WHERE id = 1")
                    try b.query("UPDATE acct SET v = v + 1 WHERE id = 1")
                    try tx.query("UPDATE acct SET v = v + 10 WHERE id = 1")
                }
            }
            #expect(error.isSerializationFailure)
            #expect(error.sqlState == "40001")
            #expect(try a.query("SELECT v FROM acct").scalar(Int.self) == 1)
        }
    }
}
