import ArgumentParser
import Foundation
import XuequCore
import XuequStore

struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Schema migrations: apply them and show their state.",
        subcommands: [Migrate.self, Status.self])

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate", abstract: "Apply pending migrations (sql/NNNN_*.sql), each in its own transaction.",
            discussion: "Example:\n  xuequ db migrate --dry-run\n  xuequ db migrate")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Only list what would be applied.") var dryRun = false

        func run() throws {
            try reporting(options) {
                let conn = try options.connect(checkSchema: false)
                let migrator = try Migrator(directory: MigrationDirectory.locate(), logger: options.logger)
                let applied = try migrator.migrate(on: conn, dryRun: dryRun)
                let lang = options.lang
                if applied.isEmpty {
                    print(lang.pick("数据库结构已是最新，没有待执行的迁移。", "The schema is up to date; nothing to apply."))
                }
                for file in applied {
                    print((dryRun ? lang.pick("将执行 ", "would apply ") : lang.pick("已执行 ", "applied ")) + file.fileName)
                }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show each migration: applied, pending, or changed since it was applied.",
            discussion: "Example:\n  xuequ db status --format json")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try reporting(options) {
                let conn = try options.connect(checkSchema: false)
                let states = try Migrator(directory: MigrationDirectory.locate(), logger: options.logger).status(on: conn)
                let lang = options.lang
                let report = Report(
                    columns: [ReportColumn(key: "version", title: lang.pick("版本", "version"), alignment: .right),
                              ReportColumn(key: "file", title: lang.pick("文件", "file")),
                              ReportColumn(key: "state", title: lang.pick("状态", "state")),
                              ReportColumn(key: "applied_at", title: lang.pick("执行时间", "applied at")),
                              ReportColumn(key: "applied_by", title: lang.pick("执行者", "applied by"))],
                    rows: states.map { s in
                        [.int(s.version), .text(s.fileName), .text(Self.stateLabel(s.state, lang)),
                         s.appliedAt.map { .text(ISO8601DateFormatter().string(from: $0)) } ?? .null,
                         s.appliedBy.map { .text($0) } ?? .null]
                    })
                emit(report.render(for: options.lang, options.format))
                if states.contains(where: { $0.state == .changed }) { throw ExitCode(2) }
            }
        }

        static func stateLabel(_ s: Migrator.State, _ lang: Language) -> String {
            switch s {
            case .applied: lang.pick("已执行", "applied")
            case .pending: lang.pick("待执行", "pending")
            case .changed: lang.pick("已执行后被修改！", "CHANGED after it was applied")
            case .unknown: lang.pick("数据库有记录但没有文件", "applied, no such file here")
            }
        }
    }
}
