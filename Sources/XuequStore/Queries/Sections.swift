import XuequCore

/// Several titled reports shown together (a person's record, a school's page, the summary).
public struct Sections: Sendable {
    public struct Section: Sendable {
        public let key: String
        public let title: String
        public let report: Report
        /// A one-row record shown as "field: value" lines in tables and as an object in JSON.
        public let isRecord: Bool
    }

    public var sections: [Section] = []
    let language: Language

    public init(language: Language) {
        self.language = language
    }

    mutating func add(_ key: String, _ title: String, _ report: Report, record: Bool = false) {
        sections.append(Section(key: key, title: title, report: report, isRecord: record))
    }

    func renderTable(_ s: Section) -> String {
        guard s.isRecord, let row = s.report.rows.first else {
            return "【\(s.title)】\n" + s.report.render(for: language, .table)
        }
        let width = s.report.columns.map { DisplayWidth.of($0.title) }.max() ?? 0
        var lines: [String] = []
        for (column, value) in zip(s.report.columns, row) {
            let pad = String(repeating: " ", count: width - DisplayWidth.of(column.title))
            let text: String
            if case .bool(let b) = value { text = b ? language.pick("是", "yes") : language.pick("否", "no") } else { text = value.plainText ?? "—" }
            lines.append(column.title + pad + "  " + text)
        }
        return "【\(s.title)】\n" + lines.joined(separator: "\n") + "\n"
    }

    /// Tables: each section under its title; JSON: one object keyed by section; CSV: the sections
    /// one after another, separated by a blank line.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table:
            return sections.map(renderTable).joined(separator: "\n")
        case .json:
            let parts = sections.map { s -> String in
                var json = s.report.render(.json).trimmingCharacters(in: .whitespacesAndNewlines)
                if s.isRecord {
                    // a one-element array → the object itself
                    if json.hasPrefix("[") && json.hasSuffix("]") {
                        json = String(json.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
                        if json.isEmpty { json = "null" }
                    }
                }
                return "\"\(s.key)\": \(json)"
            }
            return "{" + parts.joined(separator: ", ") + "}\n"
        case .csv:
            return sections.map { $0.report.render(.csv) }.joined(separator: "\n")
        }
    }
}

extension Report {
    /// Renders for people reading `language`: NULL as —, no rows as （无）, booleans as 是/否.
    public func render(for language: Language, _ format: OutputFormat) -> String {
        render(format, nullText: "—", emptyText: language.pick("（无）", "(none)"),
               boolText: (language.pick("是", "yes"), language.pick("否", "no")))
    }
}
