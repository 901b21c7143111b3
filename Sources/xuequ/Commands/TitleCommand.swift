import ArgumentParser
import Foundation
import XuequCore
import XuequStore

struct TitleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "title",
        abstract: "Title-evaluation eligibility (职称申报资格): one teacher explained, reports, CSV export.",
        discussion: """
            The next title above the current one, rule by rule (years at the level by education, annual grades since the \
            title, ethics look-back, 班主任 years, rural or weak-school experience for 高级/正高级, continuing-education \
            hours), each with what the teacher has, what is needed and, for rules that only need time, the date they pass. \
            The numbers are the district's policy (xuequ policy show: titles). Historical annual grades and \
            continuing-education hours are imported: xuequ import annual-grades FILE, xuequ import training FILE.
            """,
        subcommands: [Check.self, ReportCmd.self, Export.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "One teacher: every rule's have, need and outcome, and the date they become eligible when only time is missing.",
            discussion: "Examples:\n  xuequ title check T001000123\n  xuequ title check T001000123 --as-of 2027-09-01 --lang en")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Staff number (工号).") var staffNo: String
        @Option(help: "The date to assess on (YYYY-MM-DD); default today.") var asOf: String?

        func run() throws {
            try reporting(options) {
                emit(try TitleStore(connection: try options.connect(), language: options.lang)
                    .check(staffNo: staffNo, asOf: try checkedDate(asOf, option: "--as-of", options.lang) ?? today()).render(options.format))
            }
        }
    }

    struct ReportCmd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "A school's or 学区's teachers: eligible, eligible within N months, blocked by which rule, missing data.",
            discussion: "Reads the results the nightly batch published.\n\nExamples:\n  xuequ title report --cluster DC-HPL --level 高级\n  xuequ title report --school 110101S001 --within 12 --blocked")
        @OptionGroup var options: GlobalOptions
        @Option(help: "One school.") var school: String?
        @Option(help: "Every school of a 学区.") var cluster: String?
        @Option(help: "Only teachers whose next title is this level (e.g. 高级, senior).") var level: TitleLevel?
        @Option(help: "\"Almost eligible\" means eligible within this many months.") var within = 6
        @Flag(help: "Also list every teacher not yet eligible, with the rules they do not meet.") var blocked = false

        func validate() throws {
            if (school == nil) == (cluster == nil) { throw ValidationError("give --school or --cluster (请指定 --school 或 --cluster)") }
            if within < 0 || within > 120 { throw ValidationError("--within is 0…120 months") }
        }

        func run() throws {
            try reporting(options) {
                emit(try TitleStore(connection: try options.connect(), language: options.lang)
                    .report(school: school, cluster: cluster, level: level, withinMonths: within, listBlocked: blocked).render(options.format))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Every teacher's published title eligibility as CSV.",
            discussion: "Example:\n  xuequ title export --district 110101 > titles.csv")
        @OptionGroup var options: GlobalOptions
        @Option(help: "District code; default your own, or the only one.") var district: String?

        func run() throws {
            try reporting(options) {
                let conn = try options.connect()
                let d = try EvaluationStore(connection: conn, language: options.lang).district(district)
                emit(try TitleStore(connection: conn, language: options.lang).export(district: d.id).render(.csv))
            }
        }
    }
}
