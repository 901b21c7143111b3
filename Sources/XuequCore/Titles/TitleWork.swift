import Foundation

/// One piece of cross-school work (跨校任教) that happened or is approved: approved, active or
/// ended assignments only, never proposed, cancelled or rejected ones. Range [from, until).
public struct TitleWork: Sendable, Equatable {
    public var kind: AssignmentKind
    /// The host school.
    public var school: TitleSchool
    public var periodsPerWeek: Decimal
    public var from: Day
    /// The first day after the work (exclusive).
    public var until: Day

    public init(kind: AssignmentKind, school: TitleSchool, periodsPerWeek: Decimal, from: Day, until: Day) {
        self.kind = kind
        self.school = school
        self.periodsPerWeek = periodsPerWeek
        self.from = from
        self.until = until
    }

    /// The work runs on `day`.
    public func contains(_ day: Day) -> Bool { from <= day && day < until }
}
