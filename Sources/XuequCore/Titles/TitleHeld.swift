/// A title (职称) a teacher holds and the date it was obtained.
public struct TitleHeld: Sendable, Equatable {
    public var level: TitleLevel
    public var obtainedOn: Day

    public init(level: TitleLevel, obtainedOn: Day) {
        self.level = level
        self.obtainedOn = obtainedOn
    }
}
