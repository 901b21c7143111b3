import Foundation
@testable import LibPQ
import Testing

@Suite("Round trips of every supported type through a real server")
struct CodecRoundTripTests {
    @Test func textWithCJKQuotesAndBackslashes() throws {
        try withConnection { c throws in
            let text = "王小明 said \"你好\", it's a \\ backslash\tand tab\nnewline 🎓"
            let row = try c.query("SELECT $1::text AS t, length($1::text) AS n", [text])[0]
            #expect(try row.decode("t", as: String.self) == text)
            #expect(try row.decode(Int.self, at: 1) == text.count)
            #expect(row[0] == text)
        }
    }

    @Test func integersAtTheirLimits() throws {
        try withConnection { c throws in
            let row = try c.query(
                "SELECT $1::int8, $2::int8, $3::int4, $4::int2, $5::int8 + 1",
                [Int64.min, Int64.max, Int32.min, Int16.max, Int(41)])[0]
            #expect(try row.decode(Int64.self, at: 0) == Int64.min)
            #expect(try row.decode(Int64.self, at: 1) == Int64.max)
            #expect(try row.decode(Int32.self, at: 2) == Int32.min)
            #expect(try row.decode(Int16.self, at: 3) == Int16.max)
            #expect(try row.decode(Int.self, at: 4) == 42)
            #expect(row[0] == "-9223372036854775808")
            // Out of range for the Swift type is a decoding error, not a wrap-around.
            #expect(throws: PGError.self) { try row.decode(Int16.self, at: 2) }
        }
    }

    @Test func numericIsExact() throws {
        try withConnection { c throws in
            let big = Decimal(string: "12345678901234567890.123456789")!
            let row = try c.query("SELECT $1::numeric AS big, $1::numeric::text AS big_text", [big])[0]
            #expect(try row.decode("big", as: Decimal.self) == big)
            #expect(row["big_text"] == "12345678901234567890.123456789")
            #expect(try row.decode("big", as: Decimal.self).description == "12345678901234567890.123456789")

            let sum = try c.query("SELECT $1::numeric + $2::numeric", [Decimal(string: "0.1")!, Decimal(string: "0.2")!])
                .scalar(Decimal.self)
            #expect(sum == Decimal(string: "0.3")!)
            #expect(sum.description == "0.3")

            let negative = try c.query("SELECT '-0.000123'::numeric(10,6)").scalar(Decimal.self)
            #expect(negative == Decimal(string: "-0.000123")!)
            let padded = try c.query("SELECT 12.5::numeric(10,4)").scalar(Decimal.self)
            #expect(padded == Decimal(string: "12.5")!)
        }
    }

