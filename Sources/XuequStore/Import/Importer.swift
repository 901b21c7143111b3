import Foundation
import LibPQ
import Logging
import XuequCore

/// What one file changed (or, in a dry run, would change), table by table, counted from the
/// audit log rows the import wrote.
public struct ImportResult: Sendable {
    public struct TableChange: Sendable, Hashable {
        public let table: String
        public var inserted = 0, updated = 0, deleted = 0
    }
    public let kind: ImportKind
    public let file: String
    public let encoding: String
    public let rows: Int
    public let changes: [TableChange]

    /// True when the file matched the database exactly.
    public var unchanged: Bool { changes.allSatisfy { $0.inserted + $0.updated + $0.deleted == 0 } }
}

/// An import refused: every located issue (up to the limit) and how many there were in all.
public struct ImportFailure: Error, Sendable {
    public let issues: [ImportIssue]
    public let total: Int
}

/// Loads CSV files all or nothing: every row of every file is checked first, then the files are
/// copied into staging tables, checked against the database and merged by natural key, all in one
/// transaction. Any problem anywhere leaves the database as it was.
public struct Importer {
    public struct Options: Sendable {
        public var dryRun = false
        /// How many issues to collect before stopping the checks.
        public var maxIssues = 100
        public init(dryRun: Bool = false, maxIssues: Int = 100) {
            self.dryRun = dryRun
            self.maxIssues = maxIssues
        }
    }

    let connection: Connection
    let logger: Logger

    public init(connection: Connection, logger: Logger = Logger(label: "xuequ.import")) {
        self.connection = connection
        self.logger = logger
    }

    /// A parsed, checked file ready for COPY.
    struct PreparedFile {
        let spec: ImportSpec
        let path: String
        let displayName: String
        let encoding: String
        let rows: Int
        let copyData: [UInt8]
        /// The keys of the columns the file's header has.
        let presentColumns: [String]
    }

    /// Imports the files in the order given (dependencies first), all in one transaction.
    public func importFiles(_ files: [(kind: ImportKind, path: String)], options: Options = Options()) throws -> [ImportResult] {
        let subjects = try loadSubjects()
        var issues: [ImportIssue] = []
        var total = 0
        var prepared: [PreparedFile] = []
        for (kind, path) in files {
            let spec = ImportSpec.of(kind, subjects: subjects)
            let (file, fileIssues, fileTotal) = try prepare(spec: spec, path: path, limit: max(1, options.maxIssues - issues.count))
            issues += fileIssues
            total += fileTotal
            if let file { prepared.append(file) }
        }
        if total > 0 { throw ImportFailure(issues: issues, total: total) }

        struct DryRun: Error { let results: [ImportResult] }
        do {
            return try connection.transaction { conn in
                // the staging tables' DROP IF EXISTS would otherwise log a notice per file
                try conn.execute("SET LOCAL client_min_messages = warning", name: "quiet notices")
                // one import at a time: checks and merge must see the same data
                try conn.query("SELECT pg_advisory_xact_lock(hashtext('xuequ.import'))", name: "import lock")
                var results: [ImportResult] = []
                for file in prepared {
                    results.append(try load(file, on: conn, limit: options.maxIssues))
                }
                if options.dryRun { throw DryRun(results: results) }
                return results
            }
        } catch let dry as DryRun {
            return dry.results
        }
    }

