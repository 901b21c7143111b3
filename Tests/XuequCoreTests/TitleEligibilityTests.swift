import Foundation
import Testing
@testable import XuequCore

/// The title rules of domain.md §7 and §9 on hand-computed cases, with the default policy:
/// years by education (二级 硕士+ direct / 本科 1 / 大专 2 / 中专 3; 一级 博士 0 / 硕士 2 / 本科 4 / 大专 4 /
/// 中专 5; 高级 博士 2 / others 5; 正高级 5 from 本科 up), probation 1 year, grades ≥ 合格, ethics
/// look-back 5 years, 班主任 3 / 5 / 5 years, 365 days at rural or weak schools for 高级 and 正高级,
/// 360 continuing-education hours in 5 years.
///
/// The base teacher (`teacher()`) passes everything but the years: 本科, employed 2000-09-01, home
/// school weak (urban, tier 3) 2000-09-01 – 2002-09-01 = 730 days (no 29 February in between), then
/// an ordinary urban school; 班主任 10 years; every annual grade 1999–2030 合格; 100 hours on 1 June
/// of 2021 … 2025 (at least 400 hours in every 5-year window ending 2024-06-01 … 2027-05-31).
@Suite("TitleEligibility")
struct TitleEligibilityTests {
    let rules = Policy.defaults.titles
    static let ordinary = TitleSchool(rural: false, tier: 2)
    static let weak = TitleSchool(rural: false, tier: 3)
    static let ruralSchool = TitleSchool(rural: true, tier: 2)

    // MARK: - Day

    @Test("Day: parsing, ordinals across leap years, 29 February + n years")
    func dayArithmetic() {
        #expect(d("1970-01-01").ordinal == 0)
        #expect(d("1970-02-01").ordinal == 31)
        #expect(d("1969-12-31").ordinal == -1)
        // 2000 is a leap year (divisible by 400), 1900 is not (by 100)
        #expect(d("2000-02-28").days(to: d("2000-03-01")) == 2)
        #expect(d("1900-02-28").days(to: d("1900-03-01")) == 1)
        // 2020-09-01 + 5 years crosses 2024-02-29: 5 × 365 + 1 = 1826 days
        #expect(d("2020-09-01").days(to: d("2025-09-01")) == 1826)
        #expect(d("2020-09-01").adding(days: 1825) == d("2025-08-31"))
        #expect(Day(ordinal: d("2024-02-29").ordinal) == d("2024-02-29"))
        #expect(d("2020-02-29").adding(years: 5) == d("2025-02-28"))
        #expect(d("2020-02-29").adding(years: 4) == d("2024-02-29"))
        #expect(d("2021-03-01").adding(years: -5) == d("2016-03-01"))
        #expect(Day("2026-02-30") == nil && Day("2026-13-01") == nil && Day("tomorrow") == nil)
        #expect(Day("2026/9/1") == d("2026-09-01"))
        #expect(d("2026-09-01").description == "2026-09-01")
        #expect(d("2026-08-31").schoolYear == 2025 && d("2026-09-01").schoolYear == 2026)
        #expect(d("2026-08-31") < d("2026-09-01") && d("2025-12-31") < d("2026-01-01"))
        // a round trip over every day of 1999–2001
        for ordinal in d("1999-01-01").ordinal...d("2001-12-31").ordinal {
            let day = Day(ordinal: ordinal)
            #expect(day.ordinal == ordinal && Day(day.description) == day)
        }
    }

    // MARK: - 1. Every education path

    struct Path: Sendable, CustomStringConvertible {
        let education: EducationLevel
        let current: TitleLevel?
        let target: TitleLevel
        let years: Int
        var description: String { "\(education.rawValue) \(current?.rawValue ?? "none") → \(target.rawValue) \(years)y" }
    }

