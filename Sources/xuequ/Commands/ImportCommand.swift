import ArgumentParser
import Foundation
import XuequCore
import XuequStore

extension ImportKind: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file (or a folder of them) all or nothing.",
        discussion: """
            Every row is checked first; on any error every located error is printed (file:line, column, \
            value, why), the command exits 1 and nothing is written. Rows are merged by natural key, so \
            importing the same file again changes nothing. UTF-8 (with or without BOM) and GB18030. \
            Kinds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")). Formats: docs/csv-formats.md.

            Examples:
              xuequ import staff staff.csv --dry-run
              xuequ import --dir demo-csv
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "What the file holds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: ImportKind?
    @Argument(help: "The CSV file.") var file: String?
    @Option(help: "Import every KIND.csv found in this folder, in dependency order, in one transaction.")
    var dir: String?
    @Flag(help: "Check and count the changes, then roll back.") var dryRun = false
    @Option(help: "Stop listing errors after this many.") var maxErrors = 100

    func validate() throws {
        if maxErrors < 1 { throw ValidationError("--max-errors must be at least 1") }
        if dir == nil && (kind == nil || file == nil) {
            throw ValidationError("give KIND and FILE, or --dir FOLDER")
        }
        if dir != nil && (kind != nil || file != nil) {
            throw ValidationError("give either KIND FILE or --dir FOLDER, not both")
        }
    }

    func run() throws {
        try reporting(options) {
            var files: [(kind: ImportKind, path: String)] = []
            if let dir {
                for k in ImportKind.allCases {
                    let path = URL(fileURLWithPath: dir).appendingPathComponent(k.fileName).path
                    if FileManager.default.fileExists(atPath: path) { files.append((k, path)) }
                }
                if files.isEmpty { throw CLIError(options.lang.pick("\(dir) 中没有可导入的文件（如 staff.csv）", "\(dir) holds no import files (e.g. staff.csv)")) }
            } else if let kind, let file {
                guard FileManager.default.fileExists(atPath: file) else {
                    throw CLIError(options.lang.pick("找不到文件 \(file)", "no such file: \(file)"))
                }
                files = [(kind, file)]
            }
            let conn = try options.connect()
            let results = try Importer(connection: conn, logger: options.logger)
                .importFiles(files, options: .init(dryRun: dryRun, maxIssues: maxErrors))
            emit(Self.report(results, options.lang).render(for: options.lang, options.format))
            if options.format == .table {
                let changed = results.contains { !$0.unchanged }
                print(dryRun ? options.lang.pick("（试运行：已回滚，数据库未改动）", "(dry run: rolled back, nothing written)")
                      : changed ? options.lang.pick("导入完成。", "Import complete.")
                      : options.lang.pick("导入完成：与数据库完全一致，没有任何改动。", "Import complete: the database already matched; nothing changed."))
            }
        }
    }

    /// One file of one kind, for the commands that import their own kind (`eval import`,
    /// `rotation openings import`): the same checks, report and closing line as `xuequ import`.
    static func importOne(_ kind: ImportKind, file: String, dryRun: Bool, options: GlobalOptions) throws {
        guard FileManager.default.fileExists(atPath: file) else {
            throw CLIError(options.lang.pick("找不到文件 \(file)", "no such file: \(file)"))
        }
        let results = try Importer(connection: try options.connect(), logger: options.logger)
            .importFiles([(kind, file)], options: .init(dryRun: dryRun))
        emit(report(results, options.lang).render(for: options.lang, options.format))
        if options.format == .table {
            print(dryRun ? options.lang.pick("（试运行：已回滚，数据库未改动）", "(dry run: rolled back, nothing written)")
                         : options.lang.pick("导入完成。", "Import complete."))
        }
    }

    static func report(_ results: [ImportResult], _ lang: Language) -> Report {
        var rows: [[ReportValue]] = []
        for r in results {
            if r.changes.isEmpty {
                rows.append([.text(r.file), .text(r.encoding), .int(r.rows), .text("-"), .int(0), .int(0), .int(0)])
            }
            for c in r.changes {
                rows.append([.text(r.file), .text(r.encoding), .int(r.rows), .text(c.table), .int(c.inserted), .int(c.updated), .int(c.deleted)])
            }
        }
        return Report(columns: [
            ReportColumn(key: "file", title: lang.pick("文件", "file")),
            ReportColumn(key: "encoding", title: lang.pick("编码", "encoding")),
            ReportColumn(key: "rows", title: lang.pick("行数", "rows"), alignment: .right),
            ReportColumn(key: "table", title: lang.pick("表", "table")),
            ReportColumn(key: "inserted", title: lang.pick("新增", "inserted"), alignment: .right),
            ReportColumn(key: "updated", title: lang.pick("修改", "updated"), alignment: .right),
            ReportColumn(key: "deleted", title: lang.pick("删除", "deleted"), alignment: .right),
        ], rows: rows)
    }
}
