import Foundation

/// One teacher's inputs for a period, gathered set-based by the nightly batch.
public struct ScoringTeacher: Sendable, Equatable {
    public var staffID: Int64
    public var staffNo: String
    /// The teacher's home school (编制所在学校): the assessment unit when there is no placement.
    public var homeSchoolID: Int
    /// Period-days per school (periods/week × days of overlap), exact decimals, only schools with > 0.
    public var periodDays: [Int: Decimal]
    /// Σ periods/week × days × (crossSchoolFactor for cross-school parts, else 1), exact.
    public var weightedPeriodDays: Decimal
    /// Days in the period (end − start + 1).
    public var daysInPeriod: Int
    /// 班主任 in the period.
    public var homeroom: Bool
    /// 交流轮岗 placements overlapping the period by ≥ 1 day.
    public var placements: [ScoringPlacement]
    /// An ethics (师德) violation is dated within the period.
    public var ethicsViolationInPeriod: Bool
    /// Evaluator scores aggregated per (school, dimension).
    public var scores: [SchoolDimensionScore]

    public init(
        staffID: Int64, staffNo: String, homeSchoolID: Int, periodDays: [Int: Decimal], weightedPeriodDays: Decimal,
        daysInPeriod: Int, homeroom: Bool, placements: [ScoringPlacement], ethicsViolationInPeriod: Bool,
        scores: [SchoolDimensionScore]
    ) {
        self.staffID = staffID
        self.staffNo = staffNo
        self.homeSchoolID = homeSchoolID
        self.periodDays = periodDays
        self.weightedPeriodDays = weightedPeriodDays
        self.daysInPeriod = daysInPeriod
        self.homeroom = homeroom
        self.placements = placements
        self.ethicsViolationInPeriod = ethicsViolationInPeriod
        self.scores = scores
    }
}