    func loadSubjects() throws -> SubjectVocabulary {
        let rows = try connection.query("SELECT code, name_zh FROM subject ORDER BY code", name: "subjects")
        return SubjectVocabulary(rows: try rows.map { (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1)) })
    }

    /// Reads, decodes and checks one file without touching the database.
    func prepare(spec: ImportSpec, path: String, limit: Int) throws -> (PreparedFile?, [ImportIssue], Int) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var issues: [ImportIssue] = []
        var total = 0
        func report(_ line: Int, _ column: String?, _ value: String?, _ message: Message) {
            total += 1
            if issues.count < limit { issues.append(ImportIssue(file: name, line: line, column: column, value: value, message: message)) }
        }
        let input: CSVInput
        do {
            input = try CSVInput.read(path: path)
        } catch let failure as CSVInput.Failure {
            report(failure.line, nil, nil, failure.message)
            return (nil, issues, total)
        }
        // header → column positions; unknown, repeated and missing columns are all reported at once
        var positions = [Int?](repeating: nil, count: spec.columns.count)
        do {
            let header = try CSVHeader.resolve(input.header, columns: spec.columns.map {
                CSVColumn(key: $0.key, aliases: $0.aliases, required: $0.required)
            })
            for (i, column) in spec.columns.enumerated() { positions[i] = header[column.key] }
        } catch {
            for issue in error.issues {
                switch issue.kind {
                case .unknownColumn(let keys):
                    report(issue.line, issue.column, nil, Message(zh: "未知的列；可用列：\(keys.joined(separator: ", "))",
                                                                  en: "unknown column; accepted: \(keys.joined(separator: ", "))"))
                case .duplicate(let key, let first):
                    report(issue.line, issue.column, nil, Message(zh: "与第 \(first) 列重复（都是 \(key)）",
                                                                  en: "repeats column \(first) (both are \(key))"))
                case .missingRequired:
                    let alias = spec.columns.first { $0.key == issue.column }?.aliases.first ?? issue.column
                    report(issue.line, issue.column, nil, Message(zh: "缺少必填列（中文列名：\(alias)）", en: "required column missing"))
                }
            }
        }
        if total > 0 { return (nil, issues, total) }
        // a header-only file is valid and changes nothing (a small district may have no ethics records)

        var copy: [UInt8] = []
        copy.reserveCapacity(input.records.count * 96)
        var seen: [String: Int] = [:]
        let identity = spec.identity.map { spec.index(of: $0) }
        var ranges: [String: [(start: String, end: String?, line: Int)]] = [:]
        for record in input.records {
            if record.fields.count != input.header.count {
                report(record.line, nil, nil, Message(zh: "有 \(record.fields.count) 个字段，表头有 \(input.header.count) 列",
                                                      en: "has \(record.fields.count) fields; the header has \(input.header.count)"))
                continue
            }
            var values = [String?](repeating: nil, count: spec.columns.count)
            var rowOK = true
            for (i, column) in spec.columns.enumerated() {
                guard let p = positions[i] else { continue }
                let text = record.fields[p].trimmedSpaces
                if text.isEmpty {
                    if column.required {
                        report(record.line, column.key, nil, Message(zh: "必填", en: "required"))
                        rowOK = false
                    }
                    continue
                }
                switch column.type.parse(text) {
                case .success(let v): values[i] = v
                case .failure(let m):
                    report(record.line, column.key, text, m)
                    rowOK = false
                }
            }
            // enough located errors to show: stop reading, the import is refused anyway
            if limit > 0 && issues.count >= limit { break }
            guard rowOK else { continue }
            let row = ParsedRow(line: record.line, values: values, spec: spec)
            var problems = spec.rowCheck?(row) ?? []
            let key = identity.map { values[$0] ?? "" }.joined(separator: "\u{1F}")
            if identity.isEmpty {
                // rows without an identity merge in the database (openings of one school and subject add up)
            } else if let first = seen[key] {
                problems.append((spec.identity.last!, Message(zh: "与第 \(first) 行重复", en: "repeats line \(first)")))
            } else {
                seen[key] = record.line
            }
            for (column, message) in problems { report(record.line, column, row[column], message) }
            guard problems.isEmpty else { continue }
            if let overlap = spec.noOverlap {
                let group = overlap.group.map { row[$0] ?? "" }.joined(separator: "\u{1F}")
                ranges[group, default: []].append((row[overlap.start]!, row[overlap.end], record.line))
            }
            copy.append(contentsOf: CopyTextEncoder.line([String(record.line)] + values).utf8)
        }
        if let overlap = spec.noOverlap {
            for (_, list) in ranges where list.count > 1 {
                let sorted = list.sorted { $0.start < $1.start }
                for (a, b) in zip(sorted, sorted.dropFirst()) where a.end == nil || a.end! > b.start {
                    report(b.line, overlap.start, b.start, Message(zh: "与第 \(a.line) 行的时间段重叠", en: "overlaps the range on line \(a.line)"))
                }
            }
        }
        if total > 0 { return (nil, issues, total) }
        return (PreparedFile(spec: spec, path: path, displayName: name, encoding: input.encoding,
                             rows: input.records.count, copyData: copy,
                             presentColumns: spec.columns.indices.filter { positions[$0] != nil }.map { spec.columns[$0].key }), [], 0)
    }

    /// Runs checks over the staging table (each returns line, column, value, message_zh,
    /// message_en); one issue per field: the first check that fails says why.
    func locatedIssues(_ checks: [String], file: PreparedFile, on conn: Connection, limit: Int) throws -> (issues: [ImportIssue], total: Int) {
        var issues: [ImportIssue] = []
        var total = 0
        var reported: Set<String> = []
        for check in checks {
            for row in try conn.query(check + " ORDER BY 1", name: "\(file.spec.kind.rawValue) check") {
                guard reported.insert("\(row[0] ?? "")/\(row[1] ?? "")").inserted else { continue }
                total += 1
                if issues.count < limit {
                    issues.append(ImportIssue(file: file.displayName, line: try row.decode(Int.self, at: 0),
                                              column: row[1], value: row[2],
                                              message: Message(zh: row[3] ?? "", en: row[4] ?? "")))
                }
            }
        }
        return (issues.sorted { $0.line < $1.line }, total)
    }

    /// Stages one prepared file, checks it against the database and merges it.
    func load(_ file: PreparedFile, on conn: Connection, limit: Int) throws -> ImportResult {
        let spec = file.spec
        try conn.execute("DROP TABLE IF EXISTS pg_temp.import_stage, pg_temp.import_staff, pg_temp.import_rows", name: "drop staging")
        let columns = spec.columns.map { "\($0.key) \($0.type.sqlType)" }.joined(separator: ", ")
        try conn.execute("CREATE TEMP TABLE import_stage (line integer NOT NULL, \(columns)) ON COMMIT DROP", name: "create staging")
        let copied = try conn.copyIn("COPY import_stage (line, \(spec.columns.map(\.key).joined(separator: ", "))) FROM STDIN",
                                     name: "\(spec.kind.rawValue) staging") { writer in
            var offset = 0
            let chunk = 1 << 16
            while offset < file.copyData.count {
                let end = min(offset + chunk, file.copyData.count)
                try writer.write(Array(file.copyData[offset..<end]))
                offset = end
            }
        }
        logger.debug("staged", metadata: ["kind": "\(spec.kind.rawValue)", "rows": "\(copied)"])
        try conn.execute("ANALYZE import_stage", name: "analyze staging")

        // which columns the file has: the checks and the merge both read it
        try conn.query("SELECT set_config('xuequ.import_columns', $1, true)",
                       [file.presentColumns.joined(separator: ",")], name: "import columns")
        // refused anyway: the rule checks too, so that one run names every problem of the file
        let located = try locatedIssues(spec.validateSQL, file: file, on: conn, limit: limit)
        if located.total > 0 {
            let all = try locatedIssues(spec.validateSQL + spec.explainSQL, file: file, on: conn, limit: limit)
            throw ImportFailure(issues: all.issues, total: all.total)
        }

        let before = try conn.query("SELECT coalesce(max(audit_id), 0) FROM audit_log", name: "audit mark")[0].decode(Int64.self, at: 0)
        do {
            // a savepoint, so that a refusal by the database's rule triggers can be explained below
            try conn.transaction { conn in
                for (step, statement) in spec.mergeSQL.enumerated() {
                    let started = Date()
                    try conn.execute(statement, name: "\(spec.kind.rawValue) merge")
                    logger.debug("merge step", metadata: ["kind": "\(spec.kind.rawValue)", "step": "\(step)",
                                                          "ms": "\(Int(Date().timeIntervalSince(started) * 1000))",
                                                          "sql": "\(statement.prefix(60).replacingOccurrences(of: "\n", with: " "))"])
                }
            }
        } catch let error as PGError where error.sqlState?.hasPrefix("23") == true {
            // the rules the triggers enforce, run on the staged rows: every break at its line
            if !spec.explainSQL.isEmpty {
                let explained = try locatedIssues(spec.explainSQL, file: file, on: conn, limit: limit)
                if explained.total > 0 { throw ImportFailure(issues: explained.issues, total: explained.total) }
            }
            // the database's constraints are the last word; say which one refused and why
            throw ImportFailure(issues: [ImportIssue(
                file: file.displayName, line: 0, column: error.constraint, value: nil,
                message: Message(zh: "数据库拒绝：\(error.message)\(error.detail.map { "（\($0)）" } ?? "")",
                                 en: "refused by the database: \(error.message)\(error.detail.map { " (\($0))" } ?? "")"))], total: 1)
        }
        var changes: [String: ImportResult.TableChange] = [:]
        for row in try conn.query("""
            SELECT table_name::text, op, count(*) FROM audit_log
            WHERE audit_id > $1 AND txid = txid_current() GROUP BY 1, 2 ORDER BY 1, 2
            """, [before], name: "import changes") {
            let table = try row.decode(String.self, at: 0)
            var change = changes[table] ?? ImportResult.TableChange(table: table)
            let n = try row.decode(Int.self, at: 2)
            switch row[1] {
            case "I": change.inserted += n
            case "U": change.updated += n
            default: change.deleted += n
            }
            changes[table] = change
        }
        return ImportResult(kind: spec.kind, file: file.displayName, encoding: file.encoding, rows: file.rows,
                            changes: changes.values.sorted { $0.table < $1.table })
    }
}
