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

    var logger: Logger {
        var l = Logger(label: "xuequ")
        l.logLevel = verbose ? .debug : .warning
        return l
    }

    /// Opens a connection and checks the schema is current (unless `checkSchema` is false).
    func connect(checkSchema: Bool = true) throws -> Connection {
        // interactive queries are small: JIT compilation only adds 10–50 ms to each of them
        let conn = try DatabaseTarget.resolve(explicit: database).open(logger: logger, setup: "SET jit = off")
        if checkSchema {
            try Migrator(directory: MigrationDirectory.locate(), logger: logger).ensureCurrent(on: conn)
        }
        return conn
    }
}

extension Language: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
