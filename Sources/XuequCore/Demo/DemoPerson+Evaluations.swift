/// The demo school year's evaluations (绩效考核, domain.md §6): the principal and vice principal
/// of the home school and the principal of each host school score the four evaluator-scored
/// dimensions of the default rubric. A few host schools have not scored yet, so some cross-school
/// teachers stay incomplete.
extension DemoPerson {
    /// The evaluator-scored dimensions of the default rubric (`workload` is computed).
    static let evaluationDimensions = ["ethics", "teaching", "care", "growth"]

    /// The schools where this person taught in the demo school year, home first (when the home
    /// load of that year is > 0), then the hosts of approved, active or ended cross-school work
    /// overlapping the year, each once. Empty for a person who has left or retired.
    func evaluationSchools(_ org: DemoOrganisation) -> [(school: Int, home: Bool)] {
        guard !status.hasEnded else { return [] }
        let year = DemoCalendar.schoolYear(org.asOf)
        let yearStart = DemoCalendar.dayNumber(year, 9, 1)
        let yearEnd = DemoCalendar.dayNumber(year + 1, 9, 1)
        var result: [(school: Int, home: Bool)] = []
        let home = homes[homes.count - 1].school
        if (loads(org).last { $0.year == year }?.periods ?? 0) > 0 { result.append((home, true)) }
        for a in crossSchoolWork(org) where ["approved", "active", "ended"].contains(a.status(asOf: org.asOf))
            && a.start < yearEnd && a.end > yearStart && !result.contains(where: { $0.school == a.host }) {
            result.append((a.host, false))
        }
        return result
    }

    /// Writes this person's `evaluations` rows. Scores: a personal ability around 84 (sd 6), a
    /// personal offset per dimension and noise per evaluator (sd 3 each), clamped to 40…100 with
    /// one decimal; about 1% of teachers get ethics 50.0–62.0 from every evaluator (the 60 veto).
    /// Host-school rows of schools with index % 29 == 7 are left out (the principal still owes them);
    /// their random draws are made all the same, so leaving them out changes no other row.
    func emitEvaluations<S: DemoSink>(_ org: DemoOrganisation, into sink: inout S) throws {
        let schools = evaluationSchools(org)
        guard !schools.isEmpty else { return }
        var rng = DemoRandom(seed: DemoRandom.subSeed(extraSeed, 6))
        let ability = 84 + 6 * rng.normal()
        let veto = rng.chance(0.01)
        let offsets = DemoPerson.evaluationDimensions.map { _ in 3 * rng.normal() }
        let year = String(DemoCalendar.schoolYear(org.asOf))
        let comments = DemoCatalog.evaluationComments
        for (school, home) in schools {
            let code = org.schools[school].code
            let login = DemoOrganisation.login(ofSchool: code)
            let evaluators = home ? ["p_" + login, "v_" + login] : ["p_" + login]
            let omitted = !home && school % 29 == 7
            for evaluator in evaluators {
                for (i, dimension) in DemoPerson.evaluationDimensions.enumerated() {
                    var tenths = Int(((ability + offsets[i] + 3 * rng.normal()) * 10).rounded())
                    tenths = min(1000, max(400, tenths))
                    if veto && i == 0 { tenths = rng.int(500, 620) }
                    var comment = rng.chance(0.05) ? comments[rng.int(comments.count)] : ""
                    if veto && i == 0 && !comment.isEmpty { comment = DemoCatalog.ethicsConcernComment }
                    guard !omitted else { continue }
                    try sink.row([year, staffNo, code, evaluator, dimension, String(tenths / 10) + "." + String(tenths % 10), comment])
                }
            }
        }
    }
}

extension DemoOrganisation {
    /// 奖励性绩效 pool per staff member of a school, in fen (about ¥8,000; not round on purpose).
    static let poolFenPerStaff = 800_037

    /// The login part of a school's evaluators (`p_` + it for the principal, `v_` + it for the vice
    /// principal): the code lowercased, every character outside [a-z0-9] replaced by `_`, so
    /// `p_…` matches the login rule `^[a-z][a-z0-9_]{1,62}$`.
    static func login(ofSchool code: String) -> String {
        var result = ""
        for c in code.unicodeScalars {
            switch c.value {
            case 97...122, 48...57: result.unicodeScalars.append(c)
            case 65...90: result.unicodeScalars.append(Unicode.Scalar(UInt8(c.value + 32)))
            default: result.unicodeScalars.append("_")
            }
        }
        return result
    }
}

extension DemoRandom {
    /// Approximately standard normal (sum of twelve uniforms minus 6): plain arithmetic, so the
    /// same on every platform, unlike a libm-based transform.
    mutating func normal() -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += unit() }
        return sum - 6
    }
}
