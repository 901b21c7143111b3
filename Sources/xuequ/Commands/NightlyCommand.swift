import ArgumentParser
import Foundation
import XuequCore
import XuequStore

struct NightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "The nightly batch: scores, grades within the 优秀 quota and incentive pay, published in one transaction.",
        discussion: """
            For each district, the evaluation period that has started by --as-of is scored from one consistent \
            snapshot; all results are published together with a run id, earlier runs stay queryable \
            (xuequ nightly runs). A second run at the same time exits (or waits with --wait). Killed at any moment, \
            the last published results stay as they were and the next run succeeds.

            Runs are incremental: every change to a batch input notes the teacher, school or district it touched, \
            and a run recomputes only the assessment units (and title results) those changes reach, keeping the \
            others as published; the results equal a full run's. A change of policy, period or school, or a \
            change of more than 30% of a district's teachers, recomputes the district in full. On a later date \
            a run also recomputes the title results that may move with the date (anniversaries, windows, \
            accruing experience); crossing 1 September recomputes them all. --full recomputes everything.

            Exit status: 0 success; 3 published with problems (teachers with missing scores, units pending, districts \
            without a period); 1 failure (nothing published); 75 another run is in progress.

            Examples:
              xuequ nightly
              xuequ nightly --as-of 2027-06-30 --district 110101
              xuequ nightly --full
              xuequ nightly runs
            """,
        subcommands: [Run.self, Runs.self, Prune.self],
        defaultSubcommand: Run.self)

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the batch (the default).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The date the results are as of (YYYY-MM-DD); default today.") var asOf: String?
        @Option(help: "Only this district (repeat); default all.") var district: [String] = []
        @Flag(help: "Wait for a run in progress instead of exiting.") var wait = false
        @Flag(help: "Recompute everything, not only what changed since the last run.") var full = false
        @Option(help: "Process the districts in chunks of about this many staff; memory holds one chunk. Default: a quarter of the staff, 30,000 to 150,000.")
        var chunkStaff: Int?
        @Option(help: "Write Prometheus metrics of the run to this file (default: XUEQU_METRICS_FILE or the config file's nightly.metrics_file).")
        var metricsFile: String?

        func run() throws {
            var code: Int32 = 0
            let started = Date()
            let metricsPath = (try? options.configuration())?.value("nightly.metrics_file", flag: ("--metrics-file", metricsFile)).value
            // every log line from here on carries the run id once the run has one, and errors are
            // log lines too when the logs are structured
            let logger = options.logger
            ErrorLog.shared.logger = options.structuredLogs ? logger : nil
            // the last success of the previous file stands until the database says otherwise
            var metrics = NightlyMetrics(exitStatus: 1, endedAt: started,
                                         lastSuccess: metricsPath.flatMap(NightlyMetrics.previousLastSuccess(at:)), seconds: 0)
            defer {
                if let metricsPath {
                    metrics.endedAt = Date()
                    metrics.seconds = metrics.endedAt.timeIntervalSince(started)
                    metrics.exitStatus = code
                    do { try metrics.write(to: metricsPath) } catch {
                        logger.error("could not write the metrics file", metadata: ["path": "\(metricsPath)", "error": "\(error)"])
                    }
                }
            }
            do {
            try reporting(options) {
                let lang = options.lang
                let asOf = asOf ?? today()
                guard CivilDate.normalize(asOf) == asOf else {
                    throw CLIError(lang.pick("--as-of 不是有效日期（YYYY-MM-DD）：\(asOf)", "--as-of is not a valid date (YYYY-MM-DD): \(asOf)"))
                }
                let connection = try options.connect()
                let lastSuccess = { () -> Date? in
                    (try? connection.query("""
                        SELECT extract(epoch FROM max(finished_at))::float8 FROM nightly_run WHERE status IN ('succeeded', 'partial')
                        """).first?[0]).flatMap { $0 }.flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
                        ?? metricsPath.flatMap(NightlyMetrics.previousLastSuccess(at:))
                }
                metrics.lastSuccess = lastSuccess()
                let batch = NightlyBatch(connection: connection, language: lang, logger: logger)
                let outcome: NightlyBatch.Outcome
                do {
                    outcome = try batch.run(.init(asOf: asOf, districts: district, wait: wait, full: full, chunkStaff: chunkStaff,
                                                  onStart: { id in LogContext.shared["run_id"] = "\(id)" }))
                } catch let busy as NightlyBatch.Busy {
                    printError("xuequ: " + busy.message.text(lang))
                    code = NightlyBatch.Busy.exitCode
                    return
                }
                metrics.runID = outcome.runID
                metrics.full = outcome.mode == "full"
                metrics.stages = outcome.stages.map { ($0.stage, $0.ms) }
                metrics.read = outcome.inputs
                metrics.written = outcome.outputs
                metrics.incomplete = outcome.incomplete
                metrics.pendingUnits = outcome.pendingUnits
                metrics.lastSuccess = lastSuccess()
                for stage in outcome.stages {
                    logger.info("stage done", metadata: ["stage": "\(stage.stage)", "ms": "\(stage.ms)"])
                }
                logger.info("nightly run finished", metadata: [
                    "status": "\(outcome.status.rawValue)", "mode": "\(outcome.mode)", "incomplete": "\(outcome.incomplete)",
                    "pending_units": "\(outcome.pendingUnits)", "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))"])
                let rows: [[ReportValue]] = outcome.stages.map { [.text($0.stage), .int($0.ms)] }
                let incremental = outcome.mode == "incremental"
                emit(Report(title: lang.pick("夜间批处理 #\(outcome.runID)（截至 \(asOf)，\(incremental ? "增量" : "全量")）：\(outcome.status.zh)",
                                             "nightly run #\(outcome.runID) (as of \(asOf), \(incremental ? "incremental" : "full")): \(outcome.status.en)"),
                            columns: [ReportColumn(key: "stage", title: lang.pick("阶段", "stage")),
                                      ReportColumn(key: "ms", title: lang.pick("毫秒", "ms"), alignment: .right)],
                            rows: rows).render(for: lang, options.format))
                if options.format == .table {
                    print(lang.pick("读入：", "read: ") + outcome.inputs.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
                    print(lang.pick("写出：", "wrote: ") + outcome.outputs.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
                    print(outcome.message.text(lang))
                }
                code = outcome.exitCode
            }
            } catch let exit as ExitCode {
                code = exit.rawValue
                throw exit
            } catch {
                code = 1
                throw error
            }
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Delete the result rows of old runs that no published result points at (the run history stays).",
            discussion: """
                Readers see each district's results through the published pointers; a run none of them names any \
                more is history only, and a full run at city size keeps about 1.7 million rows. This deletes those \
                runs' rows when they started more than --older-than days ago, in one transaction under the batch's \
                lock (exits 75 while a run is in progress), and marks them pruned in `xuequ nightly runs`. Run it as \
                the database owner, e.g. weekly.

                Examples:
                  xuequ nightly prune --older-than 90 --dry-run
                  xuequ nightly prune --older-than 90
                """)
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only runs that started more than this many days ago.") var olderThan: Int = 90
        @Flag(help: "Count what would be deleted; delete nothing.") var dryRun = false

        func run() throws {
            var code: Int32 = 0
            try reporting(options) {
                let lang = options.lang
                let outcome: NightlyPrune.Outcome
                do {
                    outcome = try NightlyPrune(connection: try options.connect(), language: lang).prune(olderThanDays: olderThan, dryRun: dryRun)
                } catch let busy as NightlyBatch.Busy {
                    printError("xuequ: " + busy.message.text(lang))
                    code = NightlyBatch.Busy.exitCode
                    return
                }
                let total = outcome.rows.reduce(0) { $0 + $1.count }
                emit(Report(title: dryRun ? lang.pick("试运行：将清理 \(outcome.runs.count) 个批次的 \(total) 行结果（未删除）",
                                                      "dry run: would prune \(total) result rows of \(outcome.runs.count) runs (nothing deleted)")
                                          : lang.pick("已清理 \(outcome.runs.count) 个批次的 \(total) 行结果；保留 \(outcome.kept) 个批次",
                                                      "pruned \(total) result rows of \(outcome.runs.count) runs; \(outcome.kept) runs kept"),
                            columns: [ReportColumn(key: "table", title: lang.pick("表", "table")),
                                      ReportColumn(key: "rows", title: lang.pick("行数", "rows"), alignment: .right)],
                            rows: outcome.rows.map { [.text($0.table), .int($0.count)] }).render(for: lang, options.format))
            }
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "runs", abstract: "Earlier runs, newest first: status, counts, per-stage times.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "How many runs to show.") var limit = 20

        func run() throws {
            try reporting(options) {
                emit(try ScoreStore(connection: try options.connect(), language: options.lang).runs(limit: limit)
                    .render(for: options.lang, options.format))
            }
        }
    }
}

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "The published evaluation results: one teacher explained, a school's or 学区's report, CSV export.",
        subcommands: [Show.self, ReportCmd.self, Export.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "One teacher: each dimension and where it came from, the total, the grade and why, the pay.",
            discussion: "Example:\n  xuequ score show T001000123\n  xuequ score show T001000123 --run 12 --lang en")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Staff number (工号).") var staffNo: String
        @Option(name: .customLong("run"), help: "A run id (default: the published run).") var runID: Int64?
        @Option(help: "School year of the period (default: the latest with published results).", transform: parseYear) var year: Int?

        func run() throws {
            try reporting(options) {
                emit(try ScoreStore(connection: try options.connect(), language: options.lang).show(staffNo: staffNo, run: runID, year: year)
                    .render(options.format))
            }
        }
    }

    struct ReportCmd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "A school's or 学区's units: grades, quota use, boundary ties, pay totals, the distribution.",
            discussion: "Examples:\n  xuequ score report --school 110101S001\n  xuequ score report --cluster DC-HPL")
        @OptionGroup var options: GlobalOptions
        @Option(help: "One school (with its teachers).") var school: String?
        @Option(help: "Every school of a 学区.") var cluster: String?
        @Option(name: .customLong("run"), help: "A run id (default: the published run).") var runID: Int64?
        @Option(help: "School year of the period (default: the latest with published results).", transform: parseYear) var year: Int?

        func validate() throws {
            if (school == nil) == (cluster == nil) { throw ValidationError("give --school or --cluster") }
        }

        func run() throws {
            try reporting(options) {
                emit(try ScoreStore(connection: try options.connect(), language: options.lang)
                    .report(school: school, cluster: cluster, run: runID, year: year).render(options.format))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Every teacher's published result as CSV (staff no, unit, total, grade, pay in fen).",
            discussion: "Example:\n  xuequ score export --district 110101 > scores.csv")
        @OptionGroup var options: GlobalOptions
        @Option(help: "District code; default your own, or the only one.") var district: String?
        @Option(name: .customLong("run"), help: "A run id (default: the published run).") var runID: Int64?
        @Option(help: "School year of the period (default: the latest with published results).", transform: parseYear) var year: Int?

        func run() throws {
            try reporting(options) {
                let conn = try options.connect()
                let d = try EvaluationStore(connection: conn, language: options.lang).district(district)
                emit(try ScoreStore(connection: conn, language: options.lang).export(district: d.id, run: runID, year: year).render(.csv))
            }
        }
    }
}
