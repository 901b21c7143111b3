import XuequCore

/// One column of an import file.
struct ColumnSpec: Sendable {
    let key: String
    let aliases: [String]
    let required: Bool
    let type: FieldType

    init(_ key: String, _ aliases: [String], required: Bool = true, _ type: FieldType) {
        self.key = key
        self.aliases = aliases
        self.required = required
        self.type = type
    }
}

/// Everything the importer needs to know about one kind of file: its columns, the checks that need
/// only the file, the checks that need the database (SQL over the staging table `import_stage`,
/// returning line, column, value, message_zh, message_en) and the set-based merge statements.
struct ImportSpec: Sendable {
    let kind: ImportKind
    let columns: [ColumnSpec]
    /// Columns whose values identify a row within the file; a repeated identity is an error.
    let identity: [String]
    /// Checks across the fields of one row: (column, message) for each problem.
    var rowCheck: (@Sendable (ParsedRow) -> [(String, Message)])? = nil
    /// Dated ranges that must not overlap within the file: group-by columns, start, end.
    var noOverlap: (group: [String], start: String, end: String)? = nil
    let validateSQL: [String]
    let mergeSQL: [String]
    /// Checks that the database's triggers already enforce on the merge: run on the staged rows
    /// only when the merge is refused, to name every broken rule at its line (so the happy path
    /// pays for the rules once, in the triggers).
    var explainSQL: [String] = []
    /// Column positions by key.
    let positions: [String: Int]

    init(kind: ImportKind, columns: [ColumnSpec], identity: [String], validateSQL: [String], mergeSQL: [String]) {
        self.kind = kind
        self.columns = columns
        self.identity = identity
        self.validateSQL = validateSQL
        self.mergeSQL = mergeSQL
        positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.key, $0) })
    }

    func index(of key: String) -> Int { positions[key]! }

    /// SQL that is true when the file being merged has the column `key` in its header (the importer
    /// sets `xuequ.import_columns` per file). An optional column left out of a file keeps the stored
    /// values; an empty cell in a column that is there clears them.
    static func present(_ key: String) -> String {
        "(strpos(',' || current_setting('xuequ.import_columns') || ',', ',\(key),') > 0)"
    }

    /// The staged value when the file has the column, else the stored one (`current` is the
    /// existing row, LEFT JOINed; NULL for a new row).
    static func keep(_ key: String, staged: String, current: String) -> String {
        "CASE WHEN \(present(key)) THEN \(staged) ELSE \(current) END"
    }
}

/// The normalised values of one row, by column position; nil for an empty field.
struct ParsedRow: Sendable {
    let line: Int
    let values: [String?]
    let spec: ImportSpec

    subscript(_ key: String) -> String? { values[spec.index(of: key)] }
}

// Shared SQL fragments: a reference that must exist.
enum ReferenceCheck {
    /// Rows of the staging table whose `column` names no row of `table` by `tableColumn`.
    static func unknown(_ column: String, table: String, tableColumn: String = "code", zh: String, en: String) -> String {
        """
        SELECT s.line, '\(column)', s.\(column)::text, '\(zh)', '\(en)'
        FROM import_stage s
        WHERE s.\(column) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(table) t WHERE t.\(tableColumn) = s.\(column))
        """
    }

    static let unknownStaff = unknown("staff_no", table: "staff", tableColumn: "staff_no",
                                      zh: "没有这个工号（请先导入教职工）", en: "no staff member with this number (import staff first)")
    static let unknownSchool = unknown("school_code", table: "school",
                                       zh: "没有这个学校代码（请先导入学校）", en: "no school with this code (import schools first)")
}
