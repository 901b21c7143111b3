import ArgumentParser
import Foundation
import XuequCore
import XuequStore

extension AppRole: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension EvaluationPeriodStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Xuequ users: each acts as their own PostgreSQL role; row-level security decides what they see.",
        discussion: """
            Roles: hr (区教委人事科, their district), cluster_office (学区管理中心, reads their 学区), principal \
            (校长/副校长, enters evaluations for their school(s)), auditor (督导, reads everything, changes nothing), \
            batch (the nightly job, writes results only). A user logs in as LOGIN: peer authentication on the \
            unix socket, or a password (stored as a SCRAM verifier computed here; put it in ~/.pgpass). \
            Adding and revoking users needs a role that may create roles (the database owner).
            """,
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a user (or give a revoked one access again).",
            discussion: """
                Examples:
                  xuequ user add p_110101s001 --role principal --name 王校长 --school 110101S001
                  xuequ user add p_wang --role principal --name 王校长 --school 110101S001 --school 110101S002   # 一长执两校
                  xuequ user add hr_li --role hr --name 李老师 --district 110101 --password-stdin < secret
                  xuequ user add audit1 --role auditor --name 督导一
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Login name: a lowercase letter, then lowercase letters, digits or _.") var login: String
        @Option(help: "hr, cluster_office, principal, auditor or batch.") var role: AppRole
        @Option(help: "The person's name (or the job's).") var name: String
        @Option(help: "District code (hr; optional for auditor and batch: all districts).") var district: String?
        @Option(help: "学区 code (cluster_office).") var cluster: String?
        @Option(help: "A school the principal leads (repeat for 一长执两校).") var school: [String] = []
        @Option(help: "The person's own staff number.") var staffNo: String?
        @Flag(help: "Read a password from standard input (first line).") var passwordStdin = false

        func run() throws {
            try reporting(options) {
                var password: String?
                if passwordStdin {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw CLIError(options.lang.pick("标准输入中没有密码", "no password on standard input"))
                    }
                    password = line
                }
                let store = AccessStore(connection: try options.connect(), language: options.lang)
                try store.add(.init(login: login, role: role, displayName: name, district: district, cluster: cluster,
                                    schools: school, staffNo: staffNo, password: password))
                print(options.lang.pick("已添加用户 \(login)（\(role.zh)）。", "Added user \(login) (\(role.en))."))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users with their role and scope.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Include revoked users.") var all = false

        func run() throws {
            try reporting(options) {
                emit(try AccessStore(connection: try options.connect(), language: options.lang).list(includeRevoked: all)
                    .render(for: options.lang, options.format))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "End a user's access: no more log-ins, no scope for sessions still open. Their past entries stay, audited.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Login name.") var login: String

        func run() throws {
            try reporting(options) {
                try AccessStore(connection: try options.connect(), language: options.lang).revoke(login: login)
                print(options.lang.pick("已撤销用户 \(login)。", "Revoked user \(login)."))
            }
        }
    }
}
