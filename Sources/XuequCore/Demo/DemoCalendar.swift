/// Date arithmetic on day numbers (days since 1970-01-01), without Foundation dates; month lengths
/// and the text form come from ``CivilDate``.
enum DemoCalendar {
    /// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    static func dayNumber(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    static func civil(_ n: Int) -> DemoDate {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return DemoDate(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    static func year(_ n: Int) -> Int { civil(n).year }

    /// The same day `years` later (or earlier); 29 February becomes 28 February in a common year.
    static func addingYears(_ n: Int, _ years: Int) -> Int {
        let c = civil(n)
        let y = c.year + years
        return dayNumber(y, c.month, min(c.day, CivilDate.daysInMonth(y, c.month)))
    }

    /// The school year a day falls in: September 1 of Y to August 31 of Y+1 is year Y.
    static func schoolYear(_ n: Int) -> Int {
        let c = civil(n)
        return c.month >= 9 ? c.year : c.year - 1
    }

    /// `YYYY-MM-DD`.
    static func format(_ n: Int) -> String { civil(n).description }
}
