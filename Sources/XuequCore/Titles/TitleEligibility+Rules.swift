import Foundation

extension TitleEligibility {
    /// Years at the current level by education (domain.md §7); without a title, the probation from
    /// first employment. Passes on and after the n-th anniversary of the start.
    static func yearsRule(
        _ teacher: TitleTeacher, current: TitleHeld?, target: TitleLevel?, asOf: Day, rules: Policy.Titles
    ) -> TitleRuleResult {
        guard let education = teacher.education, let target else {
            return TitleRuleResult(
                rule: .years, outcome: .missing, have: "none", need: "education record",
                message: Message(zh: "没有学历记录", en: "no education record"))
        }
        let start = current?.obtainedOn ?? teacher.firstEmployedOn
        let byEducation = rules.yearsAtLevel[target.rawValue] ?? [:]
        var open = byEducation.keys.compactMap(EducationLevel.init(rawValue:))
        if target == .fullSenior, let minimum = EducationLevel(rawValue: rules.fullSeniorMinEducation) {
            open = open.filter { rank($0) >= rank(minimum) }
        }
        let needed: Int
        if open.contains(education), let years = byEducation[education.rawValue] {
            needed = years
        } else if current == nil, byEducation[education.rawValue] == nil {
            // a first title without its own entry: the probation from first employment
            needed = rules.probationYears
        } else {
            let need = open.sorted { rank($0) < rank($1) }.map(\.rawValue).joined(separator: "/")
            return TitleRuleResult(
                rule: .years, outcome: .fail, have: education.rawValue, need: need.isEmpty ? "none" : need,
                message: Message(
                    zh: "\(education.zh)学历不能申报\(target.zh)",
                    en: "a \(education.en) education cannot apply for \(target.en)"))
        }
        let passOn = start.adding(years: needed)
        let have = fullYears(from: start, to: asOf)
        let basisZh = current.map { "起任\($0.level.zh)" } ?? "参加工作"
        let basisEn = current.map { "as \($0.level.en)" } ?? "since first employment"
        let sentence = Message(
            zh: "自 \(start) \(basisZh)已满 \(have) 年，需 \(needed) 年",
            en: "\(have) full years \(basisEn) from \(start); \(needed) needed")
        if asOf >= passOn {
            return TitleRuleResult(rule: .years, outcome: .pass, have: "\(have)y since \(start)", need: "\(needed)y",
                                   message: sentence)
        }
        return TitleRuleResult(
            rule: .years, outcome: .fail, have: "\(have)y since \(start)", need: "\(needed)y", passOn: passOn,
            timeBased: true,
            message: Message(zh: sentence.zh + "，\(passOn) 起符合", en: sentence.en + ", met from \(passOn)"))
    }

    /// Every completed school year ending after the current title's date (or the first employment)
    /// has an annual grade of 合格 or 优秀. A 基本合格 or 不合格 year fails; otherwise a completed year
    /// without a grade is missing data. The year still running is never required.
    static func gradesRule(_ teacher: TitleTeacher, current: TitleHeld?, asOf: Day, rules: Policy.Titles) -> TitleRuleResult {
        guard rules.gradesRuleEnabled else {
            return off(.grades, zh: "年度考核规则未启用", en: "the annual-grade rule is off")
        }
        let start = current?.obtainedOn ?? teacher.firstEmployedOn
        // the first year ending (Aug 31 of Y+1) after the start; the last year ending before as-of
        let first = Day(year: start.schoolYear + 1, month: 8, day: 31) > start ? start.schoolYear : start.schoolYear + 1
        let last = asOf.schoolYear - 1
        let years = first <= last ? Array(first...last) : []
        let have = years.isEmpty
            ? "none completed"
            : years.map { "\($0):\(teacher.grades[$0]?.rawValue ?? "none")" }.joined(separator: " ")
        let failed = years.filter { teacher.grades[$0] == .basicPass || teacher.grades[$0] == .fail }
        let missing = years.filter { teacher.grades[$0] == nil }
        var zh: [String] = [], en: [String] = []
        for year in failed {
            let grade = teacher.grades[year]!
            zh.append("\(schoolYearName(year)) 学年考核为\(grade.zh)")
            en.append("school year \(schoolYearName(year)) graded \(grade.en)")
        }
        if !missing.isEmpty {
            let names = missing.map(schoolYearName)
            zh.append("\(names.joined(separator: "、")) 学年没有年度考核等次")
            en.append("no annual grade for school year\(names.count > 1 ? "s" : "") \(names.joined(separator: ", "))")
        }
        let outcome: TitleRuleOutcome = !failed.isEmpty ? .fail : !missing.isEmpty ? .missing : .pass
        let message: Message
        if outcome == .pass {
            message = years.isEmpty
                ? Message(zh: "自 \(start) 以来尚无已结束的考核年度", en: "no completed school year since \(start)")
                : Message(zh: "自 \(start) 以来 \(years.count) 个学年的年度考核均为合格及以上",
                          en: "all \(years.count) annual grades since \(start) are pass or better")
        } else {
            message = Message(zh: zh.joined(separator: "；") + "，需合格及以上",
                              en: en.joined(separator: "; ") + "; pass or better needed")
        }
        return TitleRuleResult(rule: .grades, outcome: outcome, have: have, need: "≥ pass", message: message)
    }

