import XuequCore

/// Collects generated rows in memory, per kind, for assertions.
struct DemoMemorySink: DemoSink, Sendable {
    var order: [String] = []
    var headers: [String: [String]] = [:]
    var rows: [String: [[String]]] = [:]
    private var open: String?

    mutating func begin(kind: String, header: [String]) throws {
        precondition(open == nil, "begin(\(kind)) inside \(open ?? "")")
        order.append(kind)
        headers[kind] = header
        rows[kind] = []
        open = kind
    }

    mutating func row(_ fields: [String]) throws {
        guard let kind = open else { preconditionFailure("row outside a kind") }
        precondition(fields.count == headers[kind]!.count, "\(kind): \(fields)")
        rows[kind]!.append(fields)
    }

    mutating func end(kind: String) throws {
        precondition(open == kind)
        open = nil
    }

    /// The rows of `kind` as column → value dictionaries.
    func records(_ kind: String) -> [[String: String]] {
        let header = headers[kind] ?? []
        return (rows[kind] ?? []).map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// Everything, as one text (for byte-identity comparisons).
    var text: String {
        order.map { kind in
            ([kind, headers[kind]!.joined(separator: ",")] + rows[kind]!.map { $0.joined(separator: ",") })
                .joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
