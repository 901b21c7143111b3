import Foundation
import LibPQ
import XuequCore

/// Deletes the result rows of old runs that nothing published points at. Readers see results
/// through the published pointers (`published_run`, `published_unit` per assessment unit,
/// `published_title` and `title_override` for titles); a run none of them names is history only.
/// Runs under the batch's advisory lock, so no run publishes meanwhile; one transaction.
public struct NightlyPrune {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    /// The tables holding a run's results, each keyed by run_id first.
    public static let resultTables = ["score_teacher", "score_dimension", "score_school", "score_part", "score_missing", "score_unit",
                                      "title_result", "title_rule"]

    public struct Outcome: Sendable {
        /// The runs whose results were (or, dry, would be) deleted.
        public var runs: [Int64]
        /// Rows deleted per table, in `resultTables` order.
        public var rows: [(table: String, count: Int)]
        public var kept: Int
    }

    public func prune(olderThanDays days: Int, dryRun: Bool) throws -> Outcome {
        guard days >= 0 else {
            throw StoreError.configuration(language.pick("--older-than 应为 0 或更多天", "--older-than must be 0 days or more"))
        }
        guard try connection.query("SELECT pg_try_advisory_lock(\(NightlyBatch.lockSQL))", name: "nightly lock").scalar(Bool.self) else {
            throw NightlyBatch.Busy(message: Message(zh: "夜间批处理正在运行；清理未执行，稍后再试", en: "a nightly run is in progress; nothing pruned, try later"))
        }
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(NightlyBatch.lockSQL))", name: "nightly unlock") }
        return try connection.transaction { conn in
            let candidates = try conn.query("""
                WITH used AS (
                    SELECT run_id FROM published_run UNION SELECT run_id FROM published_unit
                    UNION SELECT run_id FROM published_title UNION SELECT run_id FROM title_override
                )
                SELECT r.run_id FROM nightly_run r
                WHERE r.status <> 'running' AND r.pruned_at IS NULL
                  AND r.started_at < now() - make_interval(days => $1)
                  AND r.run_id NOT IN (SELECT run_id FROM used)
                ORDER BY r.run_id
                """, [days], name: "prune candidates").map { try $0.decode(Int64.self, at: 0) }
            let kept = try conn.query("SELECT count(*) FROM nightly_run WHERE pruned_at IS NULL", name: "runs kept").scalar(Int.self) - candidates.count
            var rows: [(String, Int)] = []
            for table in Self.resultTables {
                let n: Int
                if dryRun {
                    n = try conn.query("SELECT count(*) FROM \(table) WHERE run_id = ANY ($1::bigint[])", [candidates], name: "prune count").scalar(Int.self)
                } else {
                    n = try conn.query("DELETE FROM \(table) WHERE run_id = ANY ($1::bigint[])", [candidates], name: "prune \(table)").affectedRows
                }
                rows.append((table, n))
            }
            if !dryRun {
                try conn.query("UPDATE nightly_run SET pruned_at = clock_timestamp() WHERE run_id = ANY ($1::bigint[])", [candidates], name: "mark pruned")
            }
            return Outcome(runs: candidates, rows: rows, kept: kept)
        }
    }
}
