/// Why a grade is what it is, for the explanations of the report.
public enum GradeReason: String, Sendable {
    /// 不合格: a veto dimension (师德) is below `ethicsVeto`.
    case ethicsVeto = "ethics_veto"
    /// 不合格: an ethics violation is dated within the period.
    case ethicsViolation = "ethics_violation"
    /// 不合格: the total is below `basicPassMin`.
    case belowBasicPass = "below_basic_pass"
    /// 基本合格: the total is below `passMin`.
    case belowPass = "below_pass"
    /// 合格: the total is below `excellentMin`, so not a 优秀 candidate.
    case belowExcellentMin = "below_excellent_min"
    /// 合格: a 优秀 candidate ranked outside the unit's quota.
    case outsideQuota = "outside_quota"
    /// 优秀: a candidate ranked within the unit's quota.
    case withinQuota = "within_quota"
}
