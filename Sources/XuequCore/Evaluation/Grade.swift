/// An annual grade (年度考核等次); the raw values are the database's.
public enum Grade: String, Sendable, CaseIterable {
    /// 优秀
    case excellent
    /// 合格
    case pass
    /// 基本合格
    case basicPass = "basic_pass"
    /// 不合格
    case fail
}
