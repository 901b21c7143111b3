import ArgumentParser
import Foundation
import LibPQ
import XuequCore
import XuequStore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "The effective configuration: every setting, its value and where it came from.",
        discussion: """
            Precedence: a flag beats an environment variable, which beats the configuration file, which beats \
            the default. The file is --config FILE, else $XUEQU_CONFIG, else /etc/xuequ/xuequ.toml, else \
            PREFIX/etc/xuequ/xuequ.toml beside an installed binary. Passwords are never shown.

            Example:
              xuequ config show
              xuequ config show --config /etc/xuequ/xuequ.toml --format json
            """,
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the effective configuration, secrets redacted.",
            discussion: "Example:\n  xuequ config show\n  XUEQU_LOG_FORMAT=json xuequ config show --lang en")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try reporting(options) {
                let lang = options.lang
                let config: Config
                config = try options.configuration()
                var rows: [[ReportValue]] = [[.text("config"), .text(config.path ?? lang.pick("（无）", "(none)")),
                                              .text(config.path == nil ? "-" : "file"), .text(lang.pick("配置文件", "the configuration file"))]]
                for setting in Config.settings {
                    let flag: (String, String?)? = switch setting.key {
                    case "database.url": ("--database", options.database)
                    case "log.format": ("--log-format", options.logFormat)
                    default: nil
                    }
                    let v = config.value(setting.key, flag: flag)
                    rows.append([.text(setting.key), .text(Config.display(setting.key, v.value)), .text(v.source.description), .text(setting.help)])
                }
                // where the CLI really connects: libpq's PG* variables (environment) beat the file's database.url
                let target = (try? options.databaseTarget()).map { t -> (String, String) in
                    switch t {
                    case .conninfo(let info, let source): return (info.isEmpty ? lang.pick("（libpq 的 PG* 变量）", "(libpq's PG* variables)") : ConnectionString.redacted(info), source)
                    case .privateCluster(let info, _): return (ConnectionString.redacted(info), lang.pick("项目自带集群", "private cluster"))
                    }
                } ?? (lang.pick("未配置", "not configured"), "-")
                rows.append([.text("database (connects to)"), .text(target.0), .text(target.1), .text(Config.databaseOrder)])
                emit(Report(columns: [ReportColumn(key: "setting", title: lang.pick("设置", "setting")),
                                      ReportColumn(key: "value", title: lang.pick("值", "value")),
                                      ReportColumn(key: "source", title: lang.pick("来源", "source")),
                                      ReportColumn(key: "meaning", title: lang.pick("含义", "meaning"))],
                            rows: rows).render(for: lang, options.format))
            }
        }
    }
}
