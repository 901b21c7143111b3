import ArgumentParser
import Foundation
import LibPQ
import MIP
import XuequCore
import XuequStore

/// Checks an installation and its database, and says what to fix.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the installation and the database: configuration, connection, schema, roles, row-level security, extensions, solver, time zone.",
        discussion: """
            Each check is ok, warn or FAIL, with what to do about it. Exit status 0 when nothing failed (warnings \
            allowed), 1 otherwise: a deployment script or a monitoring probe can run it.

            Example:
              xuequ doctor
              xuequ doctor --config /etc/xuequ/xuequ.toml --lang en
            """)
    @OptionGroup var options: GlobalOptions

    enum Level: String { case ok, warn, fail = "FAIL" }

    struct Check {
        let name: String
        let level: Level
        let detail: String
        let fix: String
    }

    static let groupRoles = ["xuequ_hr", "xuequ_cluster_office", "xuequ_principal", "xuequ_auditor", "xuequ_batch"]
    static let zone = "Asia/Shanghai"

    func run() throws {
        let lang = options.lang
        var checks: [Check] = []
        func add(_ name: String, _ level: Level, _ detail: String, _ fix: String = "") {
            checks.append(Check(name: name, level: level, detail: detail, fix: fix))
        }
        // configuration
        do {
            let c = try options.configuration()
            add("config", .ok, c.path ?? lang.pick("没有配置文件，使用环境变量和默认值", "no configuration file: environment and defaults"))
        } catch {
            add("config", .fail, "\(error)", lang.pick("改正配置文件中这一行", "correct that line of the configuration file"))
        }
        // migrations folder
        var directory: MigrationDirectory?
        do {
            directory = try MigrationDirectory.locate()
            add("sql", .ok, directory!.url.path)
        } catch {
            add("sql", .fail, "\(error)", lang.pick("设置 XUEQU_SQL_DIR，或按 deploy/install.sh 安装（PREFIX/share/xuequ/sql）",
                                                   "set XUEQU_SQL_DIR, or install with deploy/install.sh (PREFIX/share/xuequ/sql)"))
        }
        // connection
        var conn: Connection?
        do {
            conn = try options.connect(checkSchema: false)
            let r = try conn!.query("SELECT current_user::text, current_database()::text, current_setting('server_version')")[0]
            add("connection", .ok, "\(r[0] ?? "")@\(r[1] ?? ""), PostgreSQL \(r[2] ?? "")")
        } catch {
            add("connection", .fail, Self.text(error), lang.pick("检查 database.url / XUEQU_DATABASE_URL / PG* 变量，以及服务器是否运行",
                                                                 "check database.url / XUEQU_DATABASE_URL / PG* variables, and that the server is up"))
        }
        if let conn {
            // schema
            if let directory {
                do {
                    let status = try Migrator(directory: directory, logger: options.logger).status(on: conn)
                    let pending = status.filter { $0.state == .pending }.map(\.fileName)
                    let changed = status.filter { $0.state == .changed }.map(\.fileName)
                    let unknown = status.filter { $0.state == .unknown }.map(\.fileName)
                    let applied = status.filter { $0.state == .applied }.count
                    if !changed.isEmpty {
                        add("schema", .fail, lang.pick("已应用的迁移文件被修改：", "applied migration files changed: ") + changed.joined(separator: ", "),
                            lang.pick("安装与数据库一致的版本", "install the version the database was migrated with"))
                    } else if !pending.isEmpty {
                        add("schema", .fail, lang.pick("\(applied) 个已应用，\(pending.count) 个待应用：", "\(applied) applied, \(pending.count) pending: ")
                            + pending.joined(separator: ", "), "xuequ db migrate")
                    } else if !unknown.isEmpty {
                        add("schema", .warn, lang.pick("数据库有本程序不认识的迁移：", "the database has migrations this build does not know: ")
                            + unknown.joined(separator: ", "), lang.pick("升级 xuequ", "upgrade xuequ"))
                    } else {
                        add("schema", .ok, lang.pick("\(applied) 个迁移均已应用，最新 \(status.last?.fileName ?? "-")",
                                                     "all \(applied) migrations applied, latest \(status.last?.fileName ?? "-")"))
                    }
                } catch {
                    add("schema", .fail, Self.text(error), "xuequ db migrate")
                }
            }
            // roles
            if let missing = try? conn.query("SELECT array(SELECT r FROM unnest($1::text[]) r WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r))",
                                             [Self.groupRoles])[0].decode([String].self, at: 0) {
                if missing.isEmpty {
                    add("roles", .ok, Self.groupRoles.joined(separator: ", "))
                } else {
                    add("roles", .fail, lang.pick("缺少组角色：", "missing group roles: ") + missing.joined(separator: ", "), "xuequ db migrate")
                }
            }
            // row-level security: every table that carries a district, and the person and result tables
            if let r = try? conn.query("""
                SELECT count(*) FILTER (WHERE c.relrowsecurity), count(*),
                       coalesce(string_agg(c.relname, ', ' ORDER BY c.relname) FILTER (WHERE NOT c.relrowsecurity), '')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r'
                  -- the published-run pointers carry no person data: every role reads them
                  AND c.relname NOT IN ('published_run', 'published_title')
                  AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'district_id' AND NOT a.attisdropped)
                       OR c.relname IN ('audit_log', 'evaluation', 'staff', 'assignment_slot', 'assignment_event', 'rotation_plan_move'))
                """)[0], r[1] != "0" {
                if r[2] ?? "" == "" {
                    add("row-level security", .ok, lang.pick("\(r[0] ?? "0") 张表已启用", "enabled on \(r[0] ?? "0") tables"))
                } else {
                    add("row-level security", .fail, lang.pick("未启用：", "not enabled on: ") + (r[2] ?? ""),
                        lang.pick("xuequ db migrate；若仍未启用，有人关闭了它：ALTER TABLE … ENABLE ROW LEVEL SECURITY",
                                  "xuequ db migrate; if still off, someone disabled it: ALTER TABLE … ENABLE ROW LEVEL SECURITY"))
                }
            }
            // extensions
            if let have = try? conn.query("SELECT extversion FROM pg_extension WHERE extname = 'btree_gist'").first?[0] ?? nil {
                add("extensions", .ok, "btree_gist \(have)")
            } else if (try? conn.query("SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gist'").isEmpty) == false {
                add("extensions", .warn, lang.pick("btree_gist 可用但尚未创建", "btree_gist is available, not created yet"), "xuequ db migrate")
            } else {
                add("extensions", .fail, lang.pick("服务器没有 btree_gist 扩展", "the server lacks the btree_gist extension"),
                    lang.pick("安装 PostgreSQL 的 contrib 扩展（Debian：postgresql-contrib 随服务器安装）", "install PostgreSQL's contrib extensions"))
            }
            // time zone of the server's sessions
            if let tz = try? conn.query("SELECT current_setting('TimeZone')").scalar(String.self) {
                if tz == Self.zone || tz == "PRC" {
                    add("database time zone", .ok, tz)
                } else {
                    add("database time zone", .warn, tz + lang.pick("（时间戳按此显示）", " (timestamps are shown in it)"),
                        "ALTER DATABASE … SET timezone = '\(Self.zone)'")
                }
            }
        }
        // the solver, loaded only by `rotation plan`
        if let v = CBC.version {
            add("solver", .ok, "COIN-OR CBC \(v)")
        } else {
            add("solver", .warn, lang.pick("找不到 CBC 库；只影响 rotation plan", "CBC library not found; only `rotation plan` needs it"),
                "apt-get install coinor-libcbc3")
        }
        // the machine's time zone decides what "today" is
        let local = TimeZone.current.identifier
        if local == Self.zone || TimeZone.current.secondsFromGMT() == 8 * 3600 {
            add("local time zone", .ok, local)
        } else {
            add("local time zone", .warn, local + lang.pick("：“今天”按此计算，北京时间 0–8 点会差一天", ": \"today\" is taken from it, a day off between 00:00 and 08:00 Beijing time"),
                "TZ=\(Self.zone) (systemd: Environment=TZ=\(Self.zone))")
        }
        // the metrics file's folder, if one is configured
        if let path = (try? options.configuration())?.value("nightly.metrics_file").value {
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            add("metrics file", FileManager.default.isWritableFile(atPath: dir) ? .ok : .fail, path,
                FileManager.default.isWritableFile(atPath: dir) ? "" : lang.pick("让运行 xuequ 的用户可写 \(dir)", "make \(dir) writable for the user running xuequ"))
        }

        let report = Report(
            columns: [ReportColumn(key: "check", title: lang.pick("检查", "check")), ReportColumn(key: "status", title: lang.pick("结果", "status")),
                      ReportColumn(key: "detail", title: lang.pick("详情", "detail")), ReportColumn(key: "fix", title: lang.pick("处理", "fix"))],
            rows: checks.map { [.text($0.name), .text($0.level.rawValue), .text($0.detail), .text($0.fix)] })
        emit(report.render(for: lang, options.format))
        let failed = checks.filter { $0.level == .fail }.count
        if options.format == .table {
            print(failed == 0 ? lang.pick("没有发现问题。", "No problems found.")
                              : lang.pick("\(failed) 项检查失败。", "\(failed) check(s) failed."))
        }
        if failed > 0 { throw ExitCode(1) }
    }

    static func text(_ error: Error) -> String {
        if let e = error as? PGError { return e.message.split(whereSeparator: \.isNewline).joined(separator: " ") }
        return "\(error)"
    }
}
