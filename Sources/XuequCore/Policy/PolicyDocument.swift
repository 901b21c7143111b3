import Foundation

/// The policy as a JSON document people export, edit and import: every field present, keys sorted,
/// numbers exact. Reading is strict: a missing field, a wrong type or an unknown (misspelt) key is an
/// error naming its path.
public enum PolicyDocument {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let problems: [Policy.Problem]
        public init(problems: [Policy.Problem]) { self.problems = problems }
        public var description: String { problems.map(\.description).joined(separator: "; ") }
    }

    public static func encode(_ policy: Policy) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // a Policy has only strings, numbers, booleans, arrays and objects: encoding cannot fail
        return String(decoding: try! encoder.encode(policy), as: UTF8.self) + "\n"
    }

    /// Parses and checks a document; throws `Failure` with every problem found.
    public static func decode(_ bytes: [UInt8]) throws -> Policy {
        let data = Data(bytes)
        let policy: Policy
        do {
            policy = try JSONDecoder().decode(Policy.self, from: data)
        } catch let error as DecodingError {
            // a misspelt key shows up as a missing one: name the misspelling too
            var problems = [problem(error)]
            if let given = try? JSONSerialization.jsonObject(with: data),
               let canonical = try? JSONSerialization.jsonObject(with: Data(encode(.defaults).utf8)) {
                unknownKeys(given, canonical, path: "", into: &problems)
            }
            throw Failure(problems: problems)
        }
        var problems: [Policy.Problem] = []
        if let given = try? JSONSerialization.jsonObject(with: data),
           let canonical = try? JSONSerialization.jsonObject(with: Data(encode(policy).utf8)) {
            unknownKeys(given, canonical, path: "", into: &problems)
        }
        problems += policy.problems()
        if !problems.isEmpty { throw Failure(problems: problems) }
        return policy
    }

    static func problem(_ error: DecodingError) -> Policy.Problem {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .replacingOccurrences(of: ".[", with: "[").trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let p = path(context.codingPath + [key])
            return Policy.Problem(path: p, message: Message(zh: "缺少这一项", en: "missing"))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return Policy.Problem(path: path(context.codingPath), message: Message(zh: "类型不对", en: "wrong type"))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return Policy.Problem(path: "(document)", message: Message(zh: "不是有效的 JSON", en: "not valid JSON"))
            }
            return Policy.Problem(path: path(context.codingPath), message: Message(zh: "值无效", en: "invalid value"))
        @unknown default:
            return Policy.Problem(path: "(document)", message: Message(zh: "无法读取", en: "cannot be read"))
        }
    }

    /// Objects whose keys are data (title levels, education keys), not field names.
    static let freeFormPaths: Set<String> = ["titles.yearsAtLevel", "titles.homeroomYears"]

    static func unknownKeys(_ given: Any, _ canonical: Any, path: String, into problems: inout [Policy.Problem]) {
        if freeFormPaths.contains(path) { return }
        if let g = given as? [String: Any], let c = canonical as? [String: Any] {
            for key in g.keys.sorted() {
                let p = path.isEmpty ? key : path + "." + key
                if let sub = c[key] {
                    unknownKeys(g[key]!, sub, path: p, into: &problems)
                } else {
                    problems.append(Policy.Problem(path: p, message: Message(zh: "未知的项（拼写错误？）", en: "unknown key (misspelt?)")))
                }
            }
        } else if let g = given as? [Any], let c = canonical as? [Any] {
            for (i, (a, b)) in zip(g, c).enumerated() { unknownKeys(a, b, path: "\(path)[\(i)]", into: &problems) }
        }
    }
}
