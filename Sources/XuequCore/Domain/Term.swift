/// A closed vocabulary of the domain (学段, 职称 …): an English key stored in the database,
/// the Chinese word people use, and further spellings accepted on import.
public protocol Term: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    /// The Chinese word shown to users.
    var zh: String { get }
    /// The English label shown with `--lang en`.
    var en: String { get }
    /// Other accepted spellings (besides the key and `zh`).
    var aliases: [String] { get }
}

extension Term {
    public var aliases: [String] { [] }

    /// Parses the English key (any case), the Chinese word or an alias; nil when unknown.
    /// For parsing many values, build a `TermLookup` once instead.
    public static func parse(_ text: String) -> Self? {
        TermLookup(Self.self).parse(text)
    }

    /// The accepted values, for error messages: `primary (小学), junior (初中) …`.
    public static var acceptedList: String {
        allCases.map { "\($0.rawValue) (\($0.zh))" }.joined(separator: ", ")
    }

    /// The label in a language.
    public func label(_ language: Language) -> String { language == .zh ? zh : en }
}


/// A dictionary from every accepted spelling of a term (key in lower case, Chinese word, aliases)
/// to the term: one hash lookup per value when an import parses thousands of rows.
public struct TermLookup<T: Term>: Sendable {
    let map: [String: T]

    public init(_ type: T.Type) {
        var map: [String: T] = [:]
        for value in T.allCases {
            map[value.rawValue.lowercased()] = value
            map[value.zh] = value
            for alias in value.aliases { map[alias] = value }
        }
        self.map = map
    }

    public func parse(_ text: String) -> T? {
        let t = text.trimmedSpaces
        return map[t] ?? map[t.lowercased()]
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and full-width spaces (U+3000); cheaper
    /// than Foundation's trimming for the millions of cells of a large import.
    public var trimmedSpaces: String {
        let scalars = unicodeScalars
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\u{3000}" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}
