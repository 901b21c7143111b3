import ArgumentParser
import Foundation
import XuequCore
import XuequStore

extension AssignmentKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension AssignmentStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Cross-school work (跨校兼课, 走教, 学区兼职, 交流轮岗): propose, approve, list.",
        discussion: """
            A proposal is checked against every rule (host ≠ home school; same 学区 or education group, or an HR \
            override with a reason; subject and stage qualification; the weekly period limit of the policy on \
            every day; placements never overlap; weekly slots leave the policy's travel time between campuses and \
            at most its campus changes a day) and refused with every broken rule named. The database enforces the \
            same rules on every write, imports included.

            Example:
              xuequ assign propose --staff T001000010 --host 110101S027 --kind 跨校兼课 --subject 语文 --periods 4 --from 2026-09-01 --until 2027-07-01
              xuequ assign propose --staff T001000011 --host 110101S027 --kind 走教 --subject 数学 --periods 2 --from 2026-09-01 --until 2027-07-01 --slot "周二 08:00-08:40 A" --slot "周四 08:00-08:40 A"
              xuequ assign approve 1 --reason "学区统筹"
              xuequ import assignments assignments.csv && xuequ import assignment-slots assignment-slots.csv
            """,
        subcommands: [Propose.self, Approve.self, Reject.self, Cancel.self, Activate.self, End.self, List.self, Show.self])

    struct Propose: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "propose", abstract: "Propose an assignment (checked against every rule).",
            discussion: "Example:\n  xuequ assign propose --staff T001000010 --host 110101S027 --kind 跨校兼课 --subject 语文 --periods 4 --from 2026-09-01 --until 2027-07-01")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Staff number (工号).") var staff: String
        @Option(help: "Host school code.") var host: String
        @Option(help: "Kind: part_time 跨校兼课, itinerant 走教, cluster_role 学区兼职, placement 交流轮岗.") var kind: AssignmentKind
        @Option(help: "Subject (code or Chinese name); may be left out for a 学区 role.") var subject: String?
        @Option(help: "Periods (or, for a 学区 role, hours) per week.") var periods: String
        @Option(help: "First day (YYYY-MM-DD).") var from: String
        @Option(help: "The day after the last (YYYY-MM-DD): the range is [from, until).") var until: String
        @Option(help: "HR override for a host outside the 学区 and education groups: the reason.") var overrideReason: String?
        @Option(help: "Why (recorded in the status history).") var reason: String?
        @Option(help: "HR's reference for the assignment (letters, digits, _ or -); default A<number>.") var ref: String?
        @Option(name: .customLong("slot"), help: "A weekly lesson, repeatable: \"周二 08:00-08:45 A\" (weekday, time, host campus code).")
        var slots: [String] = []

        func run() throws {
            try reporting(options) {
                var parsed: [AssignmentStore.Slot] = []
                for text in slots {
                    guard let slot = AssignmentStore.Slot.parse(text) else {
                        throw CLIError(options.lang.pick("--slot \"\(text)\" 应为 “周二 08:00-08:45 A”（星期、时间、校区代码）",
                                                         "--slot \"\(text)\" must look like \"Tue 08:00-08:45 A\" (weekday, time, campus code)"))
                    }
                    parsed.append(slot)
                }
                guard let p = Decimal(string: periods, locale: Locale(identifier: "en_US_POSIX")) else {
                    throw CLIError(options.lang.pick("--periods 应为数字", "--periods must be a number"))
                }
                let start = try checkedDate(from, option: "--from", options.lang)!, end = try checkedDate(until, option: "--until", options.lang)!
                let id = try AssignmentStore(connection: options.connect(), language: options.lang).propose(.init(
                    staffNo: staff, hostSchool: host, kind: kind, subject: subject, periodsPerWeek: p, start: start, end: end,
                    overrideReason: overrideReason, reason: reason, ref: ref, slots: parsed))
                print(options.lang.pick("已登记为待批准的安排 #\(id)。", "Proposed as assignment #\(id)."))
            }
        }
    }

    struct Transition: ParsableArguments {
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Assignment number or reference.") var id: String
        @Option(help: "Why (recorded in the status history).") var reason: String?

        func perform(_ status: AssignmentStatus, endOn: String? = nil) throws {
            try reporting(options) {
                let store = AssignmentStore(connection: try options.connect(), language: options.lang)
                let number = try store.resolve(id)
                try store.transition(number, to: status, reason: reason, endOn: try checkedDate(endOn, option: "--on", options.lang))
                print(options.lang.pick("安排 #\(number) 现为“\(status.zh)”。", "Assignment #\(number) is now \(status.rawValue)."))
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a proposed assignment (the rules are checked again).",
                                                        discussion: "Example:\n  xuequ assign approve 12 --reason 学区统筹")
        @OptionGroup var t: Transition
        func run() throws { try t.perform(.approved) }
    }
    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a proposed assignment.",
                                                        discussion: "Example:\n  xuequ assign reject 12 --reason 课时已满")
        @OptionGroup var t: Transition
        func run() throws { try t.perform(.rejected) }
    }
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a proposed or approved assignment.",
                                                        discussion: "Example:\n  xuequ assign cancel 12 --reason 教师病假")
        @OptionGroup var t: Transition
        func run() throws { try t.perform(.cancelled) }
    }
    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "activate", abstract: "Mark an approved assignment as started.",
                                                        discussion: "Example:\n  xuequ assign activate 12")
        @OptionGroup var t: Transition
        func run() throws { try t.perform(.active) }
    }
    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "end", abstract: "End an active assignment (early, with --on).",
                                                        discussion: "Example:\n  xuequ assign end 12 --reason 学期结束\n  xuequ assign end 12 --on 2027-01-20 --reason 病假提前结束")
        @OptionGroup var t: Transition
        @Option(help: "The day after the last day worked (YYYY-MM-DD), when it ends before its planned end.") var on: String?
        func run() throws { try t.perform(.ended, endOn: on) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List assignments, filtered.",
                                                        discussion: "Example:\n  xuequ assign list --school 110101S027 --status 已批准")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Staff number.") var staff: String?
        @Option(help: "Home or host school code.") var school: String?
        @Option(help: "Status: 待批准 已批准 进行中 已结束 已取消 已驳回.") var status: AssignmentStatus?
        @Option(help: "Kind: 跨校兼课 走教 学区兼职 交流轮岗.") var kind: AssignmentKind?
        func run() throws {
            try reporting(options) {
                emit(try AssignmentStore(connection: options.connect(), language: options.lang)
                    .list(staffNo: staff, school: school, status: status, kind: kind).render(for: options.lang, options.format))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one assignment and its status history (who, when, why).",
                                                        discussion: "Example:\n  xuequ assign show 12")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Assignment number or reference.") var id: String
        func run() throws {
            try reporting(options) {
                let store = AssignmentStore(connection: try options.connect(), language: options.lang)
                emit(try store.show(try store.resolve(id)).render(options.format))
            }
        }
    }
}
