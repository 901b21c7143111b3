/// A 交流轮岗 (full-time rotation) placement of a teacher, as far as it overlaps the period.
public struct ScoringPlacement: Sendable, Equatable {
    public var hostSchoolID: Int
    /// The host school's code: the last tie-breaker when choosing the assessment unit.
    public var hostCode: String
    /// The placement's first day, `YYYY-MM-DD`.
    public var start: String
    /// Days of the placement inside the period.
    public var daysInPeriod: Int

    public init(hostSchoolID: Int, hostCode: String, start: String, daysInPeriod: Int) {
        self.hostSchoolID = hostSchoolID
        self.hostCode = hostCode
        self.start = start
        self.daysInPeriod = daysInPeriod
    }
}
