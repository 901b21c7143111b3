import Foundation

extension TitleEligibility {
    /// Rural or weak-school experience for 高级 and 正高级 when the current home school is urban
    /// (domain.md §7, §9): the days before as-of, each worth
    /// - 1 on a full-time placement (交流轮岗) at a rural or weak school, or on any placement in the
    ///   Beijing profile;
    /// - 1 at a rural or weak home school when not on a placement (a placement at an ordinary school
    ///   replaces the home school for its days);
    /// - otherwise min(1, part-time periods at rural or weak schools ÷ the teacher's periods that
    ///   day), the periods being the home load of the day's school year (not on a placement) plus
    ///   every piece of cross-school work running that day.
    ///
    /// The sum is exact; it is computed per segment between the dates where anything changes, never
    /// day by day. When it falls short while still accruing on the as-of day, the rule is time-based:
    /// the pass date is found by carrying the accrual forward through the known spells and work,
    /// with the as-of school year's home load for every later year, as long as it never drops to 0.
    static func experienceRule(
        _ teacher: TitleTeacher, target: TitleLevel?, asOf: Day, rules: Policy.Titles
    ) -> TitleRuleResult {
        guard rules.experienceRuleEnabled else {
            return off(.experience, zh: "农村或薄弱学校任教经历规则未启用", en: "the rural or weak-school experience rule is off")
        }
        guard let target, target >= .senior else {
            let name = target.map { ($0.zh, $0.en) } ?? ("该职称", "this title")
            return off(.experience, zh: "申报\(name.0)不要求农村或薄弱学校任教经历",
                       en: "no rural or weak-school experience required for \(name.1)")
        }
        let needed = rules.experienceDays
        guard let home = teacher.homeSpell(on: asOf) else {
            return TitleRuleResult(
                rule: .experience, outcome: .missing, have: "none", need: "\(needed) days",
                message: Message(zh: "\(asOf) 没有编制所在学校记录", en: "no home school recorded on \(asOf)"))
        }
        guard !home.school.rural else {
            return off(.experience, zh: "编制在农村学校，不要求农村或薄弱学校任教经历",
                       en: "the home school is rural: no rural or weak-school experience required")
        }
        let sum = experienceDays(teacher, before: asOf, beijing: rules.beijingProfile)
        let have = "\(daysText(sum)) days"
        let sentence = Message(
            zh: "在农村或薄弱学校任教折合 \(daysText(sum)) 天，需 \(needed) 天",
            en: "\(daysText(sum)) days of teaching at rural or weak schools; \(needed) needed")
        let need = Rational(needed)
        guard sum < need else {
            return TitleRuleResult(rule: .experience, outcome: .pass, have: have, need: "\(needed) days", message: sentence)
        }
        guard let passOn = experiencePassDate(teacher, from: asOf, counted: sum, need: need, beijing: rules.beijingProfile) else {
            return TitleRuleResult(rule: .experience, outcome: .fail, have: have, need: "\(needed) days", message: sentence)
        }
        return TitleRuleResult(
            rule: .experience, outcome: .fail, have: have, need: "\(needed) days", passOn: passOn, timeBased: true,
            message: Message(zh: sentence.zh + "，按目前任教预计 \(passOn) 起符合",
                             en: sentence.en + ", met from \(passOn) at the current rate"))
    }

    /// Σ daily values over the days strictly before `day`, exactly.
    static func experienceDays(_ teacher: TitleTeacher, before day: Day, beijing: Bool) -> Rational {
        let end = day.ordinal
        let starts = teacher.homeSpells.map(\.from) + teacher.work.map(\.from)
        guard let first = starts.min(), first < day else { return .zero }
        var points: Set<Int> = [first.ordinal, end]
        for bound in changeDays(teacher) where bound.ordinal > first.ordinal && bound.ordinal < end {
            points.insert(bound.ordinal)
        }
        for year in first.year...day.year {
            let septemberFirst = Day(year: year, month: 9, day: 1).ordinal
            if septemberFirst > first.ordinal && septemberFirst < end { points.insert(septemberFirst) }
        }
        let sorted = points.sorted()
        var sum = Rational.zero
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let value = dailyValue(teacher, on: Day(ordinal: a), beijing: beijing)
            if !value.isZero { sum = sum + value * Rational(b - a) }
        }
        return sum
    }

    /// The first day on which the days before it reach `need`, carrying the accrual forward from
    /// `day` (where `counted` have been reached) through the known spells and work with the home load
    /// of `day`'s school year; nil when nothing accrues on `day` or the accrual stops first.
    static func experiencePassDate(
        _ teacher: TitleTeacher, from day: Day, counted: Rational, need: Rational, beijing: Bool
    ) -> Day? {
        let loadYear = day.schoolYear
        let bounds = Set(changeDays(teacher).map(\.ordinal).filter { $0 > day.ordinal }).sorted()
        var cursor = day.ordinal
        var sum = counted
        var next = bounds.startIndex
        while true {
            let value = dailyValue(teacher, on: Day(ordinal: cursor), beijing: beijing, loadYear: loadYear)
            guard value > .zero else { return nil }
            // days still needed at this value: ceil((need − sum) / value)
            let daysNeeded = Int(-(Rational.zero - (need - sum) / value).floor)
            if next == bounds.endIndex || cursor + daysNeeded <= bounds[next] {
                return Day(ordinal: cursor + daysNeeded)
            }
            sum = sum + value * Rational(bounds[next] - cursor)
            cursor = bounds[next]
            next = bounds.index(after: next)
        }
    }

    /// The dates where a home spell or a piece of work starts or ends.
    static func changeDays(_ teacher: TitleTeacher) -> [Day] {
        teacher.homeSpells.flatMap { [$0.from] + ($0.until.map { [$0] } ?? []) }
            + teacher.work.flatMap { [$0.from, $0.until] }
    }

    /// What one day is worth toward the experience rule (see `experienceRule`); `loadYear` replaces
    /// the day's school year when looking up the home load.
    static func dailyValue(_ teacher: TitleTeacher, on day: Day, beijing: Bool, loadYear: Int? = nil) -> Rational {
        let running = teacher.work.filter { $0.contains(day) }
        let placements = running.filter { $0.kind == .placement }
        if placements.isEmpty {
            if teacher.homeSpell(on: day)?.school.isWeakOrRural == true { return .one }
        } else if beijing || placements.contains(where: { $0.school.isWeakOrRural }) {
            return .one
        }
        var total = placements.isEmpty ? Rational(teacher.homeLoads[loadYear ?? day.schoolYear] ?? 0) : .zero
        var partTime = Rational.zero
        for work in running {
            let periods = Rational(exactly: work.periodsPerWeek) ?? .zero
            total = total + periods
            if work.kind != .placement && work.school.isWeakOrRural { partTime = partTime + periods }
        }
        guard partTime > .zero, total > .zero else { return .zero }
        return min(.one, partTime / total)
    }

    /// A day count rounded down to one decimal, without a trailing ".0": 212, 212.4.
    static func daysText(_ value: Rational) -> String {
        let tenths = (value * Rational(10)).floor
        let whole = tenths / 10, tenth = tenths % 10
        return tenth == 0 ? "\(whole)" : "\(whole).\(tenth)"
    }
}