    @Test func numericThatDecimalCannotHoldIsRejected() throws {
        try withConnection { c throws in
            let tooPrecise = "1234567890123456789012345678901234567890.5"  // 41 significant digits
            let error = try #require(throws: PGError.self) {
                try c.query("SELECT $1::numeric AS n", [tooPrecise]).scalar(Decimal.self)
            }
            #expect(error.kind == .decoding)
            #expect(error.message.contains("\"n\""))
            #expect(error.message.contains(tooPrecise))

            #expect(throws: PGError.self) { try c.query("SELECT 'NaN'::numeric").scalar(Decimal.self) }
            #expect(throws: PGError.self) { try c.query("SELECT 'Infinity'::numeric").scalar(Decimal.self) }
            // 38 significant digits still fit exactly.
            let fits = "12345678901234567890.123456789012345678"
            #expect(try c.query("SELECT $1::numeric", [fits]).scalar(Decimal.self).description == fits)
        }
    }

    @Test func booleansAndDoubles() throws {
        try withConnection { c throws in
            let row = try c.query("SELECT $1::bool, $2::bool, $3::float8, $4::float8, 'NaN'::float8, '-Infinity'::float8",
                                  [true, false, 0.1, 1e-300])[0]
            #expect(row[0] == "t")
            #expect(row[1] == "f")
            #expect(try row.decode(Bool.self, at: 0) == true)
            #expect(try row.decode(Bool.self, at: 1) == false)
            #expect(try row.decode(Double.self, at: 2) == 0.1)
            #expect(try row.decode(Double.self, at: 3) == 1e-300)
            #expect(try row.decode(Double.self, at: 4).isNaN)
            #expect(try row.decode(Double.self, at: 5) == -.infinity)
        }
    }

    @Test func datesIncludingLeapDay() throws {
        try withConnection { c throws in
            let leap = try #require(PGDate(iso: "2024-02-29"))
            let row = try c.query("SELECT $1::date AS d, $1::date + 1 AS next, ($1::date + interval '1 year')::date AS next_year",
                                  [leap])[0]
            #expect(try row.decode("d", as: PGDate.self) == leap)
            #expect(try row.decode("next", as: PGDate.self) == PGDate(iso: "2024-03-01"))
            // The server agrees with PGDate: Feb 29 + 1 year is Feb 28.
            #expect(try row.decode("next_year", as: PGDate.self) == leap.adding(years: 1))
            #expect(leap.adding(years: 1).description == "2025-02-28")
            #expect(leap.adding(years: 4).description == "2028-02-29")
            #expect(try c.query("SELECT $1::date - '1970-01-01'::date", [leap]).scalar(Int.self) == leap.daysSince1970)
            // An impossible date is refused by the server and by PGDate.
            #expect(PGDate(iso: "2027-02-30") == nil)
            #expect(throws: PGError.self) { try c.query("SELECT $1::date", ["2027-02-30"]) }
        }
    }

    @Test func timestamptzKeepsMicrosecondsAndOffsets() throws {
        try withConnection { c throws in
            // 2024-01-02 03:04:05.123456+08 == 2024-01-01 19:04:05.123456 UTC
            let expected = Date(timeIntervalSince1970: 1_704_135_845.123456)
            let parsed = try c.query("SELECT '2024-01-02 03:04:05.123456+08'::timestamptz").scalar(Date.self)
            #expect(abs(parsed.timeIntervalSince(expected)) < 0.000_000_5)

            try c.execute("SET TimeZone = 'Asia/Kolkata'")
            let row = try c.query("SELECT $1::timestamptz AS t, $1::timestamptz::text AS text, "
                + "extract(microseconds FROM $1::timestamptz)::int AS us", [expected])[0]
            #expect(row["text"] == "2024-01-02 00:34:05.123456+05:30")
            #expect(try row.decode("us", as: Int.self) == 5_123_456)
            let back = try row.decode("t", as: Date.self)
            #expect(abs(back.timeIntervalSince(expected)) < 0.000_000_5)

            // Before 1901 Asia/Shanghai used local mean time: the server prints a seconds offset.
            try c.execute("SET TimeZone = 'Asia/Shanghai'")
            let lmt = try c.query("SELECT '1900-01-01 00:00:00+00'::timestamptz AS t, '1900-01-01 00:00:00+00'::timestamptz::text AS s")[0]
            #expect(lmt["s"] == "1900-01-01 08:05:43+08:05:43")
            #expect(try lmt.decode("t", as: Date.self) == Date(timeIntervalSince1970: -2_208_988_800))

            let early = try c.query("SELECT '1969-12-31 23:59:59.999999+00'::timestamptz").scalar(Date.self)
            #expect(abs(early.timeIntervalSince1970 - -0.000001) < 0.000_000_5)
        }
    }

    @Test func arraysWithNullsAndAwkwardText() throws {
        try withConnection { c throws in
            let values: [String?] = ["plain", nil, "a,b", "say \"hi\"", "back\\slash", "北京", "NULL", "", " padded ", "{braces}"]
            let row = try c.query("SELECT $1::text[] AS a, cardinality($1::text[]) AS n, ($1::text[])[2] IS NULL AS second_null",
                                  [values])[0]
            #expect(try row.decode("a", as: [String?].self) == values)
            #expect(try row.decode("n", as: Int.self) == values.count)
            #expect(try row.decode("second_null", as: Bool.self))
            // A NULL element cannot be decoded into [String].
            #expect(throws: PGError.self) { try row.decode("a", as: [String].self) }

            let ints = try c.query("SELECT ARRAY[1, 2, NULL, -3]::int8[]").scalar([Int64?].self)
            #expect(ints == [1, 2, nil, -3])
            #expect(try c.query("SELECT '{}'::int[]").scalar([Int].self) == [])
            #expect(try c.query("SELECT '[0:1]={7,8}'::int[]").scalar([Int].self) == [7, 8])
            #expect(try c.query("SELECT ARRAY[[1,2],[3,4]]").scalar([[Int]].self) == [[1, 2], [3, 4]])
            #expect(try c.query("SELECT $1::int[][]", [[[1, 2], [3, 4]]]).scalar([[Int]].self) == [[1, 2], [3, 4]])
            let dates = [PGDate(iso: "2024-02-29")!, PGDate(iso: "1999-12-31")!]
            #expect(try c.query("SELECT $1::date[]", [dates]).scalar([PGDate].self) == dates)
            let amounts = [Decimal(string: "0.1")!, Decimal(string: "12345678901234567890.5")!]
            #expect(try c.query("SELECT $1::numeric[]", [amounts]).scalar([Decimal].self) == amounts)
        }
    }

    @Test func integerArraysTakeTheUnquotedPathAndRoundTrip() throws {
        let longs: [Int64] = [Int64.min, -10, -1, 0, 7, 10, 99, 100, 1_234_567_890_123, Int64.max]
        let ints: [Int] = [Int.min, -3, 0, 42, Int.max]
        let shorts: [Int32] = [Int32.min, 0, 5, Int32.max]
        // the fast path's text is the generic one without the quotes around each element
        #expect(longs.postgresText == "{" + longs.map { "\($0)" }.joined(separator: ",") + "}")
        #expect(longs.postgresText == "{-9223372036854775808,-10,-1,0,7,10,99,100,1234567890123,9223372036854775807}")
        #expect(shorts.postgresText == "{-2147483648,0,5,2147483647}")
        #expect(([] as [Int64]).postgresText == "{}")
        #expect([Int16(-7), 8].postgresText == "{\"-7\",\"8\"}")  // other element types keep the quoted form
        try withConnection { c throws in
            #expect(try c.query("SELECT $1::bigint[]", [longs]).scalar([Int64].self) == longs)
            #expect(try c.query("SELECT $1::bigint[]", [ints]).scalar([Int].self) == ints)
            #expect(try c.query("SELECT $1::integer[]", [shorts]).scalar([Int32].self) == shorts)
            #expect(try c.query("SELECT cardinality($1::bigint[])", [[Int64]()]).scalar(Int.self) == 0)
        }
    }

    @Test func arrayParameterWorksWithAny() throws {
        try withConnection { c throws in
            try c.execute("""
                CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
                INSERT INTO person VALUES (1, 'Ann'), (2, 'O''Brien, Pat'), (3, '李雷'), (4, 'x\\y"z'), (5, 'Nobody');
                """)
            let wanted: [String] = ["O'Brien, Pat", "李雷", "x\\y\"z", "Ann"]
            let ids = try c.query("SELECT id FROM person WHERE name = ANY($1) ORDER BY id", [wanted])
                .map { try $0.decode(Int.self, at: 0) }
            #expect(ids == [1, 2, 3, 4])
            let byId = try c.query("SELECT name FROM person WHERE id = ANY($1) ORDER BY id", [[5, 1]])
                .map { try $0.decode(String.self, at: 0) }
            #expect(byId == ["Ann", "Nobody"])
        }
    }

    struct Preferences: Codable, Equatable {
        var language: String
        var subjects: [String]
        var maxHours: Int
    }

    @Test func jsonbRoundTrip() throws {
        try withConnection { c throws in
            let prefs = Preferences(language: "中文", subjects: ["math", "\"physics\""], maxHours: 18)
            let json = try JSONB(encoding: prefs)
            let row = try c.query("SELECT $1::jsonb AS doc, $1::jsonb ->> 'language' AS lang, ($1::jsonb ->> 'maxHours')::int AS h",
                                  [json])[0]
            #expect(try row.decode("doc", as: JSONB.self).decode(Preferences.self) == prefs)
            #expect(row["lang"] == "中文")
            #expect(try row.decode("h", as: Int.self) == 18)
        }
    }

    @Test func uuidRoundTrip() throws {
        try withConnection { c throws in
            let id = UUID()
            let row = try c.query("SELECT $1::uuid, $1::uuid::text", [id])[0]
            #expect(try row.decode(UUID.self, at: 0) == id)
            #expect(row[1] == id.uuidString.lowercased())
        }
    }

    @Test func nullHandling() throws {
        try withConnection { c throws in
            let missing: Int? = nil
            let present: Int? = 7
            let row = try c.query("SELECT $1::int AS a, $2::int AS b, $3::text AS c, $1::int IS NULL AS a_null",
                                  [missing, present, nil])[0]
            #expect(row[0] == nil)
            #expect(row["c"] == nil)
            #expect(try row.decode("a", as: Int?.self) == nil)
            #expect(try row.decode("b", as: Int?.self) == 7)
            #expect(try row.decodeIfPresent("b", as: Int.self) == 7)
            #expect(try row.decodeIfPresent(Int.self, at: 0) == nil)
            #expect(try row.decode("a_null", as: Bool.self))
            let error = try #require(throws: PGError.self) { try row.decode("a", as: Int.self) }
            #expect(error.kind == .decoding)
            #expect(error.column == "a")
            #expect(error.message.contains("NULL"))
        }
    }

    @Test func decodingErrorsNameColumnAndValue() throws {
        try withConnection { c throws in
            let row = try c.query("SELECT 'twelve'::text AS grade")[0]
            let error = try #require(throws: PGError.self) { try row.decode("grade", as: Int.self) }
            #expect(error.kind == .decoding)
            #expect(error.message.contains("\"grade\""))
            #expect(error.message.contains("twelve"))
            let missing = try #require(throws: PGError.self) { try row.decode("nope", as: Int.self) }
            #expect(missing.message.contains("nope"))
        }
    }

    @Test func resultMetadata() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE t (id int, label text)")
            let insert = try c.query("INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 5) g")
            #expect(insert.affectedRows == 5)
            #expect(insert.commandTag == "INSERT 0 5")
            #expect(insert.isEmpty)
            let update = try c.query("UPDATE t SET label = $1 WHERE id > $2", ["big", 3], name: "update labels")
            #expect(update.affectedRows == 2)
            let select = try c.query("SELECT id, label FROM t ORDER BY id")
            #expect(select.columns == ["id", "label"])
            #expect(select.count == 5)
            #expect(select.affectedRows == 5)
            #expect(select.map { $0[1] } == ["n1", "n2", "n3", "big", "big"])
            #expect(select.last?["label"] == "big")
        }
    }
}

