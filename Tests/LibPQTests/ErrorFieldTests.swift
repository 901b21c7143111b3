import LibPQ
import Testing

@Suite("Server errors carry PostgreSQL's diagnostic fields")
struct ErrorFieldTests {
    @Test func uniqueViolationNamesTheConstraint() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE staff (id int PRIMARY KEY, email text CONSTRAINT staff_email_key UNIQUE)")
            try c.query("INSERT INTO staff VALUES ($1, $2)", [1, "a@example.org"])
            let error = try #require(throws: PGError.self) {
                try c.query("INSERT INTO staff VALUES ($1, $2)", [2, "a@example.org"], name: "insert staff")
            }
            #expect(error.kind == .server)
            #expect(error.sqlState == "23505")
            #expect(error.isUniqueViolation)
            #expect(!error.isForeignKeyViolation)
            #expect(error.constraint == "staff_email_key")
            #expect(error.table == "staff")
            #expect(error.schema == "public")
            #expect(error.detail == "Key (email)=(a@example.org) already exists.")
            #expect(error.queryName == "insert staff")
            #expect(error.description.contains("23505"))
            #expect(error.description.contains("insert staff"))
            // The connection is still usable after an error.
            #expect(try c.query("SELECT count(*) FROM staff").scalar(Int.self) == 1)
        }
    }

    @Test func checkAndForeignKeyViolations() throws {
        try withConnection { c throws in
            try c.execute("""
                CREATE TABLE school (id int PRIMARY KEY);
                CREATE TABLE post (
                    id int PRIMARY KEY,
                    school_id int NOT NULL REFERENCES school (id),
                    hours numeric CONSTRAINT post_hours_positive CHECK (hours > 0)
                );
                INSERT INTO school VALUES (1);
                """)
            let check = try #require(throws: PGError.self) {
                try c.query("INSERT INTO post VALUES (1, 1, $1)", [-2])
            }
            #expect(check.isCheckViolation)
            #expect(check.sqlState == "23514")
            #expect(check.constraint == "post_hours_positive")

            let fk = try #require(throws: PGError.self) {
                try c.query("INSERT INTO post VALUES (1, 99, 3)")
            }
            #expect(fk.isForeignKeyViolation)
            #expect(fk.sqlState == "23503")
            #expect(fk.constraint == "post_school_id_fkey")

            let notNull = try #require(throws: PGError.self) {
                try c.query("INSERT INTO post VALUES (2, $1, 3)", [Int?.none])
            }
            #expect(notNull.isNotNullViolation)
            #expect(notNull.column == "school_id")
        }
    }

    @Test func exclusionViolation() throws {
        try withConnection { c throws in
            try c.execute("""
                CREATE TABLE booking (room int, during int4range,
                    CONSTRAINT booking_no_overlap EXCLUDE USING gist (during WITH &&));
                INSERT INTO booking VALUES (1, '[1,10)');
                """)
            let error = try #require(throws: PGError.self) {
                try c.query("INSERT INTO booking VALUES (2, $1::int4range)", ["[5,8)"])
            }
            #expect(error.isExclusionViolation)
            #expect(error.sqlState == "23P01")
            #expect(error.constraint == "booking_no_overlap")
        }
    }

    @Test func syntaxErrorReportsPosition() throws {
        try withConnection { c throws in
            let error = try #require(throws: PGError.self) {
                try c.query("SELECT 1 FROM WHERE x = 1", name: "broken")
            }
            #expect(error.sqlState == "42601")
            #expect(error.position == 15)
            #expect(error.message == "syntax error at or near \"WHERE\"")
            #expect(error.severity == "ERROR")
        }
    }

    @Test func raiseWithDetailAndHint() throws {
        try withConnection { c throws in
            try c.execute("""
                CREATE FUNCTION refuse(n int) RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'contract % is closed', n
                        USING ERRCODE = 'P0001', DETAIL = 'closed on 2024-07-31', HINT = 'reopen it first';
                END $$;
                """)
            let error = try #require(throws: PGError.self) {
                try c.query("SELECT refuse($1)", [42])
            }
            #expect(error.sqlState == "P0001")
            #expect(error.message == "contract 42 is closed")
            #expect(error.detail == "closed on 2024-07-31")
            #expect(error.hint == "reopen it first")
            #expect(error.context?.contains("refuse") == true)
        }
    }

    @Test func scriptStopsAtFirstError() throws {
        try withConnection { c throws in
            let error = try #require(throws: PGError.self) {
                try c.execute("CREATE TABLE a (x int); INSERT INTO a VALUES ('nope'); CREATE TABLE b (y int);",
                              name: "migration 7")
            }
            #expect(error.sqlState == "22P02")
            #expect(error.queryName == "migration 7")
            // A multi-statement script runs as one implicit transaction: nothing was kept.
            #expect(try c.query("SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b')").scalar(Int.self) == 0)
        }
    }
}
