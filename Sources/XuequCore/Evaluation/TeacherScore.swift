import Foundation

/// One teacher's result for the period: dimension scores, total, grade and pay.
public struct TeacherScore: Sendable, Equatable {
    public var staffID: Int64
    public var staffNo: String
    /// The assessment unit: the host of the longest 交流轮岗 placement in the period, else home.
    public var unitSchoolID: Int
    public var status: ScoringStatus
    /// The combined score of every dimension that could be computed (evaluator dimensions whose
    /// schools have all scored, and the computed `workload`), rounded half-up to 6 decimals.
    /// Empty for a teacher without workload.
    public var dimensionScores: [String: Decimal]
    /// The workload score, rounded half-up to 6 decimals; 0 without workload.
    public var workloadScore: Decimal
    /// The rotation bonus added to the total: 0, or the policy's bonus for a placement in the period.
    public var rotationBonus: Decimal
    /// Σ weight × score / 100 + bonus, capped at 100, rounded half-up to 2 decimals; nil unless graded.
    public var total: Decimal?
    /// Nil unless graded.
    public var grade: Grade?
    public var reason: GradeReason?
    /// The unit is pending (some teacher of it is incomplete), so the quota may still move.
    public var provisional: Bool
    /// The 1-based rank among the unit's 优秀 candidates, for a candidate.
    public var excellentRank: Int?
    /// total × grade coefficient × (1 + homeroomCoef for a 班主任), exact; nil unless graded.
    public var payShare: Decimal?
    /// The amount in fen; nil when the unit is pending, has no pool, or the teacher is not graded.
    public var payFen: Int64?
    /// The (school, dimension) scores still missing, by school then rubric order.
    public var missing: [MissingScore]

    public init(
        staffID: Int64, staffNo: String, unitSchoolID: Int, status: ScoringStatus, dimensionScores: [String: Decimal],
        workloadScore: Decimal, rotationBonus: Decimal, total: Decimal?, grade: Grade?, reason: GradeReason?,
        provisional: Bool, excellentRank: Int?, payShare: Decimal?, payFen: Int64?, missing: [MissingScore]
    ) {
        self.staffID = staffID
        self.staffNo = staffNo
        self.unitSchoolID = unitSchoolID
        self.status = status
        self.dimensionScores = dimensionScores
        self.workloadScore = workloadScore
        self.rotationBonus = rotationBonus
        self.total = total
        self.grade = grade
        self.reason = reason
        self.provisional = provisional
        self.excellentRank = excellentRank
        self.payShare = payShare
        self.payFen = payFen
        self.missing = missing
    }
}