    static let paths: [Path] = [
        // 二级: 硕士 and 博士 direct, 本科 after the 1-year probation, from first employment
        Path(education: .master, current: nil, target: .second, years: 0),
        Path(education: .doctorate, current: nil, target: .second, years: 0),
        Path(education: .bachelor, current: nil, target: .second, years: 1),
        // 大专 and 中专 start at 三级 after the probation, then 2 and 3 years as 三级
        Path(education: .associate, current: nil, target: .third, years: 1),
        Path(education: .secondary, current: nil, target: .third, years: 1),
        Path(education: .associate, current: .third, target: .second, years: 2),
        Path(education: .secondary, current: .third, target: .second, years: 3),
        // 一级
        Path(education: .doctorate, current: .second, target: .first, years: 0),
        Path(education: .master, current: .second, target: .first, years: 2),
        Path(education: .bachelor, current: .second, target: .first, years: 4),
        Path(education: .associate, current: .second, target: .first, years: 4),
        Path(education: .secondary, current: .second, target: .first, years: 5),
        // 高级
        Path(education: .doctorate, current: .first, target: .senior, years: 2),
        Path(education: .master, current: .first, target: .senior, years: 5),
        Path(education: .bachelor, current: .first, target: .senior, years: 5),
        Path(education: .associate, current: .first, target: .senior, years: 5),
        Path(education: .secondary, current: .first, target: .senior, years: 5),
        // 正高级
        Path(education: .doctorate, current: .senior, target: .fullSenior, years: 5),
        Path(education: .master, current: .senior, target: .fullSenior, years: 5),
        Path(education: .bachelor, current: .senior, target: .fullSenior, years: 5),
    ]

    @Test("each education path: eligible on the n-th anniversary, blocked the day before", arguments: paths)
    func educationPath(_ path: Path) throws {
        // As of 2026-09-01 the counting starts n years earlier: the title date, or the first
        // employment without a title. The day before, n − 1 full years: blocked, passing (and
        // projected) on 2026-09-01, since every other rule passes then too.
        let asOf = d("2026-09-01")
        let start = asOf.adding(years: -path.years)
        let t = teacher(
            education: path.education, employed: path.current == nil ? start.description : "2000-09-01",
            titles: path.current.map { [($0, start.description)] } ?? [])
        let on = TitleEligibility.assess(t, asOf: asOf, rules: rules)
        #expect(on.target == path.target)
        #expect(on.current?.level == path.current)
        #expect(on.status == .eligible)
        let years = try #require(on.result(.years))
        #expect(years.outcome == .pass && years.need == "\(path.years)y" && years.have == "\(path.years)y since \(start)")
        #expect(on.rules.map(\.rule) == TitleRule.allCases)
        // a title obtained on the as-of date itself is not held the day before; skip those
        guard path.years > 0 || path.current == nil else { return }
        let before = TitleEligibility.assess(t, asOf: asOf.adding(days: -1), rules: rules)
        let failing = try #require(before.result(.years))
        #expect(before.status == .blocked)
        #expect(failing.outcome == .fail && failing.timeBased && failing.passOn == asOf)
        #expect(failing.have == "\(max(0, path.years - 1))y since \(start)")
        #expect(before.projectedOn == asOf)
    }

    @Test("正高级 is refused for 大专 and 中专 whatever the years")
    func fullSeniorRefused() throws {
        for education in [EducationLevel.associate, .secondary] {
            // 高级 since 2010: 16 years, far beyond 5, but the education is not open for 正高级
            let t = teacher(education: education, titles: [(.first, "2004-09-01"), (.senior, "2010-09-01")])
            let a = TitleEligibility.assess(t, asOf: d("2026-09-01"), rules: rules)
            let years = try #require(a.result(.years))
            #expect(a.target == .fullSenior && a.current == TitleHeld(level: .senior, obtainedOn: d("2010-09-01")))
            #expect(years.outcome == .fail && !years.timeBased && years.passOn == nil)
            #expect(years.have == education.rawValue && years.need == "bachelor/master/doctorate")
            #expect(years.message.zh == "\(education.zh)学历不能申报正高级")
            #expect(a.status == .blocked && a.projectedOn == nil)
        }
    }

    @Test("正高级 already held: top, no target, no rules")
    func top() {
        let t = teacher(titles: [(.senior, "2010-09-01"), (.fullSenior, "2020-09-01")])
        let a = TitleEligibility.assess(t, asOf: d("2026-09-01"), rules: rules)
        #expect(a.status == .top && a.target == nil && a.rules.isEmpty && a.projectedOn == nil)
        #expect(a.current?.level == .fullSenior)
        // the day before it was obtained, 正高级 is the target
        let earlier = TitleEligibility.assess(t, asOf: d("2020-08-31"), rules: rules)
        #expect(earlier.current?.level == .senior && earlier.target == .fullSenior && earlier.rules.count == 6)
    }

    // MARK: - 2. The boundary day

