import Foundation
import XuequTestSupport

/// Runs the built `xuequ` binary as a person would, capturing its output.
struct CLIRunner {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    var environment: [String: String]
    var directory: URL = MigratedDatabase.repositoryRoot
    /// The binary to run: the build's, or an installed copy.
    var executable: URL = MigratedDatabase.xuequBinary

    init(database: String?) {
        var env = ProcessInfo.processInfo.environment
        for key in ["XUEQU_DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"] {
            env.removeValue(forKey: key)
        }
        if let database { env["XUEQU_DATABASE_URL"] = database }
        env["XUEQU_SQL_DIR"] = MigratedDatabase.repositoryRoot.appendingPathComponent("sql").path
        environment = env
    }

    func run(_ arguments: [String], input: String? = nil) throws -> Output {
        let process = Process()
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        // stderr to a file and stdout through a pipe read to the end: a large output cannot block
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("xuequ-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: errURL.path])
        }
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe()
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let errData = try Data(contentsOf: errURL)
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xuequ-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
