import Foundation
import XuequCore

/// How one CSV field is checked and turned into the text COPY sends to the staging table.
struct FieldType: Sendable {
    /// The staging column's SQL type.
    let sqlType: String
    /// Returns the normalised value, or a message saying why the text is refused.
    let parse: @Sendable (String) -> Result<String, Message>

    static let code = FieldType(sqlType: "text") { t in
        let ok = !t.isEmpty && t.utf8.count <= 32 && t.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 45 }
        return ok ? .success(t) : .failure(Message(zh: "代码只能由字母、数字、_ 和 - 组成，最多 32 个字符",
                                                   en: "a code is 1–32 letters, digits, _ or -"))
    }

    static func text(max: Int) -> FieldType {
        FieldType(sqlType: "text") { t in
            if t.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return .failure(Message(zh: "含有控制字符", en: "contains control characters"))
            }
            if t.count > max {
                return .failure(Message(zh: "过长（最多 \(max) 个字符）", en: "too long (at most \(max) characters)"))
            }
            return .success(t)
        }
    }

    static let date = FieldType(sqlType: "date") { t in
        if let d = CivilDate.normalize(t) { return .success(d) }
        return .failure(Message(zh: "不是有效日期（格式 YYYY-MM-DD）", en: "not a valid date (YYYY-MM-DD)"))
    }

    static func integer(_ range: ClosedRange<Int>) -> FieldType {
        FieldType(sqlType: "integer") { t in
            guard let v = Int(t), range.contains(v) else {
                return .failure(Message(zh: "应为 \(range.lowerBound)–\(range.upperBound) 之间的整数",
                                        en: "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            }
            return .success(String(v))
        }
    }

    /// A decimal with at most `scale` digits after the point, in `range`; parsed exactly as text.
    static func decimal(scale: Int, _ range: ClosedRange<Decimal>) -> FieldType {
        FieldType(sqlType: "numeric") { t in
            let bad = Message(zh: "应为 \(range.lowerBound)–\(range.upperBound) 之间、最多 \(scale) 位小数的数",
                              en: "must be a number from \(range.lowerBound) to \(range.upperBound) with at most \(scale) decimals")
            let body = t.hasPrefix("-") || t.hasPrefix("+") ? t.dropFirst() : Substring(t)
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  parts.count == 1 || (1...scale).contains(parts[1].count),
                  let v = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")), range.contains(v)
            else { return .failure(bad) }
            return .success(t.hasPrefix("+") ? String(t.dropFirst()) : t)
        }
    }

    static func term<T: Term>(_ type: T.Type) -> FieldType {
        let lookup = TermLookup(T.self)
        return FieldType(sqlType: "text") { t in
            if let v = lookup.parse(t) { return .success(v.rawValue) }
            return .failure(Message(zh: "不是可用的值；可用：\(T.acceptedList)", en: "not an accepted value; use one of \(T.acceptedList)"))
        }
    }

    /// A list of terms separated by `;`, `；`, `、`, `|` or `,`; staged as a text[] literal.
    static func termList<T: Term>(_ type: T.Type) -> FieldType {
        let lookup = TermLookup(T.self)
        return FieldType(sqlType: "text[]") { t in
            var keys: [String] = []
            for part in splitList(t) {
                guard let v = lookup.parse(part) else {
                    return .failure(Message(zh: "“\(part)”不是可用的值；可用：\(T.acceptedList)", en: "\"\(part)\" is not an accepted value; use \(T.acceptedList)"))
                }
                if !keys.contains(v.rawValue) { keys.append(v.rawValue) }
            }
            return .success("{" + keys.joined(separator: ",") + "}")
        }
    }

    /// A time of day, `H:MM` or `HH:MM` (seconds are refused: a timetable counts minutes).
    static let timeOfDay = FieldType(sqlType: "time") { t in
        let parts = t.replacingOccurrences(of: "：", with: ":").split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
           let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) {
            return .success(String(format: "%02d:%02d", h, m))
        }
        return .failure(Message(zh: "不是有效时间（格式 HH:MM，如 08:00）", en: "not a valid time (HH:MM, e.g. 08:00)"))
    }

    static let bool = FieldType(sqlType: "boolean") { t in
        switch t.lowercased() {
        case "true", "t", "1", "yes", "y", "是", "农村": return .success("true")
        case "false", "f", "0", "no", "n", "否", "城区", "城市": return .success("false")
        default: return .failure(Message(zh: "应为 是/否（true/false）", en: "must be true/false (是/否)"))
        }
    }

    static let schoolYear = FieldType(sqlType: "integer") { t in
        if let y = SchoolYear.parse(t) { return .success(String(y)) }
        return .failure(Message(zh: "不是有效学年（如 2024 或 2024-2025）", en: "not a school year (e.g. 2024 or 2024-2025)"))
    }

    /// A subject code or Chinese name, checked against the subject table loaded at import time.
    static func subject(_ subjects: SubjectVocabulary) -> FieldType {
        FieldType(sqlType: "text") { t in
            if let code = subjects.code(for: t) { return .success(code) }
            return .failure(Message(zh: "未知学科；可用：\(subjects.acceptedList)", en: "unknown subject; use one of \(subjects.acceptedList)"))
        }
    }

    static func subjectList(_ subjects: SubjectVocabulary) -> FieldType {
        FieldType(sqlType: "text[]") { t in
            var codes: [String] = []
            for part in splitList(t) {
                guard let code = subjects.code(for: part) else {
                    return .failure(Message(zh: "“\(part)”不是已知学科", en: "\"\(part)\" is not a known subject"))
                }
                if !codes.contains(code) { codes.append(code) }
            }
            return .success("{" + codes.joined(separator: ",") + "}")
        }
    }

    static func splitList(_ t: String) -> [String] {
        t.split(whereSeparator: { ";；、|,，".contains($0) }).map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
    }
}

/// The subjects known to the database (`subject` table), by code, Chinese name or alias.
struct SubjectVocabulary: Sendable {
    let byName: [String: String]
    let acceptedList: String

    init(rows: [(code: String, zh: String)]) {
        var map: [String: String] = [:]
        for r in rows {
            map[r.code] = r.code
            map[r.zh] = r.code
        }
        let aliases = ["政治": "politics", "思想品德": "politics", "思政": "politics", "心理": "psychology",
                       "信息": "it", "计算机": "it", "劳动技术": "labour", "品德与社会": "politics"]
        for (alias, code) in aliases where map[code] != nil && map[alias] == nil { map[alias] = code }
        byName = map
        acceptedList = rows.map { "\($0.code) (\($0.zh))" }.joined(separator: ", ")
    }

    func code(for text: String) -> String? { byName[text] ?? byName[text.lowercased()] }
}
