import ArgumentParser
import Foundation
import XuequCore
import XuequStore

extension RotationOutcome: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// The plan year whose reference date (September 1 by default) comes next: the current
/// calendar year until the reference date, then the next one.
func nextPlanYear() -> Int {
    let t = today()
    let year = Int(t.prefix(4))!
    return t.dropFirst(5) < "09-01" ? year : year + 1
}

struct RotationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotation",
        abstract: "交流轮岗: who must rotate in a plan year, exemptions, openings.",
        discussion: """
            Eligibility follows the policy of the district and plan year (domain.md §5): 在岗 on the reference date \
            (September 1), at least 6 full years at the school (principals and vice principals: in post there), \
            not within 5 years of retirement, not within 3 years of the end of a 交流轮岗 placement, no HR \
            exemption. Every teacher gets 应交流 / 豁免 (which rule) / 不符合条件 (why, and from when).

            Examples:
              xuequ rotation eligibility --year 2027 --summary
              xuequ rotation eligibility --year 2027 --staff T001000123
              xuequ rotation exempt add T001000123 --year 2027 --reason 重病家属需照顾 --approver 王科长
              xuequ rotation openings import openings.csv
            """,
        subcommands: [Eligibility.self, Exempt.self, Openings.self, Plan.self, Show.self, Explain.self, Pin.self, Forbid.self,
                      Approve.self, Execute.self, Discard.self])

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain", abstract: "Why this teacher moves where in a plan, or why not — with the numbers.",
            discussion: "Example:\n  xuequ rotation explain 1 T001000123")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Plan number.") var plan: Int64
        @Argument(help: "Staff number.") var staffNo: String
        func run() throws {
            try reporting(options) {
                for line in try RotationStore(connection: options.connect(), language: options.lang).explain(plan: plan, staffNo: staffNo) {
                    print(line)
                }
            }
        }
    }

    struct RuleOptions: ParsableArguments {
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Plan number (a draft).") var plan: Int64
        @Argument(help: "Staff number.") var staffNo: String
        @Option(help: "The host school (code).") var school: String
        @Option(help: "Only this subject (code or Chinese name); default any.") var subject: String?
        @Option(help: "Why (recorded).") var reason: String?

        func perform(_ kind: RotationStore.RuleKind) throws {
            try reporting(options) {
                try RotationStore(connection: options.connect(), language: options.lang)
                    .addRule(plan: plan, staffNo: staffNo, school: school, subject: subject, kind: kind, reason: reason)
                print(options.lang.pick("已记录。用 xuequ rotation plan --replan \(plan) 重新求解。",
                                        "Recorded. Re-solve with xuequ rotation plan --replan \(plan)."))
            }
        }
    }

    struct Pin: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pin", abstract: "Pin a move in a draft plan (it must happen); then re-solve.",
                                                        discussion: "Example:\n  xuequ rotation pin 1 T001000123 --school 110101S040 --reason 本人申请")
        @OptionGroup var rule: RuleOptions
        func run() throws { try rule.perform(.pin) }
    }

    struct Forbid: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "forbid", abstract: "Forbid a move in a draft plan; then re-solve.",
                                                        discussion: "Example:\n  xuequ rotation forbid 1 T001000123 --school 110101S040 --reason 通勤困难")
        @OptionGroup var rule: RuleOptions
        func run() throws { try rule.perform(.forbid) }
    }

    struct PlanID: ParsableArguments {
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Plan number.") var plan: Int64
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Approve a draft plan (solved within the policy's gap, every hard constraint re-checked); it is then frozen.",
            discussion: "Example:\n  xuequ rotation approve 1")
        @OptionGroup var p: PlanID
        func run() throws {
            try reporting(p.options) {
                try RotationStore(connection: p.options.connect(), language: p.options.lang).approve(plan: p.plan)
                print(p.options.lang.pick("方案 #\(p.plan) 已批准。", "Plan #\(p.plan) approved."))
            }
        }
    }

    struct Execute: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "execute", abstract: "Execute an approved plan: every move becomes a 交流轮岗 placement from the reference date, in one transaction.",
            discussion: "Example:\n  xuequ rotation execute 1")
        @OptionGroup var p: PlanID
        func run() throws {
            try reporting(p.options) {
                let n = try RotationStore(connection: p.options.connect(), language: p.options.lang).execute(plan: p.plan)
                print(p.options.lang.pick("方案 #\(p.plan) 已执行：登记了 \(n) 个交流轮岗安排（xuequ assign list --kind 交流轮岗）。",
                                          "Plan #\(p.plan) executed: \(n) placements recorded (xuequ assign list --kind placement)."))
            }
        }
    }

    struct Discard: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "discard", abstract: "Discard a draft or an approved (not executed) plan; it is kept on record.",
                                                        discussion: "Example:\n  xuequ rotation discard 1")
        @OptionGroup var p: PlanID
        func run() throws {
            try reporting(p.options) {
                try RotationStore(connection: p.options.connect(), language: p.options.lang).discard(plan: p.plan)
                print(p.options.lang.pick("方案 #\(p.plan) 已作废。", "Plan #\(p.plan) discarded."))
            }
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan", abstract: "Make a draft rotation plan for a district's plan year: the optimal moves under the policy (COIN-OR CBC).",
            discussion: """
                The model is domain.md §5: each eligible teacher moves at most once, to an opening of a subject they \
                are qualified for, at a school whose stage they are certified for, within the distance limit; no \
                (school, subject) group loses more than the policy's share; minimising distance + direction and \
                preference costs + penalties for unfilled openings, schools under their quota and too few key teachers. \
                The result is optimal or carries its proven gap (at most the policy's maxGap).

                Example:
                  xuequ rotation plan --year 2027
                  xuequ rotation plan --year 2027 --export-lp plan2027.lp
                """)
        @OptionGroup var options: GlobalOptions
        @Option(help: "Plan year; default the next one (with --replan: the plan's).", transform: parseYear) var year: Int?
        @Option(help: "District code; default the only one (with --replan: the plan's).") var district: String?
        @Option(help: "Re-solve this draft plan (its pins and forbids are kept).") var replan: Int64?
        @Option(help: "Also write the model in LP format to this file, for any other solver.") var exportLp: String?
        @Option(help: "Give the solver at most this many seconds.") var maxSeconds: Double = 300
        @Flag(help: "Leave out the list of moves (see them with xuequ rotation show).") var brief = false

        func run() throws {
            try reporting(options) {
                let conn = try options.connect()
                var code: String? = district
                if district == nil && replan == nil {
                    let all = try conn.query("SELECT code FROM district ORDER BY code", name: "districts").map { $0[0] ?? "" }
                    guard all.count == 1 else {
                        throw CLIError(options.lang.pick("有 \(all.count) 个区，请用 --district 指定", "there are \(all.count) districts: name one with --district"))
                    }
                    code = all[0]
                }
                do {
                    let outcome = try RotationPlanner(connection: conn, language: options.lang)
                        .plan(district: code, year: replan == nil ? (year ?? nextPlanYear()) : year, replan: replan, exportLP: exportLp,
                              maxSeconds: maxSeconds)
                    emit(try RotationStore(connection: conn, language: options.lang).showPlan(outcome.planID, brief: brief).render(options.format))
                } catch let infeasible as RotationPlanner.Infeasible {
                    throw CLIError(infeasible.message.text(options.lang))
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a plan: proof and summary, moves with their cost terms, broken soft constraints.",
            discussion: "Example:\n  xuequ rotation show 1")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Plan number.") var id: Int64
        @Flag(help: "Leave out the list of moves.") var brief = false
        func run() throws {
            try reporting(options) {
                emit(try RotationStore(connection: options.connect(), language: options.lang).showPlan(id, brief: brief).render(options.format))
            }
        }
    }

    struct Eligibility: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eligibility", abstract: "Every teacher's standing for a plan year: eligible, exempt (which rule) or not eligible (why, from when).",
            discussion: "Example:\n  xuequ rotation eligibility --year 2027 --school 110101S001\n  xuequ rotation eligibility --year 2027 --summary")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Plan year (its reference date is September 1 by default); default the next one.", transform: parseYear) var year: Int?
        @Option(help: "Only this district (code).") var district: String?
        @Option(help: "Only this school (code).") var school: String?
        @Option(help: "Only this outcome: 应交流 (eligible), 豁免 (exempt), 不符合条件 (not_eligible).") var outcome: RotationOutcome?
        @Option(help: "Only this teacher (staff number).") var staff: String?
        @Flag(help: "Counts per school and the quota instead of one line per teacher.") var summary = false

        func run() throws {
            try reporting(options) {
                let store = RotationStore(connection: try options.connect(), language: options.lang)
                let y = year ?? nextPlanYear()
                let report = summary ? try store.eligibilitySummary(year: y, district: district)
                    : try store.eligibility(year: y, district: district, school: school, outcome: outcome, staffNo: staff)
                if let staff, report.rows.isEmpty {
                    throw CLIError(options.lang.pick("\(staff) 在 \(y) 年度的基准日没有编制学校记录（或没有这个工号）",
                                                     "\(staff) has no home school on the reference date of \(y) (or no such staff number)"))
                }
                emit(report.render(for: options.lang, options.format))
            }
        }
    }

    struct Exempt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exempt", abstract: "HR exemptions from a plan year's rotation: add, list, revoke (kept on record).",
            subcommands: [Add.self, List.self, Revoke.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add", abstract: "Exempt a teacher from one plan year's rotation, with the reason and who approved it.",
                discussion: "Example:\n  xuequ rotation exempt add T001000123 --year 2027 --reason 重病家属需照顾 --approver 王科长")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Staff number.") var staffNo: String
            @Option(help: "Plan year; default the next one.", transform: parseYear) var year: Int?
            @Option(help: "Why (required).") var reason: String
            @Option(help: "Who approved it (required).") var approver: String
            func run() throws {
                try reporting(options) {
                    let y = year ?? nextPlanYear()
                    let id = try RotationStore(connection: options.connect(), language: options.lang)
                        .addExemption(staffNo: staffNo, year: y, reason: reason, approver: approver)
                    print(options.lang.pick("已登记豁免 #\(id)：\(staffNo)，\(y) 年度。", "Exemption #\(id) recorded: \(staffNo), plan year \(y)."))
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List exemptions, revoked ones included.",
                                                            discussion: "Example:\n  xuequ rotation exempt list --year 2027")
            @OptionGroup var options: GlobalOptions
            @Option(help: "Only this plan year.", transform: parseYear) var year: Int?
            func run() throws {
                try reporting(options) {
                    emit(try RotationStore(connection: options.connect(), language: options.lang).exemptions(year: year)
                        .render(for: options.lang, options.format))
                }
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an exemption (it stays on record with who, when and why).",
                                                            discussion: "Example:\n  xuequ rotation exempt revoke 3 --reason 家属已康复")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Exemption number.") var id: Int64
            @Option(help: "Why (required).") var reason: String
            func run() throws {
                try reporting(options) {
                    try RotationStore(connection: options.connect(), language: options.lang).revokeExemption(id, reason: reason)
                    print(options.lang.pick("豁免 #\(id) 已撤销。", "Exemption #\(id) revoked."))
                }
            }
        }
    }

    struct Openings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "openings", abstract: "The openings HR declares for a plan year (school, subject, count).",
            subcommands: [Import.self, List.self])

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "import", abstract: "Import openings.csv (plan_year, school_code, subject, openings), all or nothing; it replaces the year's openings.",
                discussion: "Example:\n  xuequ rotation openings import openings.csv --dry-run")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The CSV file.") var file: String
            @Flag(help: "Check and count the changes, then roll back.") var dryRun = false
            func run() throws {
                try reporting(options) {
                    try ImportCommand.importOne(.openings, file: file, dryRun: dryRun, options: options)
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List a plan year's openings.",
                                                            discussion: "Example:\n  xuequ rotation openings list --year 2027")
            @OptionGroup var options: GlobalOptions
            @Option(help: "Plan year; default the next one.", transform: parseYear) var year: Int?
            @Option(help: "Only this district (code).") var district: String?
            func run() throws {
                try reporting(options) {
                    emit(try RotationStore(connection: options.connect(), language: options.lang)
                        .openings(year: year ?? nextPlanYear(), district: district).render(for: options.lang, options.format))
                }
            }
        }
    }
}