    @Test("a 一级 obtained on 29 February 2020 reaches 5 years on 28 February 2025")
    func leapDayAnniversary() throws {
        let t = teacher(titles: [(.second, "2015-09-01"), (.first, "2020-02-29")])
        let before = TitleEligibility.assess(t, asOf: d("2025-02-27"), rules: rules)
        let on = TitleEligibility.assess(t, asOf: d("2025-02-28"), rules: rules)
        let failing = try #require(before.result(.years))
        #expect(before.target == .senior && before.status == .blocked)
        #expect(failing.have == "4y since 2020-02-29" && failing.need == "5y")
        #expect(failing.passOn == d("2025-02-28") && before.projectedOn == d("2025-02-28"))
        #expect(failing.message.zh == "自 2020-02-29 起任一级已满 4 年，需 5 年，2025-02-28 起符合")
        #expect(failing.message.en == "4 full years as first grade from 2020-02-29; 5 needed, met from 2025-02-28")
        #expect(on.status == .eligible && on.result(.years)?.have == "5y since 2020-02-29")
    }

    // MARK: - 3. Annual grades

    @Test("a 基本合格 year since the title fails; the year before the title and the running year do not count")
    func gradeBelowPass() throws {
        // 二级 since 2021-09-01, 本科: 一级 after 4 years, on 2025-09-01. As of 2026-03-01 the
        // completed years ending after 2021-09-01 are 2021 (ends 2022-08-31) … 2024 (ends 2025-08-31);
        // 2020 ended 2021-08-31, before the title; 2025 runs until 2026-08-31.
        let t = teacher(
            titles: [(.second, "2021-09-01")],
            grades: [2020: .fail, 2021: .pass, 2022: .excellent, 2023: .basicPass, 2024: .pass])
        let a = TitleEligibility.assess(t, asOf: d("2026-03-01"), rules: rules)
        let grades = try #require(a.result(.grades))
        #expect(grades.outcome == .fail && !grades.timeBased && grades.passOn == nil)
        #expect(grades.have == "2021:pass 2022:excellent 2023:basic_pass 2024:pass" && grades.need == "≥ pass")
        #expect(grades.message.zh == "2023-2024 学年考核为基本合格，需合格及以上")
        #expect(a.status == .blocked && a.projectedOn == nil)
        // 不合格 the same
        var failed = t
        failed.grades[2023] = .fail
        #expect(TitleEligibility.assess(failed, asOf: d("2026-03-01"), rules: rules).result(.grades)?.outcome == .fail)
        // 合格 there: eligible, the running year 2025 has no grade and is not needed
        var fixed = t
        fixed.grades[2023] = .pass
        let ok = TitleEligibility.assess(fixed, asOf: d("2026-03-01"), rules: rules)
        #expect(ok.status == .eligible && ok.result(.grades)?.outcome == .pass)
        #expect(ok.result(.grades)?.message.en == "all 4 annual grades since 2021-09-01 are pass or better")
    }

    @Test("a completed year without a grade is missing data, naming the year")
    func gradeMissing() throws {
        let t = teacher(titles: [(.second, "2021-09-01")], grades: [2021: .pass, 2022: .pass, 2024: .pass])
        let a = TitleEligibility.assess(t, asOf: d("2026-03-01"), rules: rules)
        let grades = try #require(a.result(.grades))
        #expect(grades.outcome == .missing)
        #expect(grades.have == "2021:pass 2022:pass 2023:none 2024:pass")
        #expect(grades.message.zh == "2023-2024 学年没有年度考核等次，需合格及以上")
        #expect(grades.message.en == "no annual grade for school year 2023-2024; pass or better needed")
        #expect(a.status == .missingData && a.projectedOn == nil)
    }

    @Test("a title obtained on 31 August: the year ending that day is not since the title")
    func gradeYearEndingOnTitleDay() throws {
        // Year 2021 ends 2022-08-31, the title date itself: not after it. As of 2023-09-01 only 2022
        // (ends 2023-08-31) is required.
        let t = teacher(titles: [(.second, "2022-08-31")], grades: [2021: .fail, 2022: .pass])
        let grades = try #require(TitleEligibility.assess(t, asOf: d("2023-09-01"), rules: rules).result(.grades))
        #expect(grades.outcome == .pass && grades.have == "2022:pass")
        // 2023-08-31 is still inside year 2022, which is then not completed: nothing required yet
        let early = try #require(TitleEligibility.assess(t, asOf: d("2023-08-31"), rules: rules).result(.grades))
        #expect(early.outcome == .pass && early.have == "none completed")
    }

    // MARK: - 4. Ethics