    /// No 师德 violation v on or before as-of with as-of < v + lookback years. Time-based: passes on
    /// the latest blocking violation's date + lookback years.
    static func ethicsRule(_ teacher: TitleTeacher, asOf: Day, rules: Policy.Titles) -> TitleRuleResult {
        let lookback = rules.ethicsLookbackYears
        let known = teacher.ethicsViolations.filter { $0 <= asOf }
        // the last date whose violation no longer blocks: the largest c with c + lookback ≤ as-of
        var cutoff = asOf.adding(years: -lookback)
        while cutoff.adding(days: 1).adding(years: lookback) <= asOf { cutoff = cutoff.adding(days: 1) }
        let need = "none after \(cutoff)"
        let have = known.max().map(\.description) ?? "none"
        guard let latest = known.filter({ asOf < $0.adding(years: lookback) }).max() else {
            return TitleRuleResult(
                rule: .ethics, outcome: .pass, have: have, need: need,
                message: Message(zh: "近 \(lookback) 年无师德违规记录", en: "no ethics violation in the last \(lookback) years"))
        }
        let passOn = latest.adding(years: lookback)
        return TitleRuleResult(
            rule: .ethics, outcome: .fail, have: have, need: need, passOn: passOn, timeBased: true,
            message: Message(
                zh: "\(latest) 有师德违规记录，需 \(lookback) 年内无违规，\(passOn) 起符合",
                en: "ethics violation on \(latest); none in \(lookback) years needed, met from \(passOn)"))
    }

    /// 班主任 years ≥ the target's requirement; off when the target has none.
    static func homeroomRule(_ teacher: TitleTeacher, target: TitleLevel?, rules: Policy.Titles) -> TitleRuleResult {
        guard let target, let needed = rules.homeroomYears[target.rawValue] else {
            let name = target.map { ($0.zh, $0.en) } ?? ("该职称", "this title")
            return off(.homeroom, zh: "申报\(name.0)不要求班主任年限", en: "no 班主任 years required for \(name.1)")
        }
        guard let have = teacher.homeroomYears else {
            return TitleRuleResult(
                rule: .homeroom, outcome: .missing, have: "none", need: "\(needed)",
                message: Message(zh: "没有班主任年限记录，需 \(needed) 年", en: "班主任 years not recorded; \(needed) needed"))
        }
        return TitleRuleResult(
            rule: .homeroom, outcome: have >= needed ? .pass : .fail, have: "\(have)", need: "\(needed)",
            message: Message(zh: "班主任 \(have) 年，需 \(needed) 年", en: "\(have) years as 班主任; \(needed) needed"))
    }

    /// Continuing-education hours dated in (as-of − window, as-of] ≥ the requirement; no records at
    /// all is missing data.
    static func trainingRule(_ teacher: TitleTeacher, asOf: Day, rules: Policy.Titles) -> TitleRuleResult {
        let window = rules.trainingWindowYears
        let needed = DecimalParts.text(rules.trainingHours)
        guard !teacher.training.isEmpty else {
            return TitleRuleResult(
                rule: .training, outcome: .missing, have: "none", need: "\(needed) h",
                message: Message(zh: "没有继续教育学时记录", en: "no continuing-education records"))
        }
        let hours = trainingHours(teacher, endingOn: asOf, windowYears: window)
        let have = DecimalParts.text(hours)
        return TitleRuleResult(
            rule: .training, outcome: hours >= rules.trainingHours ? .pass : .fail, have: "\(have) h", need: "\(needed) h",
            message: Message(
                zh: "近 \(window) 年继续教育 \(have) 学时，需 \(needed) 学时",
                en: "\(have) continuing-education hours in the last \(window) years; \(needed) needed"))
    }

    /// The hours dated in (day − window years, day].
    static func trainingHours(_ teacher: TitleTeacher, endingOn day: Day, windowYears: Int) -> Decimal {
        let after = day.adding(years: -windowYears)
        return teacher.training.filter { $0.on > after && $0.on <= day }.reduce(Decimal(0)) { $0 + $1.hours }
    }
}
