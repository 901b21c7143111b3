/// The result of one scoring run.
public struct ScoringOutcome: Sendable, Equatable {
    /// Every teacher, by staff number in code-point order.
    public var teachers: [TeacherScore]
    /// Every unit with a teacher or a pool, by school id.
    public var units: [UnitResult]

    public init(teachers: [TeacherScore], units: [UnitResult]) {
        self.teachers = teachers
        self.units = units
    }
}
