import Foundation
import LibPQ
import Testing

@Suite("PGDate calendar arithmetic (no server)")
struct PGDateTests {
    @Test func parsingRejectsImpossibleDates() {
        #expect(PGDate(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(PGDate(iso: "2027-02-30") == nil)
        #expect(PGDate(iso: "2023-02-29") == nil)
        #expect(PGDate(iso: "1900-02-29") == nil)
        #expect(PGDate(iso: "2000-02-29") != nil)
        #expect(PGDate(iso: "2024-04-31") == nil)
        #expect(PGDate(iso: "2024-13-01") == nil)
        #expect(PGDate(iso: "2024-1-01") == nil)
        #expect(PGDate(iso: "2024-01-01 ") == nil)
        #expect(PGDate(year: 2024, month: 0, day: 1) == nil)
    }

    @Test func arithmetic() throws {
        let leap = try #require(PGDate(iso: "2024-02-29"))
        #expect(leap.adding(years: 1).description == "2025-02-28")
        #expect(leap.adding(years: -4).description == "2020-02-29")
        #expect(leap.adding(days: 1).description == "2024-03-01")
        #expect(leap.adding(days: -60).description == "2023-12-31")
        #expect(PGDate(iso: "2024-01-31")!.adding(months: 1).description == "2024-02-29")
        #expect(PGDate(iso: "1970-01-01")!.daysSince1970 == 0)
        #expect(PGDate(iso: "1969-12-31")!.daysSince1970 == -1)
        #expect(PGDate(iso: "2000-03-01")!.daysSince1970 == 11017)
        #expect(PGDate(daysSince1970: 19782) == leap)
        #expect(leap.isoWeekday == 4)  // Thursday
        #expect(PGDate(iso: "0001-01-01")!.description == "0001-01-01")
    }

    @Test func comparableAndCodable() throws {
        let a = try #require(PGDate(iso: "2023-12-31"))
        let b = try #require(PGDate(iso: "2024-01-01"))
        #expect(a < b)
        #expect([b, a].sorted() == [a, b])
        let json = try JSONEncoder().encode(["start": a])
        #expect(String(decoding: json, as: UTF8.self) == #"{"start":"2023-12-31"}"#)
        #expect(try JSONDecoder().decode([String: PGDate].self, from: json)["start"] == a)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PGDate].self, from: Data(#"["2027-02-30"]"#.utf8))
        }
    }

    @Test func arrayLiteralParsing() throws {
        #expect(try [String?](postgresText: #"{a,"b c",NULL,"NULL","x\"y","\\",  spaced  ,"",é}"#)
            == ["a", "b c", nil, "NULL", "x\"y", "\\", "spaced", "", "é"])
        #expect(throws: (any Error).self) { try [String?](postgresText: "{a,b") }
        #expect(throws: (any Error).self) { try [String?](postgresText: "a,b") }
        #expect(["a\"b", "c\\d", "e,f"].postgresText == #"{"a\"b","c\\d","e,f"}"#)
        #expect([1, nil, 3].postgresText == #"{"1",NULL,"3"}"#)
    }
}
