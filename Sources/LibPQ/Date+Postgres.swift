import Foundation

/// `timestamptz` (and `timestamp`, read as UTC), to microsecond precision.
///
/// Sent as ISO 8601 in UTC with six fractional digits, e.g. `2024-01-02T03:04:05.123456+00:00`.
/// Read from PostgreSQL's ISO output (`DateStyle=ISO`), e.g. `2024-01-02 03:04:05.123456+08`
/// or `...+05:30`; a value without an offset (`timestamp`) is taken as UTC.
/// `infinity` and BC values are rejected.
extension Date: PostgresEncodable, PostgresDecodable {
    static let unixEpochMicrosFromReference: Int64 = 978_307_200 * 1_000_000

    /// Microseconds since 1970-01-01 UTC, rounded to the nearest microsecond.
    var postgresMicrosSince1970: Int64 {
        Int64((timeIntervalSinceReferenceDate * 1_000_000).rounded()) + Date.unixEpochMicrosFromReference
    }

    init(postgresMicrosSince1970 micros: Int64) {
        self.init(timeIntervalSinceReferenceDate: Double(micros - Date.unixEpochMicrosFromReference) / 1_000_000)
    }

    /// ISO 8601 in UTC with microseconds.
    public var postgresText: String {
        let micros = postgresMicrosSince1970
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        let date = PGDate(daysSince1970: Int(days))
        let secs = rest / 1_000_000
        let frac = rest % 1_000_000
        func pad(_ n: Int64, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(date)T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2)).\(pad(frac, 6))+00:00"
    }

    /// Parses PostgreSQL ISO timestamp output.
    public init(postgresText text: String) throws {
        guard let micros = Date.parsePostgresTimestamp(text) else {
            throw InvalidText(expected: "timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]])")
        }
        self.init(postgresMicrosSince1970: micros)
    }

    /// `YYYY-MM-DD[ T]HH:MM:SS[.f{1,6}][Z|±HH[:MM[:SS]]]` → microseconds since 1970 UTC.
    static func parsePostgresTimestamp(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 19, let date = PGDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
              b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { return nil }
        var i = 11
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                guard b[k] >= UInt8(ascii: "0"), b[k] <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int64(b[k] - UInt8(ascii: "0"))
            }
            i += n
            return v
        }
        guard let hh = digits(2) else { return nil }
        i += 1
        guard let mm = digits(2) else { return nil }
        i += 1
        guard let ss = digits(2), hh <= 24, mm <= 59, ss <= 60 else { return nil }
        var micros: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                guard n < 6 else { return nil }
                micros = micros * 10 + Int64(b[i] - UInt8(ascii: "0"))
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
            for _ in n..<6 { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let oh = digits(2) else { return nil }
                var om: Int64 = 0, os: Int64 = 0
                if i < b.count, b[i] == UInt8(ascii: ":") {
                    i += 1
                    guard let v = digits(2) else { return nil }
                    om = v
                    if i < b.count, b[i] == UInt8(ascii: ":") {
                        i += 1
                        guard let v = digits(2) else { return nil }
                        os = v
                    }
                }
                offsetSeconds = sign * (oh * 3600 + om * 60 + os)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let seconds = Int64(date.daysSince1970) * 86_400 + hh * 3600 + mm * 60 + ss - offsetSeconds
        return seconds * 1_000_000 + micros
    }
}
