/// A sentence for people in both languages; shown in Chinese unless `--lang en`.
public struct Message: Error, Sendable, Hashable, CustomStringConvertible {
    public let zh: String
    public let en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(_ language: Language) -> String { language == .zh ? zh : en }
    public var description: String { zh }
}
