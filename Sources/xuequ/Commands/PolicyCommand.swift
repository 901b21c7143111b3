import ArgumentParser
import Foundation
import LibPQ
import XuequCore
import XuequStore

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "The district's rules as a versioned document per school year (defaults from domain policy).",
        discussion: """
            Every number the rules use (rotation quotas, evaluation weights, title years, the weekly period \
            limit …) lives here, not in code. Export the document, edit it, import it as a new version.

            Example:
              xuequ policy export --district 110101 --year 2026 --out policy.json
              xuequ policy import policy.json --district 110101 --year 2026 --note "优秀比例调整为 25%"
            """,
        subcommands: [Show.self, Export.self, Import.self, History.self])

    struct Scope: ParsableArguments {
        @Option(help: "District code (may be left out when the database holds one district).") var district: String?
        @Option(help: "School year Y (September Y to August Y+1); default: the current one.", transform: parseYear) var year: Int?

        func resolve(_ options: GlobalOptions, on connection: Connection) throws -> (district: String, year: Int) {
            let y = year ?? Self.currentSchoolYear()
            if let district { return (district, y) }
            let codes = try Directory(connection: connection, language: options.lang).districtCodes()
            guard codes.count == 1 else {
                throw CLIError(options.lang.pick("请用 --district 指定区（数据库中有 \(codes.count) 个区）",
                                                 "give --district (the database has \(codes.count) districts)"))
            }
            return (codes[0], y)
        }

        static func currentSchoolYear() -> Int {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let parts = calendar.dateComponents([.year, .month], from: Date())
            return parts.month! >= 9 ? parts.year! : parts.year! - 1
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show the policy in force: every field, its value and what it means.",
            discussion: "Example:\n  xuequ policy show --district 110101 --year 2026")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var scope: Scope

        func run() throws {
            try reporting(options) {
                let conn = try options.connect()
                let (district, year) = try scope.resolve(options, on: conn)
                let current = try PolicyStore(connection: conn).effective(district: district, schoolYear: year)
                let lang = options.lang
                if options.format == .json {
                    emit(PolicyDocument.encode(current.policy))
                    return
                }
                if options.format == .table {
                    let source = current.version.map { v in lang.pick("第 \(v) 版", "version \(v)") + (current.note.map { "（\($0)）" } ?? "") }
                        ?? lang.pick("默认值（尚未导入本区政策）", "defaults (no policy imported for this district)")
                    print(lang.pick("区 \(district)，\(year)-\(year + 1) 学年：", "District \(district), school year \(year)-\(year + 1): ") + source)
                    print("")
                }
                let rows = current.policy.flattened().map { item -> [ReportValue] in
                    let base = item.path.replacingOccurrences(of: #"\[\d+\].*$"#, with: "", options: .regularExpression)
                    let label = Policy.labels[item.path] ?? Policy.labels[base] ?? Policy.labels[String(base.split(separator: ".").prefix(2).joined(separator: "."))]
                    return [.text(item.path), .text(item.value), label.map { .text(lang.pick($0.zh, $0.en)) } ?? .null]
                }
                emit(Report(columns: [ReportColumn(key: "field", title: lang.pick("项", "field")),
                                      ReportColumn(key: "value", title: lang.pick("值", "value")),
                                      ReportColumn(key: "meaning", title: lang.pick("含义", "meaning"))],
                            rows: rows).render(for: lang, options.format))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the policy in force as a JSON document to edit and import.",
            discussion: "Example:\n  xuequ policy export --district 110101 --year 2026 --out policy.json")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var scope: Scope
        @Option(help: "Write to this file instead of standard output.") var out: String?

        func run() throws {
            try reporting(options) {
                let conn = try options.connect()
                let (district, year) = try scope.resolve(options, on: conn)
                let text = PolicyDocument.encode(try PolicyStore(connection: conn).effective(district: district, schoolYear: year).policy)
                if let out {
                    guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
                        throw CLIError(options.lang.pick("无法写入 \(out)", "cannot write \(out)"))
                    }
                } else {
                    emit(text)
                }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Check a policy document and store it as the next version (nothing changes if it is the same).",
            discussion: """
                Every field must be present (start from `xuequ policy export`); a misspelt field, a wrong type or \
                a value out of range is refused with its path, and nothing is stored.

                Example:
                  xuequ policy import policy.json --district 110101 --year 2026 --note "2026 学年方案"
                """)
        @OptionGroup var options: GlobalOptions
        @OptionGroup var scope: Scope
        @Argument(help: "The JSON document.") var file: String
        @Option(help: "Why this version (shown in the history).") var note: String?
        @Flag(help: "Only check the document.") var dryRun = false

        func run() throws {
            try reporting(options) {
                let lang = options.lang
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError(lang.pick("找不到文件 \(file)", "no such file: \(file)"))
                }
                let policy: Policy
                do {
                    policy = try PolicyDocument.decode([UInt8](data))
                } catch let failure as PolicyDocument.Failure {
                    let name = URL(fileURLWithPath: file).lastPathComponent
                    for problem in failure.problems { printError("\(name): \(problem.path): \(problem.message.text(lang))") }
                    printError(lang.pick("政策文件被拒绝：共 \(failure.problems.count) 处问题，未作任何改动。",
                                         "policy refused: \(failure.problems.count) problem(s); nothing was stored."))
                    throw ExitCode(1)
                }
                let conn = try options.connect()
                let (district, year) = try scope.resolve(options, on: conn)
                if dryRun {
                    print(lang.pick("政策文件检查通过（未保存）。", "The policy document is valid (not stored)."))
                    return
                }
                if let version = try PolicyStore(connection: conn).save(policy, district: district, schoolYear: year, note: note) {
                    print(lang.pick("已保存为区 \(district) \(year)-\(year + 1) 学年政策第 \(version) 版。",
                                    "Stored as version \(version) of district \(district)'s policy for \(year)-\(year + 1)."))
                } else {
                    print(lang.pick("与现行政策相同，没有保存新版本。", "Same as the policy in force; no new version stored."))
                }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "List the stored versions, newest first.",
            discussion: "Example:\n  xuequ policy history --district 110101 --year 2026")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var scope: Scope

        func run() throws {
            try reporting(options) {
                let conn = try options.connect()
                let (district, year) = try scope.resolve(options, on: conn)
                emit(try PolicyStore(connection: conn).history(district: district, schoolYear: year, language: options.lang)
                    .render(for: options.lang, options.format))
            }
        }
    }
}
