import Foundation

/// One assessment unit's counts, 优秀 quota, boundary tie and pool allocation.
public struct UnitResult: Sendable, Equatable {
    public var unitSchoolID: Int
    /// Teachers graded, 不合格 included.
    public var graded: Int
    public var incomplete: Int
    public var noWorkload: Int
    /// floor(excellentShare × graded), exact.
    public var quota: Int
    /// Teachers otherwise 合格 with a total ≥ excellentMin.
    public var candidates: Int
    public var excellent: Int
    /// Graded teachers per grade; every grade is present, 0 included.
    public var counts: [Grade: Int]
    /// Some teacher of the unit is incomplete: grades are provisional and no amounts are paid.
    public var pending: Bool
    /// The rounded total shared by the last candidate inside the quota and the first outside it.
    public var tieTotal: Decimal?
    /// Every candidate at `tieTotal`, in rank order; empty without a tie.
    public var tieStaffIDs: [Int64]
    /// The unit's pool in fen; nil when HR has set none.
    public var poolFen: Int64?
    /// Σ of the amounts paid; 0 when pending or without a pool.
    public var allocatedFen: Int64
    /// The pool left unpaid because every share is 0 (or the pool is negative); 0 when pending.
    public var undistributedFen: Int64

    public init(
        unitSchoolID: Int, graded: Int, incomplete: Int, noWorkload: Int, quota: Int, candidates: Int, excellent: Int,
        counts: [Grade: Int], pending: Bool, tieTotal: Decimal?, tieStaffIDs: [Int64], poolFen: Int64?,
        allocatedFen: Int64, undistributedFen: Int64
    ) {
        self.unitSchoolID = unitSchoolID
        self.graded = graded
        self.incomplete = incomplete
        self.noWorkload = noWorkload
        self.quota = quota
        self.candidates = candidates
        self.excellent = excellent
        self.counts = counts
        self.pending = pending
        self.tieTotal = tieTotal
        self.tieStaffIDs = tieStaffIDs
        self.poolFen = poolFen
        self.allocatedFen = allocatedFen
        self.undistributedFen = undistributedFen
    }
}
