import ArgumentParser
import Foundation
import XuequCore
import XuequStore

/// Today as YYYY-MM-DD in the machine's time zone (a school day is local).
func today() -> String {
    let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
    return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
}

struct TeacherCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teacher",
        abstract: "One teacher's week across schools.",
        subcommands: [Week.self])

    struct Week: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "week", abstract: "A teacher's week across schools: the work in force, each day's lessons in order, the gap before each lesson and the travel time the policy asks for between campuses.",
            discussion: "Example:\n  xuequ teacher week T001000123\n  xuequ teacher week T001000123 --on 2027-03-01 --lang en")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Staff number (工号).") var staffNo: String
        @Option(help: "The day whose week to show (YYYY-MM-DD); default today.") var on: String?

        func run() throws {
            try reporting(options) {
                emit(try WorkloadStore(connection: options.connect(), language: options.lang)
                    .teacherWeek(staffNo: staffNo, on: try checkedDate(on, option: "--on", options.lang) ?? today()).render(options.format))
            }
        }
    }
}

struct WorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Workload across schools in a period: periods flowing between schools, and who teaches where.",
        discussion: """
            Periods per week are averaged over the period (periods × days ÷ days of the period); a school's share is its \
            periods × days over the teacher's total; weighted periods follow the evaluation policy (cross-school work × \
            crossSchoolFactor, + half a standard load for a 班主任). The period defaults to the current school year.

            Examples:
              xuequ workload
              xuequ workload --cluster DC-HPL
              xuequ workload --school 110101S027 --from 2026-09-01 --to 2027-01-31
              xuequ workload --teacher T001000123
            """)
    @OptionGroup var options: GlobalOptions
    @Option(help: "First day of the period (YYYY-MM-DD); default the start of the current school year.") var from: String?
    @Option(help: "Last day of the period, inclusive (YYYY-MM-DD); default the end of the current school year.") var to: String?
    @Option(help: "Only work touching this school (as home or host).") var school: String?
    @Option(help: "Only work touching this 学区 (as home or host).") var cluster: String?
    @Option(help: "One teacher's workload, part by part.") var teacher: String?

    func run() throws {
        try reporting(options) {
            let year = WorkloadStore.schoolYear(containing: today())!
            let from = try checkedDate(from, option: "--from", options.lang), to = try checkedDate(to, option: "--to", options.lang)
            let store = WorkloadStore(connection: try options.connect(), language: options.lang)
            if let teacher {
                emit(try store.teacherWorkload(staffNo: teacher, from: from ?? year.from, to: to ?? year.to).render(options.format))
            } else {
                emit(try store.workload(from: from ?? year.from, to: to ?? year.to, school: school, cluster: cluster).render(options.format))
            }
        }
    }
}
