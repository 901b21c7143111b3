/// The kinds of CSV file Xuequ imports and exports (see docs/csv-formats.md), in load order.
public enum ImportKind: String, CaseIterable, Sendable {
    case districts, clusters, schools, campuses, groups
    case groupMembers = "group-members"
    case staff
    case homeSchools = "home-schools"
    case titles
    case keyLevels = "key-levels"
    case statuses, posts
    case homeroomYears = "homeroom-years"
    case training, ethics, loads
    case assignments
    case assignmentSlots = "assignment-slots"
    case openings, wishes
    case evaluationPeriods = "evaluation-periods"
    case evaluations
    case incentivePools = "incentive-pools"
    case annualGrades = "annual-grades"

    /// The default file name in a folder of import files.
    public var fileName: String { rawValue + ".csv" }
}
