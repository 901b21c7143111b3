/// A school as the title rules see it: its current rural flag and tier, which apply to every date
/// (domain.md §9).
public struct TitleSchool: Sendable, Hashable {
    /// 农村.
    public var rural: Bool
    /// 1 优质, 2 普通, 3 薄弱.
    public var tier: Int

    public init(rural: Bool, tier: Int) {
        self.rural = rural
        self.tier = tier
    }

    /// Rural or weak (tier 3): teaching here counts toward the 高级 / 正高级 experience rule.
    public var isWeakOrRural: Bool { rural || tier == 3 }
}
