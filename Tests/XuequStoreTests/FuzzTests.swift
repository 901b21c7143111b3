import Foundation
import LibPQ
import Testing
import XuequCore
import XuequStore
import XuequTestSupport

/// Hostile input through every CSV field that reaches SQL: quotes, semicolons, SQL, NUL bytes,
/// overlong text, broken UTF-8, impossible dates, huge and negative numbers, formulas. Each
/// mutated import either succeeds (the value was acceptable) or is refused with located issues
/// (file, line, column); nothing else, and a refusal leaves the database as it was (every change
/// a person's import makes writes the audit log, so an unchanged log is an unchanged database;
/// the second test compares every table).
@Suite("Fuzzing the import: every field, hostile values")
struct FuzzTests {
    static let hostile: [[UInt8]] = [
        Array("'".utf8), Array("\"\"".utf8), Array("a;b".utf8), Array("'; DROP TABLE staff; --".utf8),
        Array("x' OR '1'='1".utf8), Array("\\".utf8), Array("$1".utf8), Array("%s%n".utf8),
        [0x61, 0x00, 0x62],                                   // NUL inside
        Array(String(repeating: "长", count: 5_000).utf8),    // overlong
        [0xFF, 0xFE, 0x41], [0xC3, 0x28], [0xE6, 0x9D],       // broken UTF-8
        Array("2027-02-30".utf8), Array("2026-13-01".utf8), Array("0000-01-01".utf8), Array("99999-01-01".utf8),
        Array("99999999999999999999999".utf8), Array("-1".utf8), Array("-2026".utf8), Array("1e308".utf8),
        Array("NaN".utf8), Array("Infinity".utf8), Array("٣".utf8), Array("１２".utf8),
        Array("=cmd|' /C calc'!A0".utf8), Array("+1+1".utf8), Array("@SUM(A1)".utf8),
        Array(" ".utf8), [], Array("\u{202E}gnp.exe".utf8), Array("😀".utf8), Array("a\u{0301}".utf8),
    ]

