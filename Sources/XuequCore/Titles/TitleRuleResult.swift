/// One rule's result for one teacher: what the teacher has, what the rule needs, and a sentence.
public struct TitleRuleResult: Sendable, Equatable {
    public var rule: TitleRule
    public var outcome: TitleRuleOutcome
    /// What the teacher has, in numbers, dates and keys ("4y since 2021-09-01", "212.4 days",
    /// "2021:pass 2022:basic_pass"); "—" when the rule is off (not "-", which a spreadsheet reads as a formula).
    public var have: String
    /// What the rule needs, in the same terms ("5y", "365 days", "≥ pass"); "—" when off.
    public var need: String
    /// For a failing time-based rule: the first day on which it will pass; otherwise nil.
    public var passOn: Day?
    /// The rule fails now and will pass by itself on `passOn` (years, probation, ethics, experience
    /// being accrued); false for every other outcome.
    public var timeBased: Bool
    /// One sentence in Chinese and English naming have and need.
    public var message: Message

    public init(
        rule: TitleRule, outcome: TitleRuleOutcome, have: String, need: String, passOn: Day? = nil,
        timeBased: Bool = false, message: Message
    ) {
        self.rule = rule
        self.outcome = outcome
        self.have = have
        self.need = need
        self.passOn = passOn
        self.timeBased = timeBased
        self.message = message
    }
}
