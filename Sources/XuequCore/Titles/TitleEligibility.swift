import Foundation

/// The title-eligibility rules (职称申报资格) of domain.md §7 and §9: a pure function of one teacher's
/// records, the as-of date and the district's `Policy.Titles`.
///
/// The current title is the highest level obtained on or before the as-of date; the target is the
/// next level (without a title: 二级 from 本科 up, 三级 from 大专 or 中专/中师, counted from the date of
/// first employment). Every rule of `TitleRule` reports have / need / outcome and a sentence. The
/// teacher is eligible when every rule passes or is off, "missing data" when any rule lacks its
/// data, blocked otherwise; when only time-based rules fail, `projectedOn` is the day the last of
/// them passes, provided the continuing-education window still holds enough hours on that day.
public enum TitleEligibility {
    /// Assesses one teacher on `asOf`.
    public static func assess(_ teacher: TitleTeacher, asOf: Day, rules: Policy.Titles) -> TitleAssessment {
        let current = teacher.currentTitle(on: asOf)
        if current?.level == .fullSenior {
            return TitleAssessment(
                staffID: teacher.staffID, staffNo: teacher.staffNo, current: current, target: nil, status: .top,
                projectedOn: nil, rules: [])
        }
        let target = nextLevel(after: current?.level, education: teacher.education)
        let results = TitleRule.allCases.map { rule -> TitleRuleResult in
            switch rule {
            case .years: yearsRule(teacher, current: current, target: target, asOf: asOf, rules: rules)
            case .grades: gradesRule(teacher, current: current, asOf: asOf, rules: rules)
            case .ethics: ethicsRule(teacher, asOf: asOf, rules: rules)
            case .homeroom: homeroomRule(teacher, target: target, rules: rules)
            case .experience: experienceRule(teacher, target: target, asOf: asOf, rules: rules)
            case .training: trainingRule(teacher, asOf: asOf, rules: rules)
            }
        }
        let status: TitleStatus =
            if results.contains(where: { $0.outcome == .missing }) { .missingData }
            else if results.contains(where: { $0.outcome == .fail }) { .blocked }
            else { .eligible }
        return TitleAssessment(
            staffID: teacher.staffID, staffNo: teacher.staffNo, current: current, target: target, status: status,
            projectedOn: status == .blocked ? projection(teacher, results: results, rules: rules) : nil,
            rules: results)
    }

    /// The level to apply for: the next above `current`; without a title 二级 for 本科 and above and
    /// 三级 below; nil for 正高级, or without a title and without an education record.
    static func nextLevel(after current: TitleLevel?, education: EducationLevel?) -> TitleLevel? {
        guard let current else {
            guard let education else { return nil }
            return rank(education) >= rank(.bachelor) ? .second : .third
        }
        let all = TitleLevel.allCases
        let next = all.index(after: all.firstIndex(of: current)!)
        return next < all.endIndex ? all[next] : nil
    }

    /// The day every failing rule has passed — the latest pass date — when all of them are
    /// time-based and the training window still holds enough hours on that day; else nil.
    static func projection(_ teacher: TitleTeacher, results: [TitleRuleResult], rules: Policy.Titles) -> Day? {
        let failing = results.filter { $0.outcome == .fail }
        guard !failing.isEmpty, !results.contains(where: { $0.outcome == .missing }) else { return nil }
        var latest: Day?
        for result in failing {
            guard result.timeBased, let day = result.passOn else { return nil }
            latest = max(latest ?? day, day)
        }
        guard let day = latest,
              trainingHours(teacher, endingOn: day, windowYears: rules.trainingWindowYears) >= rules.trainingHours
        else { return nil }
        return day
    }

    /// Whole years from `start` to `day`: the number of anniversaries on or before `day`.
    static func fullYears(from start: Day, to day: Day) -> Int {
        guard start <= day else { return 0 }
        var years = day.year - start.year
        if start.adding(years: years) > day { years -= 1 }
        return max(0, years)
    }

    /// 0 for 中专/中师 up to 4 for 博士.
    static func rank(_ education: EducationLevel) -> Int {
        EducationLevel.allCases.firstIndex(of: education)!
    }

    /// `2023-2024`: how a school year is named in sentences.
    static func schoolYearName(_ year: Int) -> String { "\(year)-\(year + 1)" }

    /// A rule that does not apply, with the reason.
    static func off(_ rule: TitleRule, zh: String, en: String) -> TitleRuleResult {
        TitleRuleResult(rule: rule, outcome: .off, have: "—", need: "—", message: Message(zh: zh, en: en))
    }
}
