/// A plain calendar date (no time, no zone) with day arithmetic, for the title rules' date
/// comparisons and day counts. Written and parsed as `YYYY-MM-DD`.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and 1-digit month or day, as `CivilDate.normalize`
    /// accepts); nil for text that is not a real calendar date in 1900…2200.
    public init?(_ text: String) {
        // the database writes YYYY-MM-DD: read it from the bytes (the batch parses millions)
        if text.utf8.count == 10, let parsed = text.utf8.withContiguousStorageIfAvailable({ Self.iso($0) }),
           let (y, m, d) = parsed, (1900...2200).contains(y), (1...12).contains(m), d >= 1, d <= CivilDate.daysInMonth(y, m) {
            self.init(year: y, month: m, day: d)
            return
        }
        guard let iso = CivilDate.normalize(text) else { return nil }
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    /// (year, month, day) of exactly `DDDD-DD-DD`, unchecked; nil for anything else.
    private static func iso(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        func digit(_ i: Int) -> Int? { b[i] >= 48 && b[i] <= 57 ? Int(b[i] - 48) : nil }
        guard b[4] == 45, b[7] == 45, let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
              let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9) else { return nil }
        return (y0 * 1000 + y1 * 100 + y2 * 10 + y3, m0 * 10 + m1, d0 * 10 + d1)
    }

    /// A date from its parts; the parts must name a real calendar date.
    public init(year: Int, month: Int, day: Int) {
        precondition((1...12).contains(month) && day >= 1 && day <= CivilDate.daysInMonth(year, month),
                     "not a calendar date: \(year)-\(month)-\(day)")
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (which is 0), in the proleptic Gregorian calendar.
    public var ordinal: Int {
        // H. Hinnant's days_from_civil: years start on March 1, so the leap day is the year's last
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `ordinal` days after 1970-01-01.
    public init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// The same month and day `years` later (earlier when negative); 29 February becomes
    /// 28 February in a non-leap year (domain.md §9).
    public func adding(years: Int) -> Day {
        let y = year + years
        return Day(year: y, month: month, day: min(day, CivilDate.daysInMonth(y, month)))
    }

    /// The days from this date to `other` (negative when `other` is earlier).
    public func days(to other: Day) -> Int { other.ordinal - ordinal }

    /// The school year holding this date: 2026 for 2026-09-01 … 2027-08-31.
    public var schoolYear: Int { month >= 9 ? year : year - 1 }

    /// `YYYY-MM-DD`.
    public var description: String { CivilDate.format(year, month, day) }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
