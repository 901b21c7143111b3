import Foundation
import LibPQ
import XuequCore

/// The audit log, read back: who changed which row of which table, when, and what changed.
/// Row-level security decides which entries a reader sees (an auditor: all; HR: its district's
/// rows and its own edits; others: none).
public struct AuditStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    public struct Filter: Sendable {
        /// One audited table, by name.
        public var table: String?
        /// Key columns and their values, as the log records them (`staff_id=123`).
        public var key: [(column: String, value: String)]
        /// A teacher's staff number: entries whose key holds that teacher's staff_id.
        public var staffNo: String?
        /// From this date (00:00 in the session's time zone) or date and time on.
        public var since: String?
        /// Only what this login did.
        public var actor: String?
        /// The most recent entries shown (oldest first).
        public var limit: Int

        public init(table: String? = nil, key: [(column: String, value: String)] = [], staffNo: String? = nil,
                    since: String? = nil, actor: String? = nil, limit: Int = 200) {
            self.table = table
            self.key = key
            self.staffNo = staffNo
            self.since = since
            self.actor = actor
            self.limit = limit
        }
    }

    /// The tables that carry the audit triggers.
    public func auditedTables() throws -> [String] {
        try connection.query("""
            SELECT DISTINCT c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE p.proname = 'audit_capture' ORDER BY 1
            """, name: "audited tables").map { try $0.decode(String.self, at: 0) }
    }

    /// `col=value`, the column a lowercase SQL name.
    public static func parseKey(_ text: String) -> (column: String, value: String)? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let first = parts[0].unicodeScalars.first, ("a"..."z").contains(first),
              parts[0].unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }),
              !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1])
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]` (or with a `T`), checked as a real date and time.
    public static func isValidSince(_ text: String) -> Bool {
        let s = text.replacingOccurrences(of: "T", with: " ")
        let parts = s.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, PGDate(iso: String(parts[0])) != nil else { return false }
        guard parts.count == 2 else { return true }
        let hms = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard hms.count == 2 || hms.count == 3, hms.allSatisfy({ $0 != nil }), parts[1].count == hms.count * 3 - 1 else { return false }
        return hms[0]! < 24 && hms[1]! < 60 && (hms.count == 2 || hms[2]! < 60)
    }

    public func show(_ filter: Filter) throws -> Report {
        let lang = language
        func fail(_ zh: String, _ en: String) -> StoreError { .configuration(lang.pick(zh, en)) }
        if let table = filter.table {
            let tables = try auditedTables()
            guard tables.contains(table) else {
                throw fail("--table：“\(table)”不是记录审计日志的表；可用：\(tables.joined(separator: ", "))",
                           "--table: \"\(table)\" is not an audited table; use one of: \(tables.joined(separator: ", "))")
            }
        }
        if let since = filter.since, !Self.isValidSince(since) {
            throw fail("--since：“\(since)”不是有效的日期或时间（写作 2026-11-29 或 2026-11-29 08:30）",
                       "--since: \"\(since)\" is not a valid date or time (write 2026-11-29 or 2026-11-29 08:30)")
        }
        guard (1...100_000).contains(filter.limit) else {
            throw fail("--limit 应在 1 到 100000 之间", "--limit must be between 1 and 100000")
        }
        var staffID: String?
        if let staffNo = filter.staffNo {
            let found = try connection.query("SELECT staff_id::text FROM staff WHERE staff_no = $1", [staffNo], name: "audit staff")
            guard let id = found.first?[0] else {
                throw StoreError.notFound(lang.pick("没有工号为 \(staffNo) 的教职工（或不在你的权限范围内）",
                                                    "no staff member \(staffNo) (or not within your access)"))
            }
            staffID = id
        }
        var keyObject: [String: String] = [:]
        for (c, v) in filter.key {
            if let earlier = keyObject[c], earlier != v {
                throw fail("--key \(c) 给了两个不同的值（\(earlier)、\(v)）", "--key \(c) is given two different values (\(earlier), \(v))")
            }
            keyObject[c] = v
        }
        let keyJSON = keyObject.isEmpty ? nil : String(decoding: try JSONEncoder().encode(keyObject), as: UTF8.self)
        return try ReportQuery(
            columns: [
                .init("at", "时间", "at"),
                .init("actor", "操作人", "by"),
                .init("table", "表", "table"),
                .init("op", "操作", "change", .term { raw, lang in
                    switch raw {
                    case "I": lang.pick("新增", "insert")
                    case "U": lang.pick("修改", "update")
                    default: lang.pick("删除", "delete")
                    }
                }),
                .init("key", "记录", "row"),
                .init("changes", "内容", "what"),
            ],
            sql: """
                WITH e AS (
                    SELECT a.audit_id, a.at, a.session_actor, a.table_name, a.op, a.row_key, a.old_row, a.new_row
                    FROM audit_log a
                    WHERE ($1::text IS NULL OR a.table_name = $1)
                      AND ($2::jsonb IS NULL OR NOT EXISTS (SELECT 1 FROM jsonb_each_text($2::jsonb) k
                                                            WHERE a.row_key ->> k.key IS DISTINCT FROM k.value))
                      AND ($3::timestamptz IS NULL OR a.at >= $3::timestamptz)
                      AND ($4::text IS NULL OR a.session_actor = $4)
                      -- a teacher: every row about them, keyed by them or naming them (assignments, exemptions)
                      AND ($6::text IS NULL OR a.row_key ->> 'staff_id' = $6 OR a.new_row ->> 'staff_id' = $6 OR a.old_row ->> 'staff_id' = $6)
                    ORDER BY a.audit_id DESC LIMIT $5
                )
                SELECT to_char(e.at, 'YYYY-MM-DD HH24:MI:SSOF'), e.session_actor::text, e.table_name::text, e.op,
                       (SELECT string_agg(k.key || '=' || k.value, ' ' ORDER BY k.key) FROM jsonb_each_text(e.row_key) k),
                       CASE e.op
                         WHEN 'U' THEN (SELECT string_agg(n.key || ': ' || coalesce(o.value, '∅') || ' → ' || coalesce(n.value, '∅'), '; ' ORDER BY n.key)
                                        FROM jsonb_each_text(e.new_row) n LEFT JOIN jsonb_each_text(e.old_row) o USING (key)
                                        WHERE n.value IS DISTINCT FROM o.value)
                         ELSE (SELECT string_agg(k.key || '=' || k.value, '; ' ORDER BY k.key)
                               FROM jsonb_each_text(coalesce(e.new_row, e.old_row)) k WHERE NOT e.row_key ? k.key AND k.value IS NOT NULL)
                       END
                FROM e ORDER BY e.audit_id
                """
        ).run(on: connection, [filter.table, keyJSON, filter.since, filter.actor, filter.limit, staffID], language: language, name: "audit show")
    }
}
