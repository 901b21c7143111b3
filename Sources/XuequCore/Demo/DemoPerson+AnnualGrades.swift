/// The historical annual grades (年度考核等次, domain.md §7 and §9 "Titles") of the school years
/// before the demo school year: what HR kept before Xuequ existed, for title eligibility.
extension DemoPerson {
    /// Per-year grade shares: 优秀, 合格, 基本合格, 不合格 (in ``Grade`` order).
    static let annualGradeShares: [Double] = [0.20, 0.77, 0.025, 0.005]
    /// The share of people with one completed year left without a grade (so title eligibility
    /// reports "missing data").
    static let annualGradeGapShare = 0.015
    /// How many of the person's most recent graded years the gap may fall in.
    static let annualGradeGapWindow = 5

    /// The school years graded: from the school year of first employment up to the year before the
    /// as-of date's, while the person had not left or retired by September 1 of the year.
    /// Empty when no year qualifies.
    func annualGradeYears(_ org: DemoOrganisation) -> ClosedRange<Int>? {
        let first = DemoCalendar.schoolYear(firstEmployed)
        var last = DemoCalendar.schoolYear(org.asOf) - 1
        // careerEnd > September 1 of Y ⇔ Y ≤ the school year of the day before careerEnd
        if status.hasEnded { last = min(last, DemoCalendar.schoolYear(careerEnd - 1)) }
        return first <= last ? first...last : nil
    }

    /// Writes this person's `annual-grades` rows, one per graded year in ascending order. Each year
    /// draws its grade with ``annualGradeShares``; a year holding the person's ethics violation is
    /// 不合格 (domain.md §6). About 1.5% of people have one year without a row among their last
    /// five graded years (never the ethics year). The draws are the same whether or not a year is
    /// left out or overridden, so the other years do not change.
    func emitAnnualGrades<S: DemoSink>(_ org: DemoOrganisation, into sink: inout S) throws {
        guard let years = annualGradeYears(org) else { return }
        var rng = DemoRandom(seed: DemoRandom.subSeed(extraSeed, 7))
        let ethicsYear = ethicsRecord(org).map { DemoCalendar.schoolYear($0.day) }
        var gap: Int?
        if rng.chance(DemoPerson.annualGradeGapShare) {
            let candidates = max(years.lowerBound, years.upperBound - DemoPerson.annualGradeGapWindow + 1)...years.upperBound
            let pick = rng.int(candidates.lowerBound, candidates.upperBound)
            if pick != ethicsYear {
                gap = pick
            } else if candidates.count > 1 {
                gap = pick == candidates.upperBound ? pick - 1 : pick + 1
            }
        }
        let grades = Grade.allCases
        for year in years {
            var grade = grades[rng.weighted(DemoPerson.annualGradeShares)]
            if year == ethicsYear { grade = .fail }
            guard year != gap else { continue }
            try sink.row([staffNo, String(year), grade.rawValue])
        }
    }
}
