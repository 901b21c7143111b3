/// A column that an import accepts, identified by an English snake_case key and also
/// recognised by its aliases (such as the Chinese headers offices actually use).
public struct CSVColumn: Sendable, Hashable {
    /// The canonical English key, e.g. `staff_no`.
    public var key: String
    /// Other accepted header texts, e.g. `工号`, `教职工编号`.
    public var aliases: [String]
    /// Whether the header must contain this column.
    public var required: Bool

    /// Creates a column spec.
    public init(key: String, aliases: [String] = [], required: Bool = false) {
        self.key = key
        self.aliases = aliases
        self.required = required
    }
}
