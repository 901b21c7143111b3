import XuequCore

/// One located problem in an import file: file, line, column, the value and why it is refused.
public struct ImportIssue: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    /// 1-based physical line where the record starts; 0 for problems with the whole file.
    public let line: Int
    public let column: String?
    public let value: String?
    public let message: Message

    public init(file: String, line: Int, column: String?, value: String?, message: Message) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.message = message
    }

    /// `staff.csv:12: birth_date "1980-02-30": 不是有效日期`.
    public func text(_ language: Language) -> String {
        var s = line > 0 ? "\(file):\(line)" : file
        if let column {
            s += ": \(column)"
            if let value { s += " \"\(Self.clip(value))\"" }
        }
        return s + ": " + message.text(language)
    }

    public var description: String { text(.en) }

    static func clip(_ v: String) -> String {
        let cleaned = v.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return cleaned.count > 60 ? String(cleaned.prefix(57)) + "…" : cleaned
    }
}
