import ArgumentParser
import Foundation
import XuequCore
import XuequStore

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Performance evaluation (绩效考核): periods, principals' scores, what is still owed.",
        discussion: """
            A principal or vice principal scores a teacher only if the teacher taught at their school in the period \
            (home load or cross-school work); the database enforces it with row-level security and triggers. \
            Scores are 0–100 with one decimal, per rubric dimension (xuequ policy show: evaluation.rubric).
            """,
        subcommands: [Period.self, Enter.self, Import.self, List.self, Missing.self])

    /// Options shared by the commands that act on one period.
    struct PeriodOptions: ParsableArguments {
        @Option(help: "School year of the period (2026 = 2026-09-01 … 2027-08-31); default the current one.", transform: parseYear) var year: Int?
        @Option(help: "District code; default your own, or the only one.") var district: String?
    }

    struct Period: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "period", abstract: "Open, close, reopen or release a period (HR), or list them.",
            discussion: """
                open: scores may be entered. close: no more edits. reopen: back to open. release: final; teachers and \
                principals may see the results.

                Examples:
                  xuequ eval period open --year 2026
                  xuequ eval period close --year 2026
                  xuequ eval period release --year 2026
                  xuequ eval period list
                """)
        enum Action: String, ExpressibleByArgument, CaseIterable { case open, close, reopen, release, list }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "open, close, reopen, release or list.") var action: Action
        @OptionGroup var period: PeriodOptions
        @Option(help: "First day (open only; default Sept 1).") var from: String?
        @Option(help: "Last day (open only; default Aug 31 of the next year).") var to: String?

        func run() throws {
            try reporting(options) {
                let store = EvaluationStore(connection: try options.connect(), language: options.lang)
                let lang = options.lang
                if action == .list {
                    emit(try store.periods().render(for: lang, options.format))
                    return
                }
                guard let year = period.year else { throw CLIError(lang.pick("请用 --year 指定学年", "say which school year with --year")) }
                let p: EvaluationStore.Period
                switch action {
                case .open:
                    p = try store.openPeriod(district: period.district, year: year, startsOn: try checkedDate(from, option: "--from", lang),
                                             endsOn: try checkedDate(to, option: "--to", lang))
                case .close: p = try store.setStatus(district: period.district, year: year, to: .closed)
                case .reopen: p = try store.setStatus(district: period.district, year: year, to: .open)
                case .release: p = try store.setStatus(district: period.district, year: year, to: .released)
                case .list: return
                }
                print(lang.pick("\(p.districtCode) \(p.schoolYear) 学年考核周期（\(p.startsOn) 至 \(p.endsOn)）：\(p.status.zh)",
                                "\(p.districtCode) \(p.schoolYear) evaluation period (\(p.startsOn) to \(p.endsOn)): \(p.status.en)"))
            }
        }
    }

    struct Enter: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enter", abstract: "Enter (or change) one teacher's scores at your school.",
            discussion: """
                Scores as --score KEY=VALUE (dimension key or its Chinese name); without any, each dimension of the \
                rubric is asked for in turn. A principal of one school need not give --school.

                Examples:
                  xuequ eval enter T001000123 --score ethics=92 --score teaching=88.5 --score care=90 --score growth=85
                  xuequ eval enter T001000123 --school 110101S002 --score 师德表现=95 --comment 教学扎实
                  xuequ eval enter T001000123        # prompts for each dimension
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Staff number (工号).") var staffNo: String
        @OptionGroup var period: PeriodOptions
        @Option(help: "The scoring school (default: a principal's only school).") var school: String?
        @Option(help: "A score, KEY=VALUE (repeat).") var score: [String] = []
        @Option(help: "Evaluator name (HR entering a paper form); a principal always scores as themself.") var evaluator: String?
        @Option(help: "A comment (评语).") var comment: String?

        func run() throws {
            try reporting(options) {
                let lang = options.lang
                let store = EvaluationStore(connection: try options.connect(), language: lang)
                var scores: [(dimension: String, score: String)] = []
                for item in score {
                    let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, !parts[0].isEmpty else {
                        throw CLIError(lang.pick("--score 应写作 维度=分数（如 teaching=88.5），不是“\(item)”",
                                                 "--score is KEY=VALUE (e.g. teaching=88.5), not \"\(item)\""))
                    }
                    scores.append((parts[0], parts[1]))
                }
                if scores.isEmpty {
                    // interactive: ask for every evaluator-scored dimension of the period's rubric
                    let p = try store.period(district: period.district, year: period.year, on: today())
                    for d in try store.dimensions(of: p) {
                        FileHandle.standardError.write(Data(lang.pick("\(d.nameZh)（\(d.key)，0–100）：", "\(d.key) (\(d.nameZh), 0–100): ").utf8))
                        guard let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty else {
                            throw CLIError(lang.pick("未输入 \(d.nameZh) 的分数，已取消，未作任何改动", "no \(d.key) score given: cancelled, nothing written"))
                        }
                        scores.append((d.key, line))
                    }
                }
                let written = try store.enter(.init(staffNo: staffNo, school: school, year: period.year, evaluator: evaluator,
                                                    scores: scores, comment: comment), today: today())
                print(written == 0 ? lang.pick("分数与已录入的相同，没有改动。", "The scores match what is stored; nothing changed.")
                                   : lang.pick("已录入 \(staffNo) 的 \(written) 项评分。", "Entered \(written) score(s) for \(staffNo)."))
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a school's scores from CSV, all or nothing (evaluations.csv format).",
            discussion: """
                Columns: school_year, staff_no, school_code, evaluator (optional: you), dimension, score, comment \
                (Chinese headers 学年, 工号, 学校代码, 评价人, 维度, 分数, 评语 also work). A principal's file may hold only their \
                own scores at their own schools. Every error is listed with its line; nothing is written unless all rows pass.

                Example:
                  xuequ eval import scores-2026.csv
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Check and count the changes, then roll back.") var dryRun = false

        func run() throws {
            try reporting(options) {
                try ImportCommand.importOne(.evaluations, file: file, dryRun: dryRun, options: options)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The scores you may see in a period, optionally one school or one teacher.",
            discussion: "Examples:\n  xuequ eval list --school 110101S001\n  xuequ eval list --teacher T001000123")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var period: PeriodOptions
        @Option(help: "Only this school's scores.") var school: String?
        @Option(help: "Only this teacher's scores.") var teacher: String?

        func run() throws {
            try reporting(options) {
                let store = EvaluationStore(connection: try options.connect(), language: options.lang)
                let p = try store.period(district: period.district, year: period.year, on: today())
                emit(try store.list(period: p, school: school, staffNo: teacher).render(for: options.lang, options.format))
            }
        }
    }

    struct Missing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "missing", abstract: "What each school still owes: teachers who worked there in the period without every score.",
            discussion: """
                Without --school: one line per school with the teachers and scores missing and the principals who owe \
                them. With --school: each teacher and the dimensions still missing there.

                Examples:
                  xuequ eval missing
                  xuequ eval missing --school 110101S001
                """)
        @OptionGroup var options: GlobalOptions
        @OptionGroup var period: PeriodOptions
        @Option(help: "One school's missing scores, teacher by teacher.") var school: String?

        func run() throws {
            try reporting(options) {
                let store = EvaluationStore(connection: try options.connect(), language: options.lang)
                let p = try store.period(district: period.district, year: period.year, on: today())
                emit(try store.missing(period: p, school: school, on: today()).render(for: options.lang, options.format))
            }
        }
    }
}
