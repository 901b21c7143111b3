/// A teacher's title eligibility on a date: the target, the standing, each rule, and when only
/// time-based rules fail, the day the teacher becomes eligible.
public struct TitleAssessment: Sendable, Equatable {
    public var staffID: Int64
    public var staffNo: String
    /// The highest title held on the as-of date; nil without one.
    public var current: TitleHeld?
    /// The next level; nil when already 正高级, or without a title and without an education record
    /// (which decides between 三级 and 二级).
    public var target: TitleLevel?
    public var status: TitleStatus
    /// Only when the status is blocked, every failing rule is time-based and the continuing-education
    /// window still holds enough hours then: the latest of the failing rules' pass dates.
    public var projectedOn: Day?
    /// Every rule in `TitleRule` order (off ones too); empty when the status is top.
    public var rules: [TitleRuleResult]

    public init(
        staffID: Int64, staffNo: String, current: TitleHeld?, target: TitleLevel?, status: TitleStatus,
        projectedOn: Day?, rules: [TitleRuleResult]
    ) {
        self.staffID = staffID
        self.staffNo = staffNo
        self.current = current
        self.target = target
        self.status = status
        self.projectedOn = projectedOn
        self.rules = rules
    }

    /// The result of one rule, or nil (only when the status is top).
    public func result(_ rule: TitleRule) -> TitleRuleResult? { rules.first { $0.rule == rule } }
}
