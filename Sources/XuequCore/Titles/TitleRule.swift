/// The title rules of domain.md §7, in the order an assessment reports them.
public enum TitleRule: String, Sendable, CaseIterable {
    /// Years at the current level (or probation since first employment), by education.
    case years
    /// Every annual grade since the current title ≥ 合格.
    case grades
    /// No 师德 violation in the look-back.
    case ethics
    /// 班主任 years.
    case homeroom
    /// Days at rural or weak schools, for 高级 and 正高级 from an urban school.
    case experience
    /// Continuing-education hours in the window.
    case training
}
