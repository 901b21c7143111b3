import Foundation

/// Where the private test PostgreSQL cluster is.
public enum TestPostgres {
    /// The environment variable that overrides the conninfo file.
    public static let environmentKey = "XUEQU_TEST_DATABASE_URL"

    /// The conninfo of the test cluster's admin connection (a role that may CREATE DATABASE).
    ///
    /// From `XUEQU_TEST_DATABASE_URL` if set, else the first line of `var/pgtest/conninfo`
    /// in the repository (found by walking up from this source file; from a git worktree,
    /// the main worktree is tried too).
    public static func adminConninfo() throws -> String {
        if let url = ProcessInfo.processInfo.environment[environmentKey], !url.isEmpty {
            return url
        }
        for file in candidateConninfoFiles() {
            if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                let line = text.split(whereSeparator: \.isNewline).first.map(String.init)?
                    .trimmingCharacters(in: .whitespaces) ?? ""
                if !line.isEmpty { return line }
            }
        }
        throw TestPostgresError.notRunning
    }

    static func candidateConninfoFiles(from sourceFile: String = #filePath) -> [String] {
        var files: [String] = []
        var dir = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
        let fm = FileManager.default
        while dir.path != "/" && !dir.path.isEmpty {
            files.append(dir.appendingPathComponent("var/pgtest/conninfo").path)
            // A linked git worktree has a `.git` file: "gitdir: <main>/.git/worktrees/<name>".
            let dotGit = dir.appendingPathComponent(".git").path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dotGit, isDirectory: &isDir), !isDir.boolValue,
               let main = mainWorktree(gitFile: dotGit) {
                files.append(main.appendingPathComponent("var/pgtest/conninfo").path)
            }
            dir = dir.deletingLastPathComponent()
        }
        return files
    }

    private static func mainWorktree(gitFile: String) -> URL? {
        guard let text = try? String(contentsOfFile: gitFile, encoding: .utf8),
              let line = text.split(whereSeparator: \.isNewline).first, line.hasPrefix("gitdir:")
        else { return nil }
        let gitdir = URL(fileURLWithPath: line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces),
                         relativeTo: URL(fileURLWithPath: gitFile).deletingLastPathComponent())
        guard let common = try? String(contentsOf: gitdir.appendingPathComponent("commondir"), encoding: .utf8)
        else { return nil }
        let commonDir = URL(fileURLWithPath: common.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: gitdir)
            .standardizedFileURL
        return commonDir.deletingLastPathComponent()
    }
}
