import ArgumentParser
import Foundation
import LibPQ
import Logging
import XuequCore
import XuequStore

/// Options every database command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "A libpq conninfo or postgresql:// URI (default: XUEQU_DATABASE_URL, PG* variables, or the private cluster).")
    var database: String?

    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Language of messages and headings: zh or en.")
    var lang: Language = .zh

    @Flag(name: .long, help: "Show SQLSTATE, query names and debug logs on errors.")
    var verbose = false

    @Option(name: .long, help: "Configuration file (default: XUEQU_CONFIG, /etc/xuequ/xuequ.toml, or PREFIX/etc/xuequ/xuequ.toml of an installed binary).")
    var config: String?

    @Option(name: .long, help: "Log lines on stderr: text, logfmt or json (default: XUEQU_LOG_FORMAT, the config file's log.format, or text).")
    var logFormat: String?

    /// The configuration file's values (read once per process).
    func configuration() throws -> Config {
        do { return try ConfigCache.shared.config(for: config) } catch let e as Config.ConfigError {
            throw CLIError(e.description)
        }
    }

    /// The log format in effect (flag, environment, file, default).
    var effectiveLogFormat: LogFormat {
        let config = (try? configuration()) ?? Config()
        return config.value("log.format", flag: ("--log-format", logFormat)).value.flatMap(LogFormat.init(rawValue:)) ?? .text
    }

    /// Whether log lines are logfmt or JSON (then errors are log lines too).
    var structuredLogs: Bool { effectiveLogFormat != .text }

    var logger: Logger {
        let config = (try? configuration()) ?? Config()
        let format = effectiveLogFormat
        let level = config.value("log.level").value.flatMap(Logger.Level.init(rawValue:))
            ?? (verbose ? .debug : format == .text ? .warning : .info)
        return Logger(label: "xuequ") { label in StructuredLogHandler(label: label, format: format, logLevel: verbose ? min(level, .debug) : level) }
    }

    /// Checks the options a configuration file or environment may also give, before any work.
    func validate() throws {
        // a broken file is reported by the command itself (doctor shows it as a failed check)
        guard let config = try? configuration() else { return }
        let format = config.value("log.format", flag: ("--log-format", logFormat))
        if let f = format.value, LogFormat(rawValue: f) == nil {
            throw ValidationError("log format \"\(f)\" (from \(format.source)) is not text, logfmt or json")
        }
        let level = config.value("log.level")
        if let l = level.value, Logger.Level(rawValue: l) == nil {
            throw ValidationError("log level \"\(l)\" (from \(level.source)) is not trace, debug, info, notice, warning, error or critical")
        }
    }

    /// Where the CLI connects (Config.databaseOrder): the flag, the environment, the file's database.url, the private cluster.
    func databaseTarget() throws -> DatabaseTarget {
        try DatabaseTarget.resolve(explicit: database, configured: try configuration().fileDatabaseURL)
    }

    /// Opens a connection and checks the schema is current (unless `checkSchema` is false).
    func connect(checkSchema: Bool = true) throws -> Connection {
        // interactive queries are small: JIT compilation only adds 10–50 ms to each of them
        let conn = try databaseTarget().open(logger: logger, setup: "SET jit = off")
        if checkSchema {
            try Migrator(directory: MigrationDirectory.locate(), logger: logger).ensureCurrent(on: conn)
        }
        return conn
    }
}

extension Language: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
