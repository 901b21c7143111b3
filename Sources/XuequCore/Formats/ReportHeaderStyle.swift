/// Which names a report's CSV header record uses.
public enum ReportHeaderStyle: String, Sendable, Hashable, CaseIterable {
    /// The stable English column keys, e.g. `staff_no` (for re-import and scripts).
    case keys
    /// The human titles, e.g. `工号` (for opening in Excel).
    case titles
}
