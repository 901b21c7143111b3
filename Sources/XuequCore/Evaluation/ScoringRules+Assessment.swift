import Foundation

extension ScoringRules {
    /// One teacher's unit, dimension scores, total and grade before the unit's quota (domain.md §6, §9).
    func assess(_ teacher: ScoringTeacher) -> ScoringAssessment {
        let unit = Self.unit(of: teacher)
        let shares = teacher.periodDays
            .map { (school: $0.key, share: Self.exact($0.value, "periodDays[\($0.key)] of \(teacher.staffNo)")) }
            .filter { $0.share > .zero }
            .sorted { $0.school < $1.school }
        guard !shares.isEmpty, teacher.daysInPeriod > 0 else {
            return ScoringAssessment(
                score: TeacherScore(
                    staffID: teacher.staffID, staffNo: teacher.staffNo, unitSchoolID: teacher.homeSchoolID,
                    status: .noWorkload, dimensionScores: [:], workloadScore: 0, rotationBonus: 0, total: nil, grade: nil,
                    reason: nil, provisional: false, excellentRank: nil, payShare: nil, payFen: nil, missing: []),
                homeroom: teacher.homeroom, total: .zero, tieBreakers: [], isCandidate: false)
        }

        let workload = workloadScore(teacher)
        let (combined, missing) = combine(teacher, shares: shares, workload: workload)
        let hasPlacement = teacher.placements.contains { $0.daysInPeriod >= 1 }
        var score = TeacherScore(
            staffID: teacher.staffID, staffNo: teacher.staffNo, unitSchoolID: unit, status: .incomplete,
            dimensionScores: combined.mapValues { $0.decimal(places: 6) }, workloadScore: workload.decimal(places: 6),
            rotationBonus: hasPlacement ? rotationBonus : 0, total: nil, grade: nil, reason: nil, provisional: false,
            excellentRank: nil, payShare: nil, payFen: nil, missing: missing)
        guard missing.isEmpty else {
            return ScoringAssessment(score: score, homeroom: teacher.homeroom, total: .zero, tieBreakers: [], isCandidate: false)
        }

        var exactTotal = hasPlacement ? rotationBonusExact : .zero
        for (dimension, weight) in zip(rubric, weights) {
            exactTotal = exactTotal + weight * (combined[dimension.key] ?? .zero) / Rational(100)
        }
        let total = min(exactTotal, Rational(100)).rounded(places: 2)
        let (grade, reason) = grade(teacher, combined: combined, total: total)
        score.status = .graded
        score.total = total.decimal(places: 2)
        score.grade = grade
        score.reason = reason
        return ScoringAssessment(
            score: score, homeroom: teacher.homeroom, total: total,
            tieBreakers: tieBreakerKeys.map { combined[$0] ?? .zero },
            isCandidate: grade == .pass && total >= excellentMin)
    }

    /// The host of the 交流轮岗 placement with the most days in the period (ties: the later start,
    /// then the host code in code-point order); the home school without one.
    static func unit(of teacher: ScoringTeacher) -> Int {
        let longest = teacher.placements.filter { $0.daysInPeriod >= 1 }.min { a, b in
            if a.daysInPeriod != b.daysInPeriod { return a.daysInPeriod > b.daysInPeriod }
            if a.start != b.start { return Scoring.codePointPrecedes(b.start, a.start) }
            return Scoring.codePointPrecedes(a.hostCode, b.hostCode)
        }
        return longest?.hostSchoolID ?? teacher.homeSchoolID
    }

    /// min(100, 100 × weighted periods / standard), where weighted periods = weighted period-days ÷
    /// days in the period, + half a standard load for a 班主任.
    func workloadScore(_ teacher: ScoringTeacher) -> Rational {
        let weightedPeriodDays = Self.exact(teacher.weightedPeriodDays, "weightedPeriodDays of \(teacher.staffNo)")
        var weighted = weightedPeriodDays / Rational(teacher.daysInPeriod)
        if teacher.homeroom { weighted = weighted + standardWeeklyPeriods / Rational(2) }
        return min(Rational(100), Rational(100) * weighted / standardWeeklyPeriods)
    }

    /// Every dimension that can be combined: an evaluator dimension is the share-weighted mean of the
    /// schools' evaluator averages, computed when every school holding a share has scored it; the
    /// missing (school, dimension) pairs come by school, then rubric order. Scores from schools
    /// without a share are ignored.
    func combine(
        _ teacher: ScoringTeacher, shares: [(school: Int, share: Rational)], workload: Rational
    ) -> (combined: [String: Rational], missing: [MissingScore]) {
        // the scores given, by (school, dimension)
        var given: [MissingScore: (sum: Rational, count: Int)] = [:]
        for entry in teacher.scores where entry.count > 0 {
            let key = MissingScore(schoolID: entry.schoolID, dimension: entry.dimension)
            let sum = Self.exact(entry.sum, "score sum of \(teacher.staffNo) at \(entry.schoolID)")
            let earlier = given[key] ?? (.zero, 0)
            given[key] = (earlier.sum + sum, earlier.count + entry.count)
        }
        let evaluated = rubric.filter { $0.source != "computed" }
        var weightedSums: [String: Rational] = [:]
        var missing: [MissingScore] = []
        for (school, share) in shares {
            for dimension in evaluated {
                let key = MissingScore(schoolID: school, dimension: dimension.key)
                guard let scored = given[key] else {
                    missing.append(key)
                    continue
                }
                let average = scored.sum / Rational(scored.count)
                weightedSums[dimension.key] = (weightedSums[dimension.key] ?? .zero) + share * average
            }
        }
        let totalShare = shares.reduce(Rational.zero) { $0 + $1.share }
        let incomplete = Set(missing.map(\.dimension))
        var combined: [String: Rational] = [:]
        for dimension in rubric {
            if dimension.source == "computed" {
                combined[dimension.key] = workload
            } else if !incomplete.contains(dimension.key) {
                combined[dimension.key] = (weightedSums[dimension.key] ?? .zero) / totalShare
            }
        }
        return (combined, missing)
    }

    /// The grade before the quota: a veto dimension below the line, a violation in the period, then
    /// the thresholds on the rounded total. 合格 here may still become 优秀 in the unit.
    func grade(_ teacher: ScoringTeacher, combined: [String: Rational], total: Rational) -> (Grade, GradeReason) {
        if rubric.contains(where: { $0.veto && (combined[$0.key] ?? .zero) < ethicsVeto }) { return (.fail, .ethicsVeto) }
        if teacher.ethicsViolationInPeriod { return (.fail, .ethicsViolation) }
        if total < basicPassMin { return (.fail, .belowBasicPass) }
        if total < passMin { return (.basicPass, .belowPass) }
        // a candidate's reason is settled by the unit's quota
        return (.pass, total < excellentMin ? .belowExcellentMin : .outsideQuota)
    }
}
