/// One spell of a teacher's home-school (编制所在学校) history: [from, until).
public struct TitleHomeSpell: Sendable, Equatable {
    public var school: TitleSchool
    public var from: Day
    /// The first day no longer at this school (exclusive); nil while the spell is open.
    public var until: Day?

    public init(school: TitleSchool, from: Day, until: Day?) {
        self.school = school
        self.from = from
        self.until = until
    }

    /// The spell holds on `day`.
    public func contains(_ day: Day) -> Bool { from <= day && (until.map { day < $0 } ?? true) }
}
