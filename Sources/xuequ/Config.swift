import Foundation
import LibPQ
import XuequStore

/// The configuration file (`xuequ.toml`), environment variables and flags, with one precedence:
/// a flag beats an environment variable, which beats the file, which beats the default.
///
/// The file is found at `--config FILE`, else `XUEQU_CONFIG`, else `/etc/xuequ/xuequ.toml`, else
/// `PREFIX/etc/xuequ/xuequ.toml` beside an installed binary (`PREFIX/bin/xuequ`). A file named
/// explicitly must exist; the others are optional. It is a small subset of TOML: `[section]`
/// headers, `key = "text"` (or 'text', an integer, true/false) and `#` comments; an unknown key is
/// an error at its line, so a misspelt setting is never silently ignored.
struct Config {
    /// A setting: its key, environment variable, default, meaning, and whether it holds a secret.
    struct Setting {
        let key: String
        let environment: String
        let defaultValue: String?
        let help: String
    }

    static let settings: [Setting] = [
        Setting(key: "database.url", environment: "XUEQU_DATABASE_URL", defaultValue: nil,
                help: "libpq conninfo or postgresql:// URI (libpq's PG* variables, when set, come first; without either: the private cluster)"),
        Setting(key: "log.format", environment: "XUEQU_LOG_FORMAT", defaultValue: "text",
                help: "text, logfmt or json (logfmt and json carry the run id on every nightly line)"),
        Setting(key: "log.level", environment: "XUEQU_LOG_LEVEL", defaultValue: nil,
                help: "trace, debug, info, notice, warning, error or critical (default: warning for text, info otherwise)"),
        Setting(key: "nightly.metrics_file", environment: "XUEQU_METRICS_FILE", defaultValue: nil,
                help: "Prometheus text file the nightly run writes (for node_exporter's textfile collector)"),
    ]

    /// Where a value came from.
    enum Source: CustomStringConvertible {
        case flag(String), environment(String), file(String, line: Int), defaultValue, unset
        var description: String {
            switch self {
            case .flag(let f): return f
            case .environment(let e): return "$" + e
            case .file(let path, let line): return "\(path):\(line)"
            case .defaultValue: return "default"
            case .unset: return "-"
            }
        }
    }

    /// The file's path, if one was read.
    var path: String?
    /// key → (value, line) as written in the file.
    var fileValues: [String: (value: String, line: Int)] = [:]

    /// The effective value of `key` and its source; `flag` is the command line's value, if given.
    func value(_ key: String, flag: (name: String, value: String?)? = nil,
               environment: [String: String] = ProcessInfo.processInfo.environment) -> (value: String?, source: Source) {
        guard let setting = Self.settings.first(where: { $0.key == key }) else { return (nil, .unset) }
        if let flag, let v = flag.value { return (v, .flag(flag.name)) }
        if let v = environment[setting.environment], !v.isEmpty { return (v, .environment(setting.environment)) }
        if let v = fileValues[key], let path { return (v.value, .file(path, line: v.line)) }
        if let d = setting.defaultValue { return (d, .defaultValue) }
        return (nil, .unset)
    }

    /// The file's database.url and where it stands, when the file has one.
    var fileDatabaseURL: (url: String, source: String)? {
        guard let path, let v = fileValues["database.url"] else { return nil }
        return (v.value, Source.file(path, line: v.line).description)
    }

    // MARK: Finding and reading the file

    struct ConfigError: Error, CustomStringConvertible {
        let description: String
    }

    /// Resolved where the CLI actually connects: --database, XUEQU_DATABASE_URL, libpq's PG*
    /// variables (environment), the file's database.url, the private cluster.
    static let databaseOrder = "--database > $XUEQU_DATABASE_URL > PG* variables > database.url > private cluster"

