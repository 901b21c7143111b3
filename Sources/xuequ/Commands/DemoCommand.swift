import ArgumentParser
import Foundation
import XuequCore
import XuequStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A deterministic demo district (东城区-like: eight 学区, ~60 schools, ~4,000 staff).",
        subcommands: [Generate.self, Load.self])

    struct Size: ParsableArguments {
        @Option(help: "Random seed; the same seed and sizes give byte-identical files.") var seed: UInt64 = 20_180_601
        @Option(help: "Districts (1 = 东城区; more add other Beijing districts, then synthetic ones).") var districts = 1
        @Option(help: "Schools per district.") var schools = 60
        @Option(help: "Staff over all districts.") var staff = 4000
        @Option(help: "Share of eligible teachers given cross-school work (0…1; up to 2 adds a second 跨校兼课 for that share above 1).") var assignmentShare = 0.08

        var parameters: DemoParameters {
            DemoParameters(seed: seed, districts: districts, schoolsPerDistrict: schools, staff: staff, assignmentShare: assignmentShare)
        }

        func validate() throws {
            guard (1...999).contains(districts) else { throw ValidationError("--districts must be 1…999") }
            guard schools >= 1 else { throw ValidationError("--schools must be at least 1") }
            guard staff >= 0 else { throw ValidationError("--staff must not be negative") }
            guard (0...2).contains(assignmentShare) else { throw ValidationError("--assignment-share must be 0…2") }
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate", abstract: "Write the demo district as import CSV files (one per kind) into a folder.",
            discussion: "Example:\n  xuequ demo generate --out /tmp/demo --staff 100000 --schools 1500")
        @OptionGroup var size: Size
        @Option(help: "Folder for the CSV files.") var out: String

        func run() throws {
            var sink = try DemoFileSink(folder: URL(fileURLWithPath: out))
            try DemoGenerator(size.parameters).generate(into: &sink)
            for (kind, rows) in sink.counts { print("\(kind).csv\t\(rows)") }
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load", abstract: "Generate the demo district and load it through the CSV import, then print the summary.",
            discussion: "Example:\n  xuequ demo load\n  xuequ demo load --lang en")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var size: Size
        @Option(help: "Folder for the generated CSV files.") var dir = "var/demo-csv"

        func run() throws {
            try reporting(options) {
                let folder = URL(fileURLWithPath: dir)
                var sink = try DemoFileSink(folder: folder)
                try DemoGenerator(size.parameters).generate(into: &sink)
                let conn = try options.connect()
                let files = ImportKind.allCases.map { (kind: $0, path: folder.appendingPathComponent($0.fileName).path) }
                    .filter { FileManager.default.fileExists(atPath: $0.path) }
                let started = Date()
                let results = try Importer(connection: conn, logger: options.logger).importFiles(files)
                let seconds = Date().timeIntervalSince(started)
                let rows = results.reduce(0) { $0 + $1.rows }
                print(options.lang.pick("已通过 CSV 导入 \(results.count) 个文件、\(rows) 行（\(folder.path)），用时 \(String(format: "%.1f", seconds)) 秒。",
                                        "Imported \(results.count) files, \(rows) rows through the CSV import (\(folder.path)) in \(String(format: "%.1f", seconds)) s."))
                print("")
                emit(try Directory(connection: conn, language: options.lang).summary(district: nil).render(options.format))
            }
        }
    }
}