    @Test("an ethics violation blocks for exactly 5 years")
    func ethicsLookback() throws {
        // As of 2026-11-29: a violation on 2021-11-29 stops blocking on 2026-11-29 (as-of is not
        // before it); one on 2021-11-30 blocks until 2026-11-30. 高级 target from 一级 2015: years pass.
        let asOf = d("2026-11-29")
        let outside = TitleEligibility.assess(
            teacher(titles: [(.first, "2015-09-01")], ethics: ["2021-11-29"]), asOf: asOf, rules: rules)
        let pass = try #require(outside.result(.ethics))
        #expect(pass.outcome == .pass && pass.have == "2021-11-29" && pass.need == "none after 2021-11-29")
        #expect(outside.status == .eligible)

        let inside = TitleEligibility.assess(
            teacher(titles: [(.first, "2015-09-01")], ethics: ["2019-05-01", "2021-11-30"]), asOf: asOf, rules: rules)
        let fail = try #require(inside.result(.ethics))
        #expect(fail.outcome == .fail && fail.timeBased && fail.passOn == d("2026-11-30"))
        #expect(fail.have == "2021-11-30" && fail.need == "none after 2021-11-29")
        #expect(fail.message.en == "ethics violation on 2021-11-30; none in 5 years needed, met from 2026-11-30")
        #expect(inside.status == .blocked && inside.projectedOn == d("2026-11-30"))
        // a violation dated after the as-of date is not known yet
        let future = TitleEligibility.assess(
            teacher(titles: [(.first, "2015-09-01")], ethics: ["2026-12-01"]), asOf: asOf, rules: rules)
        #expect(future.result(.ethics)?.outcome == .pass && future.result(.ethics)?.have == "none")
    }

    @Test("the ethics cut-off for a 28 February as-of covers a 29 February violation")
    func ethicsLeapDay() throws {
        // 2020-02-29 + 5 years = 2025-02-28: on 2025-02-28 it no longer blocks, and the last
        // non-blocking day is 2020-02-29 itself.
        let t = teacher(titles: [(.first, "2015-09-01")], ethics: ["2020-02-29"])
        let on = try #require(TitleEligibility.assess(t, asOf: d("2025-02-28"), rules: rules).result(.ethics))
        #expect(on.outcome == .pass && on.need == "none after 2020-02-29")
        let before = try #require(TitleEligibility.assess(t, asOf: d("2025-02-27"), rules: rules).result(.ethics))
        #expect(before.outcome == .fail && before.passOn == d("2025-02-28"))
    }

    // MARK: - 班主任 and training

    @Test("班主任 years by target: 3 for 一级, 5 for 高级, none for 二级")
    func homeroom() throws {
        let first = TitleEligibility.assess(
            teacher(titles: [(.second, "2015-09-01")], homeroom: 3), asOf: d("2026-09-01"), rules: rules)
        #expect(first.result(.homeroom)?.outcome == .pass && first.result(.homeroom)?.need == "3")
        let senior = TitleEligibility.assess(
            teacher(titles: [(.first, "2015-09-01")], homeroom: 4), asOf: d("2026-09-01"), rules: rules)
        let fail = try #require(senior.result(.homeroom))
        #expect(fail.outcome == .fail && fail.have == "4" && fail.need == "5" && !fail.timeBased)
        #expect(fail.message.zh == "班主任 4 年，需 5 年")
        #expect(senior.status == .blocked && senior.projectedOn == nil)
        let second = TitleEligibility.assess(
            teacher(titles: [(.third, "2015-09-01")], homeroom: nil), asOf: d("2026-09-01"), rules: rules)
        #expect(second.result(.homeroom)?.outcome == .off && second.status == .eligible)
    }

    @Test("continuing education: hours in (as-of − 5 years, as-of]")
    func trainingWindow() throws {
        // As of 2026-09-01 the window is (2021-09-01, 2026-09-01]: 2021-09-01 itself is out,
        // 2026-09-01 in. 200.5 + 100 + 55.5 = 356 < 360.
        let records = [
            TitleTraining(on: d("2021-09-01"), hours: 40), TitleTraining(on: d("2021-09-02"), hours: dec("200.5")),
            TitleTraining(on: d("2024-01-10"), hours: 100), TitleTraining(on: d("2026-09-01"), hours: dec("55.5")),
            TitleTraining(on: d("2026-09-02"), hours: 100),
        ]
        let a = TitleEligibility.assess(
            teacher(titles: [(.second, "2015-09-01")], training: records), asOf: d("2026-09-01"), rules: rules)
        let training = try #require(a.result(.training))
        #expect(training.outcome == .fail && training.have == "356 h" && training.need == "360 h" && !training.timeBased)
        #expect(training.message.en == "356 continuing-education hours in the last 5 years; 360 needed")
        #expect(a.status == .blocked && a.projectedOn == nil)
        // a day earlier the 40 hours of 2021-09-01 are in and the 55.5 not yet: 340.5
        let earlier = TitleEligibility.assess(
            teacher(titles: [(.second, "2015-09-01")], training: records), asOf: d("2026-08-31"), rules: rules)
        #expect(earlier.result(.training)?.have == "340.5 h")
    }

