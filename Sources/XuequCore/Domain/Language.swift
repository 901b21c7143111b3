/// The language of messages and reports meant for people: Chinese by default, English on request.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// Picks the Chinese or the English text.
    @inlinable
    public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
