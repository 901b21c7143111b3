import LibPQ
import XuequCore

/// Work refused by the database's rule triggers (cross-school work, domain §4; evaluations, §6):
/// every broken rule, each naming the conflict.
public struct RuleRefusal: Error, Sendable {
    public let problems: [(rule: String, message: Message)]

    public init(problems: [(rule: String, message: Message)]) {
        self.problems = problems
    }

    /// The refusal the database's rule triggers raise (`raise_rule_breaks`): one line per broken
    /// rule, Chinese in the message and English in the detail, each after the key of the row it
    /// concerns. `dropKeys` removes those keys (for one proposal they name a row that was rolled back).
    init?(_ error: PGError, dropKeys: Bool) {
        guard let constraint = error.constraint,
              let prefix = ["assignment_rule_", "evaluation_rule_"].first(where: constraint.hasPrefix) ?? (constraint == "assignment_slot_campus" ? "" : nil)
        else { return nil }
        let zh = error.message.split(separator: "\n").map(String.init)
        let en = (error.detail ?? "").split(separator: "\n").map(String.init)
        func strip(_ line: String, _ separator: String) -> String {
            guard dropKeys, line.hasPrefix("#"), let r = line.range(of: separator) else { return line }
            return String(line[r.upperBound...])
        }
        // the hint names each line's rule: rules=outside_cluster,stage
        let first = String(constraint.dropFirst(prefix.count))
        var rules = (error.hint ?? "").hasPrefix("rules=") ? error.hint!.dropFirst("rules=".count).split(separator: ",").map(String.init) : []
        if rules.count != zh.count { rules = Array(repeating: first, count: zh.count) }
        problems = zh.indices.map { i in
            (rules[i], Message(zh: strip(zh[i], "："), en: i < en.count ? strip(en[i], ": ") : strip(zh[i], "：")))
        }
    }
}
