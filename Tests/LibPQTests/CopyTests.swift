import Foundation
import LibPQ
import Testing

@Suite("COPY in and out")
struct CopyTests {
    static let rowCount = 100_000

    /// Row `i` of the bulk data set, in COPY text format; a few rows carry awkward text.
    static func line(_ i: Int) -> String {
        let label: String
        switch i % 1000 {
        case 7: label = "tab\there"
        case 8: label = "line\nbreak\\and backslash"
        case 9: label = "教师 \(i)"
        default: label = "row \(i)"
        }
        let amount = Decimal(i) / 100  // exact, e.g. 12.34
        return CopyTextEncoder.line(values: [i, label, amount, i % 5 == 0 ? nil : PGDate(daysSince1970: i % 20000)])
    }

    @Test func copyInManyRowsThenCountAndChecksum() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE bulk (id int PRIMARY KEY, label text NOT NULL, amount numeric NOT NULL, day date)")
            var bytesSent = 0
            let copied = try c.copyIn("COPY bulk (id, label, amount, day) FROM STDIN", name: "bulk load") { writer in
                for i in 1...Self.rowCount {
                    try writer.write(Self.line(i))
                }
                bytesSent = writer.bytesWritten
            }
            #expect(copied == Self.rowCount)
            #expect(bytesSent > 64 * 1024 * 10)