    /// One CSV field as written: quoted when it needs to be (quotes doubled), raw bytes kept.
    static func field(_ bytes: [UInt8]) -> [UInt8] {
        let special: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D]
        guard bytes.contains(where: special.contains) else { return bytes }
        return [0x22] + bytes.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
    }

    static func files() -> [(ImportKind, String)] {
        let loads = "staff_no,school_year,periods_per_week\nT0001,2026,14\nT0002,2026,12\nT0003,2026,10\n"
        let work = """
            ref,staff_no,host_school_code,kind,subject,periods_per_week,start_on,end_on,status,override_reason
            W1,T0002,S003,part_time,语文,4,2026-09-01,2027-07-01,approved,两校语文教研合作

            """
        let periods = "district_code,school_year,starts_on,ends_on\n110101,2026,2026-09-01,2027-08-31\n"
        let evaluations = "学年,工号,学校代码,维度,分数,评语\n2026,T0001,S001,ethics,92,扎实\n2026,T0002,S003,teaching,88.5,\n"
        return Fixtures.organisation + [(.staff, Fixtures.staff), (.loads, loads), (.assignments, work),
                                        (.evaluationPeriods, periods), (.evaluations, evaluations)]
    }

    /// The files with one field of one data row replaced, written as bytes.
    static func write(_ files: [(ImportKind, String)], mutate: (file: Int, row: Int, column: Int, value: [UInt8])) throws
        -> [(kind: ImportKind, path: String)] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuequ-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try files.enumerated().map { index, file in
            var lines = file.1.split(separator: "\n", omittingEmptySubsequences: true).map { line in
                line.split(separator: ",", omittingEmptySubsequences: false).map { Array($0.utf8) }
            }
            if index == mutate.file {
                let row = 1 + mutate.row % (lines.count - 1)
                lines[row][mutate.column % lines[row].count] = field(mutate.value)
            }
            var bytes: [UInt8] = []
            for line in lines {
                bytes += Array(line.joined(separator: [0x2C]))
                bytes.append(0x0A)
            }
            let url = dir.appendingPathComponent(file.0.fileName)
            try Data(bytes).write(to: url)
            return (file.0, url.path)
        }
    }

    /// The log grows with every change a person's import makes, and no refused import may add to it.
    static func state(_ c: Connection) throws -> String {
        try c.query("SELECT count(*) || ':' || coalesce(max(audit_id), 0) FROM audit_log").scalar(String.self)
    }

    @Test("600 single-field mutations of a valid folder: each one imports or is refused at its file, line and column; refusals change nothing")
    func mutations() throws {
        let db = try MigratedDatabase.create()
        let c = try db.connect()
        var generator = SeededGenerator(seed: 20_261_129)
        let files = Self.files()
        var accepted = 0, refused = 0
        for i in 0..<600 {
            let fileIndex = Int.random(in: 0..<files.count, using: &generator)
            let value = Self.hostile[i % Self.hostile.count]
            let written = try Self.write(files, mutate: (fileIndex, Int.random(in: 0..<8, using: &generator), Int.random(in: 0..<20, using: &generator), value))
            let audit = try Self.state(c)
            do {
                _ = try Importer(connection: c).importFiles(written)
                accepted += 1
            } catch let failure as ImportFailure {
                refused += 1
                #expect(!failure.issues.isEmpty)
                for issue in failure.issues {
                    #expect(issue.file.hasSuffix(".csv"), "\(issue)")
                    // every refusal names its line; a field's also its column (broken UTF-8 is located
                    // by line and byte offset: it cannot be split into fields)
                    #expect(issue.line >= 1, "mutation \(i) \(value.prefix(20)): \(issue)")
                    #expect(issue.column != nil || issue.text(.en).contains("(byte "), "mutation \(i) \(value.prefix(20)): \(issue)")
                    #expect(!issue.text(.zh).isEmpty && !issue.text(.en).isEmpty)
                }
                #expect(try Self.state(c) == audit, "mutation \(i): a refused import left audit rows")
            } catch {
                Issue.record("mutation \(i) of \(files[fileIndex].0.fileName) with \(String(decoding: value.prefix(30), as: UTF8.self)): not a located refusal: \(error)")
            }
        }
        print("import fuzzing: 600 mutations, \(accepted) accepted, \(refused) refused with located issues")
        #expect(refused > 300 && accepted > 20)
        // accepted values are data (a staff number "-1" is a valid one), stored as written; the
        // original teachers and every table are still there
        #expect(try c.query("SELECT count(*) FROM staff WHERE staff_no IN ('T0001', 'T0002', 'T0003')").scalar(Int.self) == 3)
        #expect(try c.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").scalar(Int.self) >= 50)
    }

    @Test("a refused mutation leaves every table exactly as it was (full fingerprint), for each hostile value in the staff file")
    func refusalsChangeNothing() throws {
        let db = try MigratedDatabase.create()
        let c = try db.connect()
        _ = try Importer(connection: c).importFiles(try Fixtures.write(Self.files()))
        var before = try Fixtures.fingerprint(c)
        var refused = 0
        for (n, value) in Self.hostile.enumerated() {
            // birth_date (a date), then staff_no (a key), of T0002
            for column in [3, 0] {
                let written = try Self.write(Self.files(), mutate: (3, 1, column, value))
                do {
                    _ = try Importer(connection: c).importFiles(written)
                    // accepted (a valid value): the state to compare with is the new one
                    before = try Fixtures.fingerprint(c)
                } catch is ImportFailure {
                    refused += 1
                    #expect(try Fixtures.fingerprint(c) == before, "value \(n) in column \(column)")
                }
            }
        }
        #expect(refused >= Self.hostile.count)
    }
}

/// A small deterministic generator (SplitMix64), so a failing mutation can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
