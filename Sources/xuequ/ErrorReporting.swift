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
    } catch let error as PGError {
        var line = "xuequ: " + options.lang.pick("数据库错误：", "database error: ") + error.message
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
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes text to standard output as is (the table, JSON or CSV already ends with a newline).
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
