import Foundation
import XuequTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs `/bin/sh -c command` with posix_spawn and waitpid, its output in temporary files. Not
/// Foundation's Process: a server that a script starts outlives it (holding inherited pipes), and
/// Process.waitUntilExit was seen to hang on such an exited script.
enum Shell {
    static func run(_ command: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                    in directory: URL = MigratedDatabase.repositoryRoot) throws -> CLIRunner.Output {
        let tmp = FileManager.default.temporaryDirectory
        let out = tmp.appendingPathComponent("sh-out-\(UUID().uuidString)"), err = tmp.appendingPathComponent("sh-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let script = "cd '\(directory.path)' && { \(command); } >'\(out.path)' 2>'\(err.path)' </dev/null"
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(script), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, envp)
        guard spawned == 0 else { throw TestError("posix_spawn: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .init(status: exit, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                     stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