    // MARK: - 5. Experience at rural or weak schools

    @Test("part-time work only: 4 periods at a weak school beside 16 at home is 0.2 a day")
    func experiencePartTime() throws {
        // Urban ordinary home school throughout; 一级 since 2015, target 高级. Part-time 4 periods at
        // a weak school from 2020-09-01, home load 16: 4 / (16 + 4) = 0.2 a day, so 365 days need
        // 1825 days of it: 2020-09-01 + 1825 days = 2025-08-31 (5 years are 1826 days with
        // 2024-02-29). As of 2025-08-31: 1825 × 0.2 = 365 → pass. As of 2025-08-30: 1824 × 0.2 =
        // 364.8, one more day of 0.2 needed → passes on 2025-08-31 while the work runs (until 2026-09-01).
        let loads = Dictionary(uniqueKeysWithValues: (2015...2027).map { ($0, 16) })
        let t = teacher(
            titles: [(.first, "2015-09-01")], spells: [spell(Self.ordinary, "2000-09-01")], loads: loads,
            work: [work(.partTime, Self.weak, 4, "2020-09-01", "2026-09-01")])
        let on = TitleEligibility.assess(t, asOf: d("2025-08-31"), rules: rules)
        let pass = try #require(on.result(.experience))
        #expect(pass.outcome == .pass && pass.have == "365 days" && pass.need == "365 days")
        #expect(on.status == .eligible)
        #expect(TitleEligibility.experienceDays(t, before: d("2025-08-31"), beijing: false) == Rational(365))

        let before = TitleEligibility.assess(t, asOf: d("2025-08-30"), rules: rules)
        let fail = try #require(before.result(.experience))
        #expect(fail.outcome == .fail && fail.have == "364.8 days" && fail.timeBased && fail.passOn == d("2025-08-31"))
        #expect(fail.message.zh == "在农村或薄弱学校任教折合 364.8 天，需 365 天，按目前任教预计 2025-08-31 起符合")
        #expect(before.status == .blocked && before.projectedOn == d("2025-08-31"))

        // The same work ending 2025-08-01: 1825 − 30 = 1795 days × 0.2 = 359; nothing accrues any more.
        var ended = t
        ended.work[0].until = d("2025-08-01")
        let stopped = TitleEligibility.assess(ended, asOf: d("2025-08-30"), rules: rules)
        let never = try #require(stopped.result(.experience))
        #expect(never.outcome == .fail && never.have == "359 days" && !never.timeBased && never.passOn == nil)
        #expect(stopped.status == .blocked && stopped.projectedOn == nil)
    }

    @Test("part-time shares follow each school year's home load")
    func experienceLoadBySchoolYear() throws {
        // 4 periods at a weak school 2023-09-01 – 2025-09-01. Year 2023 (366 days, with 2024-02-29):
        // home 16 → 0.2 → 73.2. Year 2024 up to the as-of 2025-08-31 (364 days): home 12 → 4/16 =
        // 0.25 → 91. Sum 164.2. A second part-time job at an ordinary school, 4 periods in 2024-03-01 –
        // 2024-06-01 (92 days), dilutes those days to 4/24: 92 × (1/6 − 1/5) = −92/30, so
        // 164.2 − 3.0666… = 161.1333… → "161.1 days".
        let t = teacher(
            titles: [(.first, "2015-09-01")], spells: [spell(Self.ordinary, "2000-09-01")], loads: [2023: 16, 2024: 12],
            work: [work(.itinerant, Self.weak, 4, "2023-09-01", "2025-09-01")])
        #expect(TitleEligibility.experienceDays(t, before: d("2025-08-31"), beijing: false) == Rational(821, 5))
        var diluted = t
        diluted.work.append(work(.partTime, Self.ordinary, 4, "2024-03-01", "2024-06-01"))
        let sum = TitleEligibility.experienceDays(diluted, before: d("2025-08-31"), beijing: false)
        #expect(sum == Rational(821, 5) - Rational(92, 30))
        let a = TitleEligibility.assess(diluted, asOf: d("2025-08-31"), rules: rules)
        #expect(a.result(.experience)?.have == "161.1 days")
        // the segment sum equals a day-by-day sum
        #expect(sum == naiveExperience(diluted, before: d("2025-08-31"), beijing: false))
    }

