/// What the demo-data generator should produce.
///
/// The defaults give one 东城区-like district: 60 schools, 4,000 staff, as of 2026-09-01.
public struct DemoParameters: Sendable, Hashable {
    /// The seed; the same parameters always give byte-identical output.
    public var seed: UInt64
    /// Number of districts (1 = 东城区 only; then the other Beijing districts, then synthetic ones). 1…999.
    public var districts: Int
    /// Schools in each district (≥ 1).
    public var schoolsPerDistrict: Int
    /// Staff over all districts, generated exactly (≥ 0).
    public var staff: Int
    /// The reference date: histories end on or before it, and it decides the current school year.
    public var asOf: DemoDate
    /// The share of active teachers given cross-school work in the current school year (0…1).
    public var assignmentShare: Double

    /// Creates parameters; every argument has the 东城区 default.
    public init(
        seed: UInt64 = 20_180_601,
        districts: Int = 1,
        schoolsPerDistrict: Int = 60,
        staff: Int = 4000,
        asOf: DemoDate = DemoDate(year: 2026, month: 9, day: 1),
        assignmentShare: Double = 0.08
    ) {
        self.assignmentShare = assignmentShare
        self.seed = seed
        self.districts = districts
        self.schoolsPerDistrict = schoolsPerDistrict
        self.staff = staff
        self.asOf = asOf
    }
}
