import ArgumentParser
import Foundation
import XuequCore
import XuequStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit log (审计日志): every change to person data, who made it and when.",
        discussion: """
            The log is written by the database itself for every insert, update and delete of a person-edited \
            table, and cannot be changed by anyone. An auditor (督导) reads all of it; HR reads its district's \
            rows and its own edits.
            """,
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show audit entries, newest last, filtered by table, row key, teacher, time or person.",
            discussion: """
                Examples:
                  xuequ audit show --table evaluation --since 2026-11-01
                  xuequ audit show --table staff_home_school --key staff_id=1234
                  xuequ audit show --staff T001000123 --since "2026-11-29 08:00"
                  xuequ audit show --actor p_110101s001 --format csv > entries.csv
                """)
        @OptionGroup var options: GlobalOptions
        @Option(help: "An audited table (e.g. evaluation, staff, assignment).") var table: String?
        @Option(help: "A key column and value as the log records them, COLUMN=VALUE (repeat).") var key: [String] = []
        @Option(help: "A teacher's staff number (工号): entries keyed by that teacher, in every table.") var staff: String?
        @Option(help: "From a date (YYYY-MM-DD) or date and time (YYYY-MM-DD HH:MM) on.") var since: String?
        @Option(help: "Only changes made by this login.") var actor: String?
        @Option(help: "At most this many entries (the most recent).") var limit: Int = 200

        func run() throws {
            try reporting(options) {
                let lang = options.lang
                var pairs: [(column: String, value: String)] = []
                for item in key {
                    guard let pair = AuditStore.parseKey(item) else {
                        throw CLIError(lang.pick("--key 应写作 列名=值（如 staff_id=1234），不是“\(item)”",
                                                 "--key is COLUMN=VALUE (e.g. staff_id=1234), not \"\(item)\""))
                    }
                    pairs.append(pair)
                }
                let report = try AuditStore(connection: try options.connect(), language: lang).show(.init(
                    table: table, key: pairs, staffNo: staff, since: since, actor: actor, limit: limit))
                if report.rows.isEmpty && options.format == .table {
                    print(lang.pick("没有符合条件、且你有权查看的审计记录。", "No audit entries match that you may see."))
                    return
                }
                emit(report.render(for: lang, options.format))
            }
        }
    }
}
