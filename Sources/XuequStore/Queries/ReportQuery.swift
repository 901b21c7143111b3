import LibPQ
import XuequCore

/// A read-only query whose columns become a `Report`: each column says how its text turns into a
/// value (numbers stay exact; vocabulary keys become words in the chosen language).
struct ReportQuery {
    enum Kind {
        case text, int, decimal, date, bool
        case term(@Sendable (String, Language) -> String)
    }

    struct Column {
        let key: String
        let zh: String
        let en: String
        let kind: Kind
        var alignment: TextAlignment {
            switch kind {
            case .int, .decimal: .right
            default: .left
            }
        }
        /// What a NULL means in this column, when it means something (无职称).
        let null: (zh: String, en: String)?

        init(_ key: String, _ zh: String, _ en: String, _ kind: Kind = .text, null: (zh: String, en: String)? = nil) {
            self.key = key
            self.zh = zh
            self.en = en
            self.kind = kind
            self.null = null
        }
    }

    let columns: [Column]
    let sql: String

    static func term<T: Term>(_ type: T.Type) -> Kind {
        .term { raw, lang in T(rawValue: raw)?.label(lang) ?? raw }
    }

    func run(on connection: Connection, _ params: [(any PostgresEncodable)?] = [], language: Language, name: String) throws -> Report {
        let result = try connection.query(sql, params, name: name)
        var rows: [[ReportValue]] = []
        rows.reserveCapacity(result.count)
        for row in result {
            var values: [ReportValue] = []
            for (i, column) in columns.enumerated() {
                guard let text = row[i] else {
                    values.append(column.null.map { .text(language.pick($0.zh, $0.en)) } ?? .null)
                    continue
                }
                switch column.kind {
                case .text: values.append(.text(text))
                case .int: values.append(Int(text).map(ReportValue.int) ?? .text(text))
                case .decimal: values.append(.decimal(text))
                case .date: values.append(.date(text))
                case .bool: values.append(.bool(text == "t"))
                case .term(let label): values.append(.text(label(text, language)))
                }
            }
            rows.append(values)
        }
        return Report(columns: columns.map { ReportColumn(key: $0.key, title: language.pick($0.zh, $0.en), alignment: $0.alignment) },
                      rows: rows)
    }
}
