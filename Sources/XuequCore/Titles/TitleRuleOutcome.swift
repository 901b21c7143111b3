/// How one title rule came out for a teacher.
public enum TitleRuleOutcome: String, Sendable {
    case pass
    case fail
    /// The data the rule needs is not recorded.
    case missing
    /// The rule is switched off in the policy or does not apply to this teacher and target.
    case off
}