    @Test("a full-time placement at a weak school counts fully; one at an ordinary school only in the Beijing profile")
    func experiencePlacements() throws {
        // Weak placement 2023-09-01 – 2024-09-01: 366 days (2024-02-29) ≥ 365.
        let weakPlacement = teacher(
            titles: [(.first, "2015-09-01")], spells: [spell(Self.ordinary, "2000-09-01")], loads: [2023: 16],
            work: [work(.placement, Self.weak, 14, "2023-09-01", "2024-09-01")])
        let a = TitleEligibility.assess(weakPlacement, asOf: d("2026-09-01"), rules: rules)
        #expect(a.result(.experience)?.outcome == .pass && a.result(.experience)?.have == "366 days")

        // The same placement at an ordinary school: 0 days by default (and the home load does not
        // apply on its days), 366 in the Beijing profile.
        var ordinaryPlacement = weakPlacement
        ordinaryPlacement.work[0].school = Self.ordinary
        let national = TitleEligibility.assess(ordinaryPlacement, asOf: d("2026-09-01"), rules: rules)
        let zero = try #require(national.result(.experience))
        #expect(zero.outcome == .fail && zero.have == "0 days" && !zero.timeBased && national.projectedOn == nil)
        var beijing = rules
        beijing.beijingProfile = true
        let counted = TitleEligibility.assess(ordinaryPlacement, asOf: d("2026-09-01"), rules: beijing)
        #expect(counted.result(.experience)?.have == "366 days" && counted.status == .eligible)

        // On the ordinary placement (12 periods) with 4 part-time periods at a weak school on the side,
        // 2024-03-01 – 2024-06-01 (92 days): the home load of 16 does not apply on placement days, so
        // 4 / (12 + 4) = 0.25 a day → 23 days.
        var sideJob = ordinaryPlacement
        sideJob.work[0].periodsPerWeek = 12
        sideJob.work.append(work(.partTime, Self.weak, 4, "2024-03-01", "2024-06-01"))
        #expect(TitleEligibility.assess(sideJob, asOf: d("2026-09-01"), rules: rules).result(.experience)?.have == "23 days")
    }

    @Test("a placement at an ordinary school replaces a weak home school for its days")
    func experiencePlacementReplacesWeakHome() throws {
        // Weak home 2015-09-01 – 2016-09-01 (366 days, 2016-02-29); placement at an ordinary school
        // 2015-09-01 – 2016-03-01 (30 + 31 + 30 + 31 + 31 + 29 = 182 days): 366 − 182 = 184. Then an
        // ordinary home school: nothing accrues any more.
        let t = teacher(
            titles: [(.first, "2015-09-01")],
            spells: [spell(Self.ordinary, "2000-09-01", "2015-09-01"), spell(Self.weak, "2015-09-01", "2016-09-01"),
                     spell(Self.ordinary, "2016-09-01")],
            work: [work(.placement, Self.ordinary, 12, "2015-09-01", "2016-03-01")])
        let a = TitleEligibility.assess(t, asOf: d("2026-09-01"), rules: rules)
        let fail = try #require(a.result(.experience))
        #expect(fail.outcome == .fail && fail.have == "184 days" && !fail.timeBased)
        var beijing = rules
        beijing.beijingProfile = true
        #expect(TitleEligibility.assess(t, asOf: d("2026-09-01"), rules: beijing).result(.experience)?.have == "366 days")
    }

