extension TextTable {
    /// A column of a text table: its header title and alignment.
    public struct Column: Sendable, Hashable {
        /// The header text.
        public var title: String
        /// How cells (and the title) are aligned.
        public var alignment: TextAlignment

        /// Creates a column.
        public init(title: String, alignment: TextAlignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }
}
