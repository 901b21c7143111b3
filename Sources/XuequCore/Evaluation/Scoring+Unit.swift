import Foundation

extension Scoring {
    /// Settles one assessment unit: the 优秀 quota and its boundary tie, provisional grades while
    /// pending, pay shares and the pool's allocation.
    static func settle(
        unit: Int, members: [Int], assessments: inout [ScoringAssessment], pool: Int64?, rules: ScoringRules
    ) -> UnitResult {
        let graded = members.filter { assessments[$0].isGraded }
        let incomplete = members.filter { assessments[$0].score.status == .incomplete }.count
        let noWorkload = members.filter { assessments[$0].score.status == .noWorkload }.count
        let pending = incomplete > 0
        let quota = Int(clamping: (rules.excellentShare * Rational(graded.count)).floor)

        let candidates = graded.filter { assessments[$0].isCandidate }
            .sorted { ranksBefore(assessments[$0], assessments[$1]) }
        for (rank, index) in candidates.enumerated() {
            assessments[index].score.excellentRank = rank + 1
            if rank < quota {
                assessments[index].score.grade = .excellent
                assessments[index].score.reason = .withinQuota
            } else {
                assessments[index].score.reason = .outsideQuota
            }
        }
        var tieTotal: Decimal?
        var tieStaffIDs: [Int64] = []
        if quota >= 1, candidates.count > quota,
           assessments[candidates[quota - 1]].total == assessments[candidates[quota]].total {
            let boundary = assessments[candidates[quota]].total
            tieTotal = boundary.decimal(places: 2)
            tieStaffIDs = candidates.filter { assessments[$0].total == boundary }.map { assessments[$0].score.staffID }
        }

        var counts = Dictionary(uniqueKeysWithValues: Grade.allCases.map { ($0, 0) })
        for index in graded {
            let score = assessments[index].score
            guard let grade = score.grade, let total = score.total else { continue }
            counts[grade, default: 0] += 1
            assessments[index].score.provisional = pending
            assessments[index].score.payShare = rules.payShare(total: total, grade: grade, homeroom: assessments[index].homeroom)
        }

        var allocated: Int64 = 0
        var undistributed: Int64 = 0
        if let pool, !pending {
            let payees = graded.map { index in
                let score = assessments[index].score
                return (staffNo: score.staffNo, share: score.payShare.map { ScoringRules.exact($0, "pay share") } ?? .zero)
            }
            if pool < 0 {
                // not a pool that can be paid out: reported, never allocated
                undistributed = pool
            } else if let amounts = largestRemainder(pool: pool, shares: payees) {
                for (index, amount) in zip(graded, amounts) { assessments[index].score.payFen = amount }
                allocated = pool
            } else {
                // every share is 0: nobody is paid, the pool stays undistributed
                for index in graded { assessments[index].score.payFen = 0 }
                undistributed = pool
            }
        }

        return UnitResult(
            unitSchoolID: unit, graded: graded.count, incomplete: incomplete, noWorkload: noWorkload, quota: quota,
            candidates: candidates.count, excellent: min(quota, candidates.count), counts: counts, pending: pending,
            tieTotal: tieTotal, tieStaffIDs: tieStaffIDs, poolFen: pool, allocatedFen: allocated,
            undistributedFen: undistributed)
    }

    /// The 优秀 order: rounded total desc, the veto dimensions then teaching by exact score desc,
    /// staff number ascending in code-point order.
    static func ranksBefore(_ a: ScoringAssessment, _ b: ScoringAssessment) -> Bool {
        if a.total != b.total { return a.total > b.total }
        for (x, y) in zip(a.tieBreakers, b.tieBreakers) where x != y { return x > y }
        if a.score.staffNo != b.score.staffNo { return codePointPrecedes(a.score.staffNo, b.score.staffNo) }
        return a.score.staffID < b.score.staffID
    }
}