/// The fast numeric parse builds the same value, with the same text, as `Decimal(string:)`.
@Suite("Numeric text")
struct NumericTextTests {
    @Test("fast parse equals Decimal(string:) on PostgreSQL's numeric text")
    func fastParse() throws {
        for s in ["0", "0.00", "-0.5", "12.5000", "0000123", "9999999999999999999", "-1234567890.123456789", "1"] {
            let fast = try #require(Decimal.fastParse(s), "\(s)")
            #expect(fast == Decimal(string: s)!, "\(s)")
            #expect(fast.description == Decimal(string: s)!.description, "\(s)")
        }
        // beyond 19 digits, or not plain numeric text: the checked path
        for s in ["99999999999999999999", "1e5", "", "-", "1.2.3", "NaN", " 1", "+1"] {
            #expect(Decimal.fastParse(s) == nil, "\(s)")
        }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let whole = UInt64.random(in: 0...999_999_999, using: &g), places = Int.random(in: 0...9, using: &g)
            var s = (Bool.random(using: &g) ? "-" : "") + String(whole)
            if places > 0 { s += "." + String((0..<places).map { _ in "0123456789".randomElement(using: &g)! }) }
            let value = try Decimal(postgresText: s)
            #expect(value == Decimal(string: s)!, "\(s)")
            #expect(value.description == Decimal(string: s)!.description, "\(s)")
        }
    }
}