    /// The file to read: (path, named explicitly).
    static func locate(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> (String, Bool)? {
        if let flag, !flag.isEmpty { return (flag, true) }
        if let env = environment["XUEQU_CONFIG"], !env.isEmpty { return (env, true) }
        let installed = MigrationDirectory.executableURL.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/xuequ/xuequ.toml").path
        for candidate in ["/etc/xuequ/xuequ.toml", installed] where FileManager.default.fileExists(atPath: candidate) {
            return (candidate, false)
        }
        return nil
    }

    static func load(flag: String?) throws -> Config {
        guard let (path, explicit) = locate(flag: flag) else { return Config() }
        // a file named explicitly must exist; a file that exists must be readable (an unreadable
        // /etc/xuequ/xuequ.toml silently ignored would run with other settings)
        guard let data = FileManager.default.contents(atPath: path) else {
            if explicit || FileManager.default.fileExists(atPath: path) {
                throw ConfigError(description: "配置文件不存在或不可读 / the configuration file cannot be read: \(path)")
            }
            return Config()
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ConfigError(description: "\(path): 不是 UTF-8 文本 / not UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var config = Config(path: path)
        config.fileValues = try parse(text, path: path)
        return config
    }

    /// The TOML subset: sections, `key = value`, comments.
    static func parse(_ text: String, path: String) throws -> [String: (value: String, line: Int)] {
        var section = ""
        var values: [String: (value: String, line: Int)] = [:]
        let known = Set(settings.map(\.key))
        // any line ending: "\r\n" is one Character to Swift, so split on newlines, not on "\n"
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNo = index + 1
            func fail(_ what: String) -> ConfigError { ConfigError(description: "\(path):\(lineNo): \(what)") }
            let line = stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw fail("节名应写作 [名称] / a section is written [name]") }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw fail("应写作 键 = 值 / expected key = value") }
            let name = line[..<eq].trimmingCharacters(in: .whitespaces)
            let key = section.isEmpty ? name : "\(section).\(name)"
            guard known.contains(key) else {
                throw fail("未知的设置“\(key)” / unknown setting \"\(key)\" (known: \(known.sorted().joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw fail("“\(key)”重复设置 / \"\(key)\" is set twice") }
            let rawValue = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard let value = decodeValue(rawValue) else {
                throw fail("“\(key)”的值应为带引号的文本、整数或 true/false / the value of \"\(key)\" must be quoted text, an integer or true/false")
            }
            values[key] = (value, lineNo)
        }
        return values
    }

    /// The line without a `#` comment outside quotes.
    static func stripComment(_ line: String) -> String {
        var quote: Character? = nil
        var escaped = false
        for (i, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" && quote == "\"" { escaped = true; continue }
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == "#" {
                return String(line.prefix(i))
            }
        }
        return line
    }

    static func decodeValue(_ raw: String) -> String? {
        if raw.count >= 2, raw.hasPrefix("'"), raw.hasSuffix("'") {
            let inner = String(raw.dropFirst().dropLast())
            return inner.contains("'") ? nil : inner
        }
        if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
            var out = ""
            var escaped = false
            for c in raw.dropFirst().dropLast() {
                if escaped {
                    switch c {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\"", "\\": out.append(c)
                    default: return nil
                    }
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    return nil
                } else {
                    out.append(c)
                }
            }
            return escaped ? nil : out
        }
        if raw == "true" || raw == "false" || Int(raw) != nil { return raw }
        return nil
    }

    /// A value fit to print: a connection string without its password.
    static func display(_ key: String, _ value: String?) -> String {
        guard let value else { return "-" }
        return key == "database.url" ? ConnectionString.redacted(value) : value
    }
}

/// The configuration read once per process (per --config value).
final class ConfigCache: @unchecked Sendable {
    static let shared = ConfigCache()
    private let lock = NSLock()
    private var configs: [String: Config] = [:]

    func config(for flag: String?) throws -> Config {
        try lock.withLock {
            if let c = configs[flag ?? ""] { return c }
            let c = try Config.load(flag: flag)
            configs[flag ?? ""] = c
            return c
        }
    }
}
