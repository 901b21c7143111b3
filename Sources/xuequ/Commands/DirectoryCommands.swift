import ArgumentParser
import Foundation
import XuequCore
import XuequStore

extension SchoolStage: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension SchoolTier: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension TitleLevel: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension KeyLevel: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension EmploymentStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension Term {
    init?(parsing text: String) {
        guard let v = Self.parse(text) else { return nil }
        self = v
    }
}

struct DistrictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "district", abstract: "Districts (区).", subcommands: [List.self, Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one district: counts, 学区, education groups.",
                                                        discussion: "Example:\n  xuequ district show 110101")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "District code.") var code: String
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang).districtRecord(code).render(options.format))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List districts with their counts.",
                                                        discussion: "Example:\n  xuequ district list --format json")
        @OptionGroup var options: GlobalOptions
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang).districts().render(for: options.lang, options.format))
            }
        }
    }
}

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "学区 (school clusters).", subcommands: [List.self, Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one 学区: record, schools, education groups.",
                                                        discussion: "Example:\n  xuequ cluster show DC-HPL")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "学区 code.") var code: String
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang).clusterRecord(code).render(options.format))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List 学区 with their schools and staff counts.",
                                                        discussion: "Example:\n  xuequ cluster list --district 110101")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this district (code).") var district: String?
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang).clusters(district: district).render(for: options.lang, options.format))
            }
        }
    }
}

struct SchoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "school", abstract: "Schools.", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List schools, filtered.",
            discussion: "Example:\n  xuequ school list --cluster DC-HPL --tier 薄弱\n  xuequ school list --stage 初中 --format csv")
        @OptionGroup var options: GlobalOptions
        @Option(help: "District code.") var district: String?
        @Option(help: "学区 code.") var cluster: String?
        @Option(help: "Stage: primary 小学, junior 初中, senior 高中, nine_year 九年一贯, twelve_year 十二年一贯, complete_middle 完全中学.")
        var stage: SchoolStage?
        @Option(help: "Tier: 1 优质, 2 普通, 3 薄弱.") var tier: SchoolTier?
        @Flag(help: "Only rural (农村) schools.") var rural = false
        @Option(help: "Name contains this text.") var name: String?
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang)
                    .schools(district: district, cluster: cluster, stage: stage, tier: tier, rural: rural ? true : nil, name: name)
                    .render(for: options.lang, options.format))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one school: record, campuses, groups, leaders.",
                                                        discussion: "Example:\n  xuequ school show 110101S001")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "School code.") var code: String
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang).schoolRecord(code).render(options.format))
            }
        }
    }
}

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "staff", abstract: "Teachers and cadres (教职工).", subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List staff (current state), filtered.",
            discussion: "Example:\n  xuequ staff list --school 110101S001 --title 高级\n  xuequ staff list --key-level 市级骨干 --format json")
        @OptionGroup var options: GlobalOptions
        @Option(help: "District code.") var district: String?
        @Option(help: "学区 code.") var cluster: String?
        @Option(help: "Home school code.") var school: String?
        @Option(help: "Current title: 三级 二级 一级 高级 正高级.") var title: TitleLevel?
        @Option(help: "Key-teacher level: 校级 区级 市级 学科带头人 特级.") var keyLevel: KeyLevel?
        @Option(help: "Status: 在岗 病假 产假 借调 离职 退休.") var status: EmploymentStatus?
        @Option(help: "Primary subject (code or Chinese name).") var subject: String?
        @Option(help: "Name contains this text.") var name: String?
        @Option(help: "At most this many rows.") var limit = 200
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang)
                    .staff(district: district, cluster: cluster, school: school, title: title, keyLevel: keyLevel,
                           status: status, subject: subject, name: name, limit: limit)
                    .render(for: options.lang, options.format))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one person's record and histories.",
                                                        discussion: "Example:\n  xuequ staff show T1000001")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Staff number (工号).") var staffNo: String
        func run() throws {
            try reporting(options) {
                emit(try Directory(connection: options.connect(), language: options.lang).staffRecord(staffNo).render(options.format))
            }
        }
    }
}

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Schools by 学区 and tier; active staff by title and key level.",
        discussion: "Example:\n  xuequ summary --district 110101")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only this district (code).") var district: String?
    func run() throws {
        try reporting(options) {
            emit(try Directory(connection: options.connect(), language: options.lang).summary(district: district).render(options.format))
        }
    }
}
