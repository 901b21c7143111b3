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
    public static func parse(_ text: String) -> Self? {
        let t = text.trimmingCharacters(in: .whitespaces)
        for value in allCases {
            if value.rawValue.caseInsensitiveCompare(t) == .orderedSame || value.zh == t || value.aliases.contains(t) {
                return value
            }
        }
        return nil
    }

    /// The accepted values, for error messages: `primary (小学), junior (初中) …`.
    public static var acceptedList: String {
        allCases.map { "\($0.rawValue) (\($0.zh))" }.joined(separator: ", ")
    }

    /// The label in a language.
    public func label(_ language: Language) -> String { language == .zh ? zh : en }
}

import Foundation