    @Test("a running placement at a weak school projects the day the 365th day is done")
    func experienceRunningPlacement() throws {
        // Placement at a weak school 2025-09-01 – 2028-09-01. As of 2026-03-01: 30 + 31 + 30 + 31 +
        // 31 + 28 = 181 days; 184 more at 1 a day: 2026-03-01 + 184 = 2026-09-01.
        let t = teacher(
            titles: [(.first, "2015-09-01")], spells: [spell(Self.ordinary, "2000-09-01")],
            work: [work(.placement, Self.weak, 14, "2025-09-01", "2028-09-01")])
        let a = TitleEligibility.assess(t, asOf: d("2026-03-01"), rules: rules)
        let fail = try #require(a.result(.experience))
        #expect(fail.have == "181 days" && fail.timeBased && fail.passOn == d("2026-09-01"))
        #expect(a.status == .blocked && a.projectedOn == d("2026-09-01"))
        #expect(TitleEligibility.assess(t, asOf: d("2026-09-01"), rules: rules).status == .eligible)
        // a placement ending 2026-08-01 stops 31 days short: not time-based
        var short = t
        short.work[0].until = d("2026-08-01")
        let stops = try #require(TitleEligibility.assess(short, asOf: d("2026-03-01"), rules: rules).result(.experience))
        #expect(stops.outcome == .fail && !stops.timeBased && stops.passOn == nil)
    }

    @Test("a rural current home school, a 一级 target or the rule switched off: experience is off")
    func experienceOff() throws {
        // rural home now, weak and ordinary before: no experience needed
        let rural = teacher(
            titles: [(.first, "2015-09-01")],
            spells: [spell(Self.ordinary, "2000-09-01", "2020-09-01"), spell(Self.ruralSchool, "2020-09-01")])
        let a = TitleEligibility.assess(rural, asOf: d("2026-09-01"), rules: rules)
        #expect(a.result(.experience)?.outcome == .off && a.result(.experience)?.have == "—" && a.status == .eligible)
        // urban now after rural years: the rural years count (2020-09-01 – 2022-09-01 = 730 days)
        let back = teacher(
            titles: [(.first, "2015-09-01")],
            spells: [spell(Self.ruralSchool, "2020-09-01", "2022-09-01"), spell(Self.ordinary, "2022-09-01")])
        #expect(TitleEligibility.assess(back, asOf: d("2026-09-01"), rules: rules).result(.experience)?.have == "730 days")
        // 一级 target
        let first = teacher(titles: [(.second, "2015-09-01")], spells: [spell(Self.ordinary, "2000-09-01")])
        #expect(TitleEligibility.assess(first, asOf: d("2026-09-01"), rules: rules).result(.experience)?.outcome == .off)
        // switched off
        var noExperience = rules
        noExperience.experienceRuleEnabled = false
        let senior = teacher(titles: [(.first, "2015-09-01")], spells: [spell(Self.ordinary, "2000-09-01")])
        #expect(TitleEligibility.assess(senior, asOf: d("2026-09-01"), rules: rules).status == .blocked)
        #expect(TitleEligibility.assess(senior, asOf: d("2026-09-01"), rules: noExperience).status == .eligible)
    }

    // MARK: - 6. Missing data

    @Test("no education record, unknown 班主任 years, no training records: missing data, no projection")
    func missingData() throws {
        let asOf = d("2026-09-01")
        // no education and no title: the target (三级 or 二级) is unknown
        let noEducation = TitleEligibility.assess(teacher(education: nil), asOf: asOf, rules: rules)
        #expect(noEducation.status == .missingData && noEducation.target == nil && noEducation.projectedOn == nil)
        #expect(noEducation.result(.years)?.outcome == .missing && noEducation.result(.years)?.message.en == "no education record")
        // no education with a title: the target is known, the years are not
        let titled = TitleEligibility.assess(teacher(education: nil, titles: [(.second, "2015-09-01")]), asOf: asOf, rules: rules)
        #expect(titled.target == .first && titled.status == .missingData)

        let noHomeroom = TitleEligibility.assess(
            teacher(titles: [(.second, "2015-09-01")], homeroom: nil), asOf: asOf, rules: rules)
        #expect(noHomeroom.result(.homeroom)?.outcome == .missing && noHomeroom.result(.homeroom)?.need == "3")
        #expect(noHomeroom.status == .missingData && noHomeroom.projectedOn == nil)

        let noTraining = TitleEligibility.assess(
            teacher(titles: [(.second, "2015-09-01")], training: []), asOf: asOf, rules: rules)
        #expect(noTraining.result(.training)?.outcome == .missing && noTraining.result(.training)?.have == "none")
        #expect(noTraining.status == .missingData && noTraining.projectedOn == nil)

        // missing beside a time-based failure (二级 since 2024-09-01: 一级 on 2028-09-01): still no projection
        let both = TitleEligibility.assess(
            teacher(titles: [(.second, "2024-09-01")], homeroom: nil), asOf: asOf, rules: rules)
        #expect(both.result(.years)?.passOn == d("2028-09-01"))
        #expect(both.status == .missingData && both.projectedOn == nil)
    }

