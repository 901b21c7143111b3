/// A column of a `Report`: a stable machine key, a human title and a table alignment.
public struct ReportColumn: Sendable, Hashable {
    /// The JSON key and CSV header, e.g. `staff_no`.
    public var key: String
    /// The table header, e.g. `工号`.
    public var title: String
    /// The alignment in table output.
    public var alignment: TextAlignment

    /// Creates a column; the title defaults to the key.
    public init(key: String, title: String? = nil, alignment: TextAlignment = .left) {
        self.key = key
        self.title = title ?? key
        self.alignment = alignment
    }
}
