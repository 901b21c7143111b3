import ArgumentParser
import Foundation
import XuequCore
import XuequStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a kind of data in its import format (CSV), so it can be edited and imported again.",
        discussion: """
            Cells a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with an apostrophe.

            Examples:
              xuequ export staff --out staff.csv
              xuequ export schools --district 110101 --encoding gb18030 --out 学校.csv
            """)

    enum Encoding: String, ExpressibleByArgument, CaseIterable {
        case utf8 = "utf8", utf8BOM = "utf8-bom", gb18030
    }

    @OptionGroup var options: GlobalOptions
    @Argument(help: "What to export: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: ImportKind
    @Option(help: "Only this district (code).") var district: String?
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Option(help: "utf8, utf8-bom (what Excel opens cleanly) or gb18030.") var encoding: Encoding = .utf8

    func run() throws {
        try reporting(options) {
            let conn = try options.connect()
            var bytes: [UInt8] = []
            try Exporter(connection: conn).export(kind, district: district) { bytes += $0 }
            switch encoding {
            case .utf8: break
            case .utf8BOM: bytes = [0xEF, 0xBB, 0xBF] + bytes
            case .gb18030: bytes = TextDecoding.encode(String(decoding: bytes, as: UTF8.self), as: .gb18030)
            }
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                    throw CLIError(options.lang.pick("无法写入 \(out)", "cannot write \(out)"))
                }
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
        }
    }
}