    // MARK: - 7. Projection

    @Test("years and ethics both time-based: projected on the later date, unless training runs short then")
    func projection() throws {
        // 一级 since 2021-09-01 → 高级 on 2026-09-01; a violation on 2022-03-15 blocks until
        // 2027-03-15. As of 2026-03-01 both fail; the later date is 2027-03-15. Training there:
        // (2022-03-15, 2027-03-15] holds all four 100-hour records → 400 ≥ 360.
        let t = teacher(titles: [(.second, "2016-09-01"), (.first, "2021-09-01")], ethics: ["2022-03-15"])
        let a = TitleEligibility.assess(t, asOf: d("2026-03-01"), rules: rules)
        #expect(a.result(.years)?.passOn == d("2026-09-01") && a.result(.ethics)?.passOn == d("2027-03-15"))
        #expect(a.status == .blocked && a.projectedOn == d("2027-03-15"))

        // 200 h on 2021-06-01, 100 on 2023-06-01 and 2025-06-01: 400 h now ((2021-03-01, 2026-03-01]),
        // but on 2027-03-15 the window (2022-03-15, 2027-03-15] holds only 200: no projection.
        var short = t
        short.training = [
            TitleTraining(on: d("2021-06-01"), hours: 200), TitleTraining(on: d("2023-06-01"), hours: 100),
            TitleTraining(on: d("2025-06-01"), hours: 100),
        ]
        let s = TitleEligibility.assess(short, asOf: d("2026-03-01"), rules: rules)
        #expect(s.result(.training)?.outcome == .pass && s.result(.training)?.have == "400 h")
        #expect(s.status == .blocked && s.projectedOn == nil)
        // a failing rule that is not time-based (班主任) stops the projection too
        var homeroom = t
        homeroom.homeroomYears = 2
        #expect(TitleEligibility.assess(homeroom, asOf: d("2026-03-01"), rules: rules).projectedOn == nil)
    }

    // MARK: - Helpers

    private func d(_ text: String) -> Day { Day(text)! }

    private func dec(_ text: String) -> Decimal { Decimal(string: text)! }

    private func spell(_ school: TitleSchool, _ from: String, _ until: String? = nil) -> TitleHomeSpell {
        TitleHomeSpell(school: school, from: d(from), until: until.map(d))
    }

    private func work(_ kind: AssignmentKind, _ school: TitleSchool, _ periods: Decimal, _ from: String, _ until: String) -> TitleWork {
        TitleWork(kind: kind, school: school, periodsPerWeek: periods, from: d(from), until: d(until))
    }

    /// The base teacher of the suite's comment, with the given changes.
    private func teacher(
        education: EducationLevel? = .bachelor, employed: String = "2000-09-01", titles: [(TitleLevel, String)] = [],
        homeroom: Int? = 10, spells: [TitleHomeSpell]? = nil, loads: [Int: Int] = [:], work: [TitleWork] = [],
        ethics: [String] = [], training: [TitleTraining]? = nil, grades: [Int: Grade]? = nil
    ) -> TitleTeacher {
        TitleTeacher(
            staffID: 1, staffNo: "T0001", education: education, firstEmployedOn: d(employed),
            titles: titles.map { TitleHeld(level: $0.0, obtainedOn: d($0.1)) }, homeroomYears: homeroom,
            homeSpells: spells ?? [spell(Self.weak, "2000-09-01", "2002-09-01"), spell(Self.ordinary, "2002-09-01")],
            homeLoads: loads, work: work, ethicsViolations: ethics.map(d),
            training: training ?? (2021...2025).map { TitleTraining(on: Day(year: $0, month: 6, day: 1), hours: 100) },
            grades: grades ?? Dictionary(uniqueKeysWithValues: (1999...2030).map { ($0, Grade.pass) }))
    }

    /// The experience sum the slow way, one day at a time.
    private func naiveExperience(_ t: TitleTeacher, before: Day, beijing: Bool) -> Rational {
        let first = (t.homeSpells.map(\.from) + t.work.map(\.from)).min()!
        var sum = Rational.zero
        var day = first
        while day < before {
            sum = sum + TitleEligibility.dailyValue(t, on: day, beijing: beijing)
            day = day.adding(days: 1)
        }
        return sum
    }
}
