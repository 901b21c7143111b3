import Foundation

/// A teacher's result while the run is working on it: the public result plus the exact values the
/// unit's ranking and pay need.
struct ScoringAssessment: Sendable {
    var score: TeacherScore
    let homeroom: Bool
    /// The rounded total, exact; 0 unless graded.
    let total: Rational
    /// The exact scores of `ScoringRules.tieBreakerKeys`, in order; empty unless graded.
    let tieBreakers: [Rational]
    /// Otherwise 合格 with a total ≥ excellentMin: competes for the unit's 优秀 quota.
    let isCandidate: Bool

    var isGraded: Bool { score.status == .graded }
}
