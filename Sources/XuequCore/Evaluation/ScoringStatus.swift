/// Whether a teacher could be graded for the period.
public enum ScoringStatus: String, Sendable, CaseIterable {
    /// Every school holding a share has scored every evaluator dimension.
    case graded
    /// A school holding a share has not scored some dimension: not graded, the unit is pending.
    case incomplete
    /// No share at any school in the period: not graded, takes no share of the pool.
    case noWorkload = "no_workload"
}
