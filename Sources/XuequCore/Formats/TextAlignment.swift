/// Horizontal alignment of a column in a text table.
public enum TextAlignment: String, Sendable, Hashable, CaseIterable {
    /// Pad on the right.
    case left
    /// Pad on the left (for numbers).
    case right
}
