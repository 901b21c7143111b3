import Foundation
import Testing
@testable import XuequCore

/// The evaluation rules of domain.md §6 and §9 on hand-computed cases, with the default policy:
/// weights ethics 20 (veto below 60), workload 20, teaching 30, care 15, growth 15; standard load 14;
/// cross-school factor 1.2; rotation bonus 3; 优秀 quota 20% from 85; coefficients 1.2 / 1 / 0.5 / 0;
/// 班主任 + 10%.
@Suite("Scoring")
struct ScoringTests {
    let rules = Policy.defaults.evaluation

    @Test("a cross-school teacher scored by two schools: every dimension, workload and total by hand")
    func crossSchool() throws {
        // Home school 1: 8 periods × 180 days = 1440 period-days; host school 2: 4 × 180 = 720.
        // Shares 2/3 and 1/3. Weighted = 1440 + 1.2 × 720 = 2304 period-days over 180 days = 12.8
        // periods, so workload = 100 × 12.8 / 14 = 640/7 = 91.4285714… → 91.428571.
        // Two evaluators at home, one at the host:
        //   ethics   home (90 + 85.5)/2 = 87.75, host 80   → (2 × 87.75 + 80)/3 = 255.5/3 = 85.1666… → 85.166667
        //   teaching home (88 + 91)/2 = 89.5,   host 86.5 → (179 + 86.5)/3 = 88.5
        //   care     home (84 + 80)/2 = 82,     host 90   → (164 + 90)/3 = 254/3 = 84.6666… → 84.666667
        //   growth   home (78.5 + 81.5)/2 = 80, host 83   → (160 + 83)/3 = 81
        // Total = 0.2 × 255.5/3 + 0.2 × 640/7 + 0.3 × 88.5 + 0.15 × 254/3 + 0.15 × 81
        //       = 89.2/3 + 128/7 + 38.7 = 1008.4/21 + 38.7 = 86.7190476… → 86.72: 合格 and a 优秀
        // candidate, but one graded teacher gives a quota of floor(0.2) = 0. Pay share 86.72 × 1.
        let teacher = ScoringTeacher(
            staffID: 1, staffNo: "D0001", homeSchoolID: 1, periodDays: [1: 1440, 2: 720], weightedPeriodDays: 2304,
            daysInPeriod: 180, homeroom: false, placements: [], ethicsViolationInPeriod: false,
            scores: [
                score(1, "ethics", "175.5", 2), score(1, "teaching", "179", 2), score(1, "care", "164", 2),
                score(1, "growth", "160", 2),
                score(2, "ethics", "80"), score(2, "teaching", "86.5"), score(2, "care", "90"), score(2, "growth", "83"),
            ])
        let outcome = Scoring.score([teacher], pools: [1: 50_000], rules: rules)
        let t = try #require(outcome.teachers.first)
        #expect(t.status == .graded)
        #expect(t.unitSchoolID == 1)
        #expect(t.dimensionScores == [
            "ethics": dec("85.166667"), "workload": dec("91.428571"), "teaching": dec("88.5"),
            "care": dec("84.666667"), "growth": 81,
        ])
        #expect(t.workloadScore == dec("91.428571"))
        #expect(t.rotationBonus == 0)
        #expect(t.total == dec("86.72"))
        #expect(t.grade == .pass && t.reason == .outsideQuota && t.excellentRank == 1 && !t.provisional)
        #expect(t.payShare == dec("86.72"))
        #expect(t.payFen == 50_000)
        #expect(t.missing.isEmpty)
        #expect(outcome.units == [
            UnitResult(
                unitSchoolID: 1, graded: 1, incomplete: 0, noWorkload: 0, quota: 0, candidates: 1, excellent: 0,
                counts: [.excellent: 0, .pass: 1, .basicPass: 0, .fail: 0], pending: false, tieTotal: nil,
                tieStaffIDs: [], poolFen: 50_000, allocatedFen: 50_000, undistributedFen: 0),
        ])
    }

    @Test("ethics of exactly 60 from shares 1/3 and 2/3 is not vetoed; 59.9 is")
    func exactVeto() throws {
        // School 1 holds 720 of 2160 period-days (1/3), school 2 holds 1440 (2/3); three evaluators each.
        // Exact: (1/3)(210.2/3) + (2/3)(164.9/3) = (210.2 + 329.8)/9 = 540/9 = 60. Decimal division
        // gives 59.999…9 here, which would veto.
        // Second teacher: (210.1 + 2 × 164.5)/9 = 539.1/9 = 59.9 < 60.
        // Both: workload 100 × (1440 + 1.2 × 720)/180/14 = 640/7; teaching, care, growth 95 (0.6 × 95 = 57),
        // so totals 12 + 128/7 + 57 = 87.2857… → 87.29 and 11.98 + 128/7 + 57 = 87.2657… → 87.27.
        func teacher(_ id: Int64, _ no: String, ethics1: String, ethics2: String) -> ScoringTeacher {
            ScoringTeacher(
                staffID: id, staffNo: no, homeSchoolID: 2, periodDays: [1: 720, 2: 1440], weightedPeriodDays: 2304,
                daysInPeriod: 180, homeroom: false, placements: [], ethicsViolationInPeriod: false,
                scores: [score(1, "ethics", ethics1, 3), score(2, "ethics", ethics2, 3)]
                    + [1, 2].flatMap { school in ["teaching", "care", "growth"].map { score(school, $0, "285", 3) } })
        }
        let outcome = Scoring.score(
            [teacher(1, "E1", ethics1: "210.2", ethics2: "164.9"), teacher(2, "E2", ethics1: "210.1", ethics2: "164.5")],
            pools: [:], rules: rules)
        let sixty = outcome.teachers[0], below = outcome.teachers[1]
        #expect(sixty.dimensionScores["ethics"] == 60)
        #expect(sixty.total == dec("87.29"))
        #expect(sixty.grade == .pass && sixty.reason == .outsideQuota)
        #expect(below.dimensionScores["ethics"] == dec("59.9"))
        #expect(below.total == dec("87.27"))
        #expect(below.grade == .fail && below.reason == .ethicsVeto && below.excellentRank == nil)
        #expect(below.payShare == 0 && below.payFen == nil)
    }

    @Test("an ethics violation in the period fails a teacher with a high total")
    func violation() throws {
        // 14 periods at one school: workload 100; all 95: total 0.8 × 95 + 20 = 96.
        var t = oneSchool(1, "V1", e: "95", t: "95", c: "95", g: "95")
        t.ethicsViolationInPeriod = true
        let outcome = Scoring.score([t], pools: [1: 10_000], rules: rules)
        let v = try #require(outcome.teachers.first)
        #expect(v.total == 96)
        #expect(v.grade == .fail && v.reason == .ethicsViolation)
        #expect(v.payShare == 0 && v.payFen == 0)
        #expect(outcome.units[0].undistributedFen == 10_000 && outcome.units[0].allocatedFen == 0)
    }

    @Test("a tie across the 优秀 cut-off is reported and ordered by ethics, teaching, staff number")
    func quotaTie() throws {
        // 11 graded teachers, all with workload 100: quota floor(0.2 × 11) = 2.
        // total = 0.2 e + 20 + 0.3 t + 0.15 (c + g)
        let teachers = [
            oneSchool(10, "T10", e: "95", t: "95", c: "95", g: "95"),     // 96.00
            oneSchool(1, "T01", e: "100", t: "85", c: "81.6", g: "81.7"), // 20+20+25.5+24.495 = 89.995 → 90.00
            oneSchool(9, "T09", e: "98", t: "88", c: "80", g: "80"),      // 19.6+20+26.4+24 = 90
            oneSchool(2, "T02", e: "95", t: "90", c: "80", g: "80"),      // 19+20+27+24 = 90
            oneSchool(4, "T04", e: "95", t: "85", c: "85", g: "85"),      // 19+20+25.5+25.5 = 90
            oneSchool(3, "T03", e: "95", t: "85", c: "85", g: "85"),      // 90, same as T04: staff number decides
            oneSchool(5, "T05", e: "80", t: "80", c: "80", g: "80"),      // 84: 合格, below 85
            oneSchool(11, "T11", e: "70", t: "70", c: "70", g: "70"),     // 76: 合格
            oneSchool(6, "T06", e: "60", t: "50", c: "50", g: "50"),      // 12+20+15+15 = 62: 基本合格
            oneSchool(7, "T07", e: "50", t: "95", c: "95", g: "95"),      // 10+20+28.5+28.5 = 87 but ethics 50: 不合格
            oneSchool(8, "T08", e: "60", t: "30", c: "30", g: "30"),      // 12+20+9+9 = 50: 不合格
        ]
        let outcome = Scoring.score(teachers, pools: [:], rules: rules)
        let by = Dictionary(uniqueKeysWithValues: outcome.teachers.map { ($0.staffNo, $0) })
        #expect(outcome.teachers.map(\.staffNo) == (1...11).map { String(format: "T%02d", $0) })
        // the rounded total is the first key: T01's exact 89.995 ties with the 90s and wins on ethics 100
        let ranked = ["T10", "T01", "T09", "T02", "T03", "T04"]
        #expect(ranked.map { by[$0]?.excellentRank } == [1, 2, 3, 4, 5, 6])
        #expect(ranked.map { by[$0]?.grade } == [.excellent, .excellent, .pass, .pass, .pass, .pass])
        #expect(ranked.map { by[$0]?.reason } == [.withinQuota, .withinQuota, .outsideQuota, .outsideQuota, .outsideQuota, .outsideQuota])
        #expect(by["T01"]?.total == 90 && by["T10"]?.total == 96)
        #expect(by["T05"]?.grade == .pass && by["T05"]?.reason == .belowExcellentMin && by["T05"]?.excellentRank == nil)
        #expect(by["T06"]?.grade == .basicPass && by["T06"]?.reason == .belowPass && by["T06"]?.total == 62)
        #expect(by["T07"]?.grade == .fail && by["T07"]?.reason == .ethicsVeto && by["T07"]?.total == 87)
        #expect(by["T08"]?.grade == .fail && by["T08"]?.reason == .belowBasicPass && by["T08"]?.total == 50)
        let unit = try #require(outcome.units.first)
        #expect(unit.graded == 11 && unit.quota == 2 && unit.candidates == 6 && unit.excellent == 2)
        #expect(unit.counts == [.excellent: 2, .pass: 6, .basicPass: 1, .fail: 2])
        #expect(unit.tieTotal == 90)
        #expect(unit.tieStaffIDs == [1, 9, 2, 3, 4])
        #expect(unit.poolFen == nil && unit.allocatedFen == 0 && unit.undistributedFen == 0)
        #expect(outcome.teachers.allSatisfy { $0.payFen == nil })
    }

    @Test("no tie is reported when the first outside the quota has a lower rounded total")
    func noTie() throws {
        let teachers = (1...5).map { oneSchool(Int64($0), "N\($0)", e: "95", t: "95", c: "95", g: "9\($0)") }
        let unit = try #require(Scoring.score(teachers, pools: [:], rules: rules).units.first)
        #expect(unit.quota == 1 && unit.candidates == 5 && unit.tieTotal == nil && unit.tieStaffIDs.isEmpty)
    }

    @Test("staff numbers compare in code-point order, not by Swift's canonical equivalence")
    func codePointOrder() {
        // "e" + combining acute (65 CC 81) and the precomposed "é" (C3 A9) are equal Swift strings
        #expect("e\u{301}" == "\u{E9}")
        #expect(Scoring.codePointPrecedes("e\u{301}", "\u{E9}"))
        #expect(!Scoring.codePointPrecedes("\u{E9}", "e\u{301}"))
        #expect(Scoring.codePointPrecedes("Z9", "a1"))
    }

    @Test("a pool that does not divide evenly goes by largest remainder and adds up exactly")
    func largestRemainder() throws {
        // Three equal shares (all 90: total 92): 100,000 / 3 = 33,333 each with 1 fen left, every
        // remainder equal, so the smallest staff number (A7) gets it.
        let equal = [
            oneSchool(1, "B2", e: "90", t: "90", c: "90", g: "90"),
            oneSchool(2, "A7", e: "90", t: "90", c: "90", g: "90"),
            oneSchool(3, "C1", e: "90", t: "90", c: "90", g: "90"),
        ]
        let even = Scoring.score(equal, pools: [1: 100_000], rules: rules)
        #expect(even.teachers.map(\.staffNo) == ["A7", "B2", "C1"])
        #expect(even.teachers.map(\.payFen) == [33_334, 33_333, 33_333])
        #expect(even.units[0].allocatedFen == 100_000 && even.units[0].undistributedFen == 0)

        // Five teachers, quota floor(0.2 × 5) = 1:
        //   U1 all 95, 班主任 (workload 150 capped at 100): 96, 优秀: share 96 × 1.2 × 1.1 = 126.72
        //   U2 all 90: 92, 合格 outside the quota: 92
        //   U3 62, 基本合格: 62 × 0.5 = 31
        //   U4 ethics 50: 不合格: 0
        //   U5 all 80, 班主任: 84, 合格: 84 × 1.1 = 92.4
        // Σ = 342.12. Pool 1,234,567 × share / 342.12 = 457,279.11 / 331,989.26 / 111,865.94 / 0 /
        // 333,432.69: floors add up to 1,234,565, the 2 fen left go to U3 (.94) and U5 (.69).
        var u1 = oneSchool(21, "U1", e: "95", t: "95", c: "95", g: "95")
        u1.homeroom = true
        var u5 = oneSchool(25, "U5", e: "80", t: "80", c: "80", g: "80")
        u5.homeroom = true
        let uneven = Scoring.score([
            u1, oneSchool(22, "U2", e: "90", t: "90", c: "90", g: "90"),
            oneSchool(23, "U3", e: "60", t: "50", c: "50", g: "50"),
            oneSchool(24, "U4", e: "50", t: "95", c: "95", g: "95"), u5,
        ], pools: [1: 1_234_567], rules: rules)
        #expect(uneven.teachers[0].workloadScore == 100)
        #expect(uneven.teachers.map(\.grade) == [.excellent, .pass, .basicPass, .fail, .pass])
        #expect(uneven.teachers.map(\.payShare) == [dec("126.72"), 92, 31, 0, dec("92.4")])
        #expect(uneven.teachers.map(\.payFen) == [457_279, 331_989, 111_866, 0, 333_433])
        #expect(uneven.teachers.compactMap(\.payFen).reduce(0, +) == 1_234_567)
        #expect(uneven.units[0].allocatedFen == 1_234_567 && uneven.units[0].undistributedFen == 0)
    }

    @Test("a missing score makes the teacher incomplete and the unit pending; schools without a share are ignored")
    func incomplete() throws {
        // P1 teaches at schools 1 and 2. School 1 has not scored growth; school 2 scored care with no
        // evaluator (count 0) and not growth: missing (1, growth), (2, care), (2, growth).
        let p1 = ScoringTeacher(
            staffID: 1, staffNo: "P1", homeSchoolID: 1, periodDays: [1: 1800, 2: 720], weightedPeriodDays: 2664,
            daysInPeriod: 180, homeroom: false, placements: [], ethicsViolationInPeriod: false,
            scores: [
                score(1, "ethics", "90"), score(1, "teaching", "80"), score(1, "care", "70"),
                score(2, "ethics", "84"), score(2, "teaching", "86"), score(2, "care", "0", 0),
            ])
        // P2 teaches only at school 1; school 3, where P2 holds no share, gave 10s that must be ignored.
        // All 90 at school 1, 14 periods: total 92.
        var p2 = oneSchool(2, "P2", e: "90", t: "90", c: "90", g: "90")
        p2.scores += ["ethics", "teaching", "care", "growth"].map { score(3, $0, "10") }
        p2.periodDays[3] = 0
        let outcome = Scoring.score([p2, p1], pools: [1: 80_000], rules: rules)
        let a = outcome.teachers[0], b = outcome.teachers[1]
        #expect(a.staffNo == "P1" && a.status == .incomplete)
        #expect(a.missing == [
            MissingScore(schoolID: 1, dimension: "growth"), MissingScore(schoolID: 2, dimension: "care"),
            MissingScore(schoolID: 2, dimension: "growth"),
        ])
        // ethics (1800 × 90 + 720 × 84)/2520 = (5 × 90 + 2 × 84)/7 = 618/7 = 88.2857142… → 88.285714;
        // teaching (5 × 80 + 2 × 86)/7 = 572/7 = 81.7142857… → 81.714286; workload 2664/180 = 14.8 → 100
        #expect(a.dimensionScores == ["ethics": dec("88.285714"), "teaching": dec("81.714286"), "workload": 100])
        #expect(a.total == nil && a.grade == nil && a.reason == nil && a.payShare == nil && a.payFen == nil)
        #expect(b.staffNo == "P2" && b.status == .graded && b.dimensionScores["ethics"] == 90)
        #expect(b.total == 92 && b.grade == .pass && b.provisional)
        #expect(b.payShare == 92 && b.payFen == nil)
        #expect(outcome.units == [
            UnitResult(
                unitSchoolID: 1, graded: 1, incomplete: 1, noWorkload: 0, quota: 0, candidates: 1, excellent: 0,
                counts: [.excellent: 0, .pass: 1, .basicPass: 0, .fail: 0], pending: true, tieTotal: nil,
                tieStaffIDs: [], poolFen: 80_000, allocatedFen: 0, undistributedFen: 0),
        ])
    }

    @Test("the unit is the host of the longest placement, ties by later start then host code; bonus capped at 100")
    func placementUnit() throws {
        // R1: two placements of 100 days; the later one (host 6) is the unit. Shares at both hosts
        // (14 periods × 100 days each; 2800 × 1.2 weighted over 200 days: workload 120 → 100).
        // All 95: 96 + 3 = 99.
        let r1 = ScoringTeacher(
            staffID: 1, staffNo: "R1", homeSchoolID: 1, periodDays: [5: 1400, 6: 1400], weightedPeriodDays: 3360,
            daysInPeriod: 200, homeroom: false,
            placements: [
                ScoringPlacement(hostSchoolID: 5, hostCode: "B", start: "2024-09-01", daysInPeriod: 100),
                ScoringPlacement(hostSchoolID: 6, hostCode: "C", start: "2025-01-01", daysInPeriod: 100),
                ScoringPlacement(hostSchoolID: 7, hostCode: "A", start: "2025-06-01", daysInPeriod: 50),
            ],
            ethicsViolationInPeriod: false,
            scores: [5, 6].flatMap { school in ["ethics", "teaching", "care", "growth"].map { score(school, $0, "95") } })
        // R2: same days and start: host code "A" (school 9) before "B" (school 8). All 99: 99.2 + 3 → 100.
        var r2 = oneSchool(2, "R2", school: 8, e: "99", t: "99", c: "99", g: "99")
        r2.placements = [
            ScoringPlacement(hostSchoolID: 8, hostCode: "B", start: "2024-09-01", daysInPeriod: 180),
            ScoringPlacement(hostSchoolID: 9, hostCode: "A", start: "2024-09-01", daysInPeriod: 180),
        ]
        // R3: no placement: the home school, no bonus.
        let r3 = oneSchool(3, "R3", school: 4, e: "99", t: "99", c: "99", g: "99")
        let outcome = Scoring.score([r1, r2, r3], pools: [:], rules: rules)
        #expect(outcome.teachers.map(\.unitSchoolID) == [6, 9, 4])
        #expect(outcome.teachers.map(\.rotationBonus) == [3, 3, 0])
        #expect(outcome.teachers.map(\.total) == [99, 100, dec("99.2")])
        #expect(outcome.units.map(\.unitSchoolID) == [4, 6, 9])
    }

    @Test("a teacher without workload is not graded; a unit of fails leaves its pool undistributed")
    func noWorkloadAndAllFail() throws {
        // Scores at school 4 without a share there: ignored; no share anywhere: no workload.
        let idle = ScoringTeacher(
            staffID: 1, staffNo: "W1", homeSchoolID: 4, periodDays: [4: 0], weightedPeriodDays: 0, daysInPeriod: 180,
            homeroom: true, placements: [], ethicsViolationInPeriod: false, scores: [score(4, "ethics", "90")])
        var violator = oneSchool(2, "W2", school: 4, e: "95", t: "95", c: "95", g: "95")
        violator.ethicsViolationInPeriod = true
        let vetoed = oneSchool(3, "W3", school: 4, e: "59.9", t: "95", c: "95", g: "95")
        let outcome = Scoring.score([idle, violator, vetoed], pools: [4: 50_000, 99: 7_000], rules: rules)
        let w1 = outcome.teachers[0]
        #expect(w1.status == .noWorkload && w1.unitSchoolID == 4)
        #expect(w1.dimensionScores.isEmpty && w1.workloadScore == 0)
        #expect(w1.total == nil && w1.grade == nil && w1.payShare == nil && w1.payFen == nil && w1.missing.isEmpty)
        #expect(outcome.teachers[1...].map(\.grade) == [.fail, .fail])
        #expect(outcome.teachers[1...].map(\.reason) == [.ethicsViolation, .ethicsVeto])
        #expect(outcome.teachers[1...].map(\.payFen) == [0, 0])
        #expect(outcome.units == [
            UnitResult(
                unitSchoolID: 4, graded: 2, incomplete: 0, noWorkload: 1, quota: 0, candidates: 0, excellent: 0,
                counts: [.excellent: 0, .pass: 0, .basicPass: 0, .fail: 2], pending: false, tieTotal: nil,
                tieStaffIDs: [], poolFen: 50_000, allocatedFen: 0, undistributedFen: 50_000),
            // a pool for a unit without teachers is reported undistributed
            UnitResult(
                unitSchoolID: 99, graded: 0, incomplete: 0, noWorkload: 0, quota: 0, candidates: 0, excellent: 0,
                counts: [.excellent: 0, .pass: 0, .basicPass: 0, .fail: 0], pending: false, tieTotal: nil,
                tieStaffIDs: [], poolFen: 7_000, allocatedFen: 0, undistributedFen: 7_000),
        ])
    }

    @Test("the total rounds half-up at the .005 boundary, and the thresholds use the rounded total")
    func roundingBoundary() throws {
        // 0.2 × 90 + 20 + 0.3 × 80 + 0.15 × (76.6 + 76.7) = 18 + 20 + 24 + 22.995 = 84.995 → 85.00,
        // which makes a 优秀 candidate; 18.02 + 20 + 24 + 0.15 × 153.1 = 84.985 → 84.99 (half-even
        // would give 84.98), not a candidate.
        let up = oneSchool(1, "H1", e: "90", t: "80", c: "76.6", g: "76.7")
        let down = oneSchool(2, "H2", e: "90.1", t: "80", c: "76.5", g: "76.6")
        let outcome = Scoring.score([up, down], pools: [:], rules: rules)
        #expect(outcome.teachers.map(\.total) == [85, dec("84.99")])
        #expect(outcome.teachers.map(\.reason) == [.outsideQuota, .belowExcellentMin])
        #expect(outcome.teachers.map(\.excellentRank) == [1, nil])
        // the exact fractions behind the scores round the same way
        #expect(Rational(1, 8).decimal(places: 2) == dec("0.13"))
        #expect(Rational(-1, 8).decimal(places: 2) == dec("-0.13"))
        #expect(Rational(2, 3).decimal(places: 6) == dec("0.666667"))
        #expect(Rational(exactly: dec("-12.50")) == Rational(-25, 2))
        #expect(Rational(exactly: .nan) == nil)
    }

    // MARK: - Helpers

    /// An exact decimal from its text.
    private func dec(_ text: String) -> Decimal {
        Decimal(string: text) ?? .nan
    }

    /// One school's aggregated score (one evaluator unless said).
    private func score(_ school: Int, _ dimension: String, _ sum: String, _ count: Int = 1) -> SchoolDimensionScore {
        SchoolDimensionScore(schoolID: school, dimension: dimension, sum: dec(sum), count: count)
    }

    /// A teacher with 14 periods a week for the whole 180-day period at their home school (workload
    /// 100), scored by one evaluator there.
    private func oneSchool(
        _ id: Int64, _ no: String, school: Int = 1, e: String, t: String, c: String, g: String
    ) -> ScoringTeacher {
        ScoringTeacher(
            staffID: id, staffNo: no, homeSchoolID: school, periodDays: [school: 2520], weightedPeriodDays: 2520,
            daysInPeriod: 180, homeroom: false, placements: [], ethicsViolationInPeriod: false,
            scores: [score(school, "ethics", e), score(school, "teaching", t), score(school, "care", c), score(school, "growth", g)])
    }
}
