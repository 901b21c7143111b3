/// A calendar date (proleptic Gregorian): the demo generator's reference date, and the civil form
/// of the day numbers it computes with (see `DemoCalendar`).
///
/// Only the fields are stored; no time zone or clock is involved, so output never depends on
/// when or where the generator runs.
public struct DemoDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month, 1–31.
    public var day: Int

    /// Creates a date from its parts; the parts are not normalised.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether the parts name a real calendar day.
    public var isValid: Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= CivilDate.daysInMonth(year, month)
    }

    /// The date as `YYYY-MM-DD` (the parts as they are, even when not ``isValid``).
    public var description: String { CivilDate.format(year, month, day) }

    /// Orders dates chronologically.
    public static func < (lhs: DemoDate, rhs: DemoDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01.
    var dayNumber: Int { DemoCalendar.dayNumber(year, month, day) }
}