            var expectedAmount = Decimal(0)
            var expectedLabelChars = 0
            for i in 1...Self.rowCount {
                expectedAmount += Decimal(i) / 100
                switch i % 1000 {
                case 7: expectedLabelChars += "tab\there".count
                case 8: expectedLabelChars += "line\nbreak\\and backslash".count
                case 9: expectedLabelChars += "教师 \(i)".count
                default: expectedLabelChars += "row \(i)".count
                }
            }
            let row = try c.query("""
                SELECT count(*) AS n, sum(id) AS ids, sum(amount) AS amount, sum(length(label)) AS chars,
                       count(day) AS days
                FROM bulk
                """)[0]
            #expect(try row.decode("n", as: Int.self) == Self.rowCount)
            #expect(try row.decode("ids", as: Int.self) == Self.rowCount * (Self.rowCount + 1) / 2)
            #expect(try row.decode("amount", as: Decimal.self) == expectedAmount)
            #expect(try row.decode("chars", as: Int.self) == expectedLabelChars)
            #expect(try row.decode("days", as: Int.self) == Self.rowCount - Self.rowCount / 5)
            #expect(try c.query("SELECT label FROM bulk WHERE id = 1008").scalar(String.self) == "line\nbreak\\and backslash")
            #expect(try c.query("SELECT label FROM bulk WHERE id = 2009").scalar(String.self) == "教师 2009")
            #expect(try c.query("SELECT day FROM bulk WHERE id = 3").scalar(PGDate.self) == PGDate(iso: "1970-01-04"))
        }
    }

    @Test func thrownErrorAbortsCopyAndWritesNothing() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE t (id int, label text)")
            #expect(throws: Boom.self) {
                try c.copyIn("COPY t FROM STDIN") { writer in
                    for i in 1...5000 {
                        try writer.writeRow([String(i), "label \(i)"])
                    }
                    throw Boom()
                }
            }
            #expect(try c.query("SELECT count(*) FROM t").scalar(Int.self) == 0)
            // The connection is back to normal.
            #expect(try c.copyIn("COPY t FROM STDIN") { try $0.writeRow(["1", nil]) } == 1)
            #expect(try c.query("SELECT label IS NULL FROM t").scalar(Bool.self))
        }
    }

    @Test func badDataIsAServerError() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE t (id int)")
            let error = try #require(throws: PGError.self) {
                try c.copyIn("COPY t FROM STDIN", name: "load t") { writer in
                    try writer.write("1\n2\nthree\n")
                }
            }
            #expect(error.kind == .server)
            #expect(error.sqlState == "22P02")
            #expect(error.queryName == "load t")
            #expect(error.context?.contains("line 3") == true)
            #expect(try c.query("SELECT count(*) FROM t").scalar(Int.self) == 0)

            let wrong = try #require(throws: PGError.self) {
                try c.copyIn("SELECT 1") { _ in }
            }
            #expect(wrong.kind == .protocol)
            // COPY through query() is refused but leaves the connection usable.
            let viaQuery = try #require(throws: PGError.self) { try c.query("COPY t FROM STDIN") }
            #expect(viaQuery.kind == .protocol)
            #expect(try c.query("SELECT 1").scalar(Int.self) == 1)
        }
    }

    @Test func copyOutStreamsTheSameBytesBack() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE bulk (id int PRIMARY KEY, label text NOT NULL, amount numeric NOT NULL, day date)")
            var sent: [UInt8] = []
            for i in 1...20_000 { sent.append(contentsOf: Array(Self.line(i).utf8)) }
            let copied = try c.copyIn("COPY bulk FROM STDIN") { try $0.write(sent) }
            #expect(copied == 20_000)

            var received: [UInt8] = []
            var chunks = 0
            let rows = try c.copyOut("COPY (SELECT * FROM bulk ORDER BY id) TO STDOUT", name: "dump") { chunk in
                chunks += 1
                received.append(contentsOf: chunk)
            }
            #expect(rows == 20_000)
            #expect(chunks > 1)
            #expect(received.count == sent.count)
            #expect(received == sent)
        }
    }

    @Test func rowsBuiltFieldByFieldEqualWriteRow() throws {
        try withConnection { c throws in
            try c.execute("CREATE TABLE a (id bigint, n integer, label text, ok boolean, note text)")
            try c.execute("CREATE TABLE b (LIKE a)")
            let rows: [(Int64, Int, String, Bool, String?)] = (0..<5_000).map { i in
                (Int64(i) * 7_919 - 20_000_000, i % 3 == 0 ? -i : i, i % 100 == 7 ? "tab\there\\ \r\n教师" : "row \(i)",
                 i % 2 == 0, i % 5 == 0 ? nil : "n\(i)")
            }
            var bytesA = 0, bytesB = 0
            try c.copyIn("COPY a FROM STDIN") { w in
                for r in rows { try w.writeRow([String(r.0), String(r.1), r.2, r.3 ? "t" : "f", r.4]) }
                bytesA = w.bytesWritten
            }
            try c.copyIn("COPY b FROM STDIN") { w in
                for r in rows {
                    w.field(r.0)
                    w.field(r.1)
                    w.field(r.2)
                    w.field(r.3)
                    w.field(r.4)
                    try w.endRow()
                }
                bytesB = w.bytesWritten
            }
            #expect(bytesA == bytesB)
            #expect(bytesB > 5_000 * 10)
            let differ = try c.query("SELECT count(*) FROM ((TABLE a EXCEPT ALL TABLE b) UNION ALL (TABLE b EXCEPT ALL TABLE a)) x").scalar(Int.self)
            #expect(differ == 0)
            #expect(try c.query("SELECT count(*), min(id), sum(n) FILTER (WHERE n < 0) FROM b").map { try [$0.decode(Int.self, at: 0), $0.decode(Int.self, at: 1), $0.decode(Int.self, at: 2)] }
                    == [[5_000, -20_000_000, -(0..<5_000).filter { $0 % 3 == 0 }.reduce(0, +)]])
            #expect(try c.query("SELECT label FROM b WHERE id = $1", [Int64(7) * 7_919 - 20_000_000]).scalar(String.self) == "tab\there\\ \r\n教师")
        }
    }

    @Test func copyOutBodyErrorIsRethrownAndConnectionSurvives() throws {
        try withConnection { c throws in
            var seen = 0
            #expect(throws: Boom.self) {
                try c.copyOut("COPY (SELECT g FROM generate_series(1, 1000) g) TO STDOUT") { _ in
                    seen += 1
                    if seen == 3 { throw Boom() }
                }
            }
            #expect(seen == 3)
            #expect(try c.query("SELECT 2").scalar(Int.self) == 2)
        }
    }

    @Test func copyTextEncoderEscapes() {
        #expect(CopyTextEncoder.escape("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e")
        #expect(CopyTextEncoder.escape(nil) == "\\N")
        #expect(CopyTextEncoder.escape("\\N") == "\\\\N")
        #expect(CopyTextEncoder.escape("普通") == "普通")
        #expect(CopyTextEncoder.line(["1", nil, "x y"]) == "1\t\\N\tx y\n")
        #expect(CopyTextEncoder.line(values: [1, Int?.none, true, Decimal(string: "0.30")!]) == "1\t\\N\ttrue\t0.3\n")
    }
}
