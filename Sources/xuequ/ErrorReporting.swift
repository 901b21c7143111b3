import ArgumentParser
import Foundation
import LibPQ
import XuequCore
import XuequStore

/// Runs a command body and turns its errors into what a person should read: one clear line
/// (every located issue for a refused import), exit status 1. `--verbose` adds SQLSTATE and the
/// query name.
func reporting(_ options: GlobalOptions, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as ImportFailure {
        let lang = options.lang
        for issue in failure.issues { printError(issue.text(lang)) }
        if failure.total > failure.issues.count {
            printError(lang.pick("……还有 \(failure.total - failure.issues.count) 个错误未列出", "… and \(failure.total - failure.issues.count) more errors"))
        }
        printError(lang.pick("导入被拒绝：共 \(failure.total) 个错误，数据库未作任何改动。",
                             "import refused: \(failure.total) error(s); nothing was written."))
        throw ExitCode(1)
    } catch let refusal as RuleRefusal {
        for problem in refusal.problems { printError("xuequ: " + problem.message.text(options.lang)) }
        throw ExitCode(1)
    } catch let error as PGError {
        // a connection that failed in the middle of the work (the server restarted or went away)
        // is not one that could not be opened: say what became of the work
        let lost = error.kind == .connection && error.queryName != nil
        let prefix = lost && error.queryName == "COMMIT"
            ? options.lang.pick("提交时与数据库的连接中断，无法确定改动是否已保存；请先查看数据再决定是否重新运行：",
                                "lost the connection to the database while committing; whether the changes were saved is unknown — check before running the command again: ")
            : lost ? options.lang.pick("与数据库的连接中断，未提交的改动已由数据库撤销，请在数据库恢复后重新运行：",
                                              "lost the connection to the database; what was not committed has been rolled back by the server — run the command again once it is back: ")
            : error.kind == .connection ? options.lang.pick("无法连接数据库：", "cannot connect to the database: ")
            : options.lang.pick("数据库错误：", "database error: ")
        // libpq's messages span lines; a CLI error is one line
        let message = error.message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        var line = "xuequ: " + prefix + message
        if let detail = error.detail { line += " (\(detail))" }
        if let hint = error.hint { line += " — \(hint)" }
        if options.verbose {
            line += " [SQLSTATE \(error.sqlState ?? "-")\(error.queryName.map { ", query \($0)" } ?? "")]"
        }
        printError(line)
        throw ExitCode(1)
    } catch let error as StoreError {
        printError("xuequ: \(error.description)")
        throw ExitCode(1)
    } catch let error as CLIError {
        printError("xuequ: \(error.description)")
        throw ExitCode(1)
    }
}

func printError(_ line: String) {
    if let logger = ErrorLog.shared.logger {
        // structured logs: the error is a log line with the run id like every other
        logger.error("\(line.hasPrefix("xuequ: ") ? String(line.dropFirst(7)) : line)")
        return
    }
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes text to standard output as is (the table, JSON or CSV already ends with a newline),
/// through the same buffer as `print`, so the two never interleave out of order.
func emit(_ text: String) {
    print(text, terminator: "")
}
