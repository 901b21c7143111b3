/// A teacher's standing for the next title.
public enum TitleStatus: String, Sendable {
    /// Every rule passes or is off.
    case eligible
    /// Some rule fails and none is missing data.
    case blocked
    /// Some rule lacks its data.
    case missingData = "missing_data"
    /// Already 正高级: there is no next title.
    case top
}
