import Foundation

/// The nightly run's Prometheus metrics, in the text exposition format, for node_exporter's
/// textfile collector. Written to a temporary file beside the target and renamed over it, so the
/// collector never reads half a file. Series (all gauges):
///
///   xuequ_nightly_exit_status                      0 ok, 3 published with problems, 1 failed, 75 busy
///   xuequ_nightly_last_run_timestamp_seconds       when this run ended
///   xuequ_nightly_last_success_timestamp_seconds   when the last run that published ended
///   xuequ_nightly_duration_seconds                 this run's wall time
///   xuequ_nightly_stage_duration_seconds{stage}    each stage of this run
///   xuequ_nightly_rows_read{table} / xuequ_nightly_rows_written{table}
///   xuequ_nightly_incomplete_teachers, xuequ_nightly_pending_units
///   xuequ_nightly_run_id, xuequ_nightly_full_run (1 full, 0 incremental)
struct NightlyMetrics {
    var exitStatus: Int32
    var endedAt: Date
    var lastSuccess: Date?
    var seconds: Double
    var runID: Int64?
    var full: Bool?
    var stages: [(String, Int)] = []
    var read: [(String, Int)] = []
    var written: [(String, Int)] = []
    var incomplete: Int?
    var pendingUnits: Int?

    static let series: [(name: String, help: String)] = [
        ("xuequ_nightly_exit_status", "Exit status of the last nightly run: 0 ok, 3 published with problems, 1 failed, 75 another run in progress."),
        ("xuequ_nightly_last_run_timestamp_seconds", "Unix time the last nightly run ended."),
        ("xuequ_nightly_last_success_timestamp_seconds", "Unix time the last nightly run that published results ended."),
        ("xuequ_nightly_duration_seconds", "Wall time of the last nightly run."),
        ("xuequ_nightly_stage_duration_seconds", "Wall time of each stage of the last nightly run."),
        ("xuequ_nightly_rows_read", "Rows the last nightly run read, by input."),
        ("xuequ_nightly_rows_written", "Rows the last nightly run wrote, by result table."),
        ("xuequ_nightly_incomplete_teachers", "Teachers scored with a missing evaluation in the last run."),
        ("xuequ_nightly_pending_units", "Assessment units left pending (a missing score) in the last run."),
        ("xuequ_nightly_run_id", "Id of the last nightly run (xuequ nightly runs)."),
        ("xuequ_nightly_full_run", "1 when the last run recomputed everything, 0 when incremental."),
    ]

    func text() -> String {
        var samples: [String: [String]] = [:]
        func add(_ name: String, _ value: Double) { add(name, [], value) }
        func add(_ name: String, _ labels: [(String, String)], _ value: Double) {
            let l = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
            samples[name, default: []].append("\(name)\(l) \(Self.number(value))")
        }
        add("xuequ_nightly_exit_status", Double(exitStatus))
        add("xuequ_nightly_last_run_timestamp_seconds", endedAt.timeIntervalSince1970)
        if let lastSuccess { add("xuequ_nightly_last_success_timestamp_seconds", lastSuccess.timeIntervalSince1970) }
        add("xuequ_nightly_duration_seconds", seconds)
        for (stage, ms) in stages { add("xuequ_nightly_stage_duration_seconds", [("stage", stage)], Double(ms) / 1000) }
        for (table, n) in read { add("xuequ_nightly_rows_read", [("input", table)], Double(n)) }
        for (table, n) in written { add("xuequ_nightly_rows_written", [("table", table)], Double(n)) }
        if let incomplete { add("xuequ_nightly_incomplete_teachers", Double(incomplete)) }
        if let pendingUnits { add("xuequ_nightly_pending_units", Double(pendingUnits)) }
        if let runID { add("xuequ_nightly_run_id", Double(runID)) }
        if let full { add("xuequ_nightly_full_run", full ? 1 : 0) }
        var out = ""
        for (name, help) in Self.series {
            guard let lines = samples[name] else { continue }
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n" + lines.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3f", v)
    }

    /// Writes the file atomically (a temporary file in the same folder, renamed over it).
    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        try Data(text().utf8).write(to: tmp)
        guard rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: reason])
        }
    }

    /// The last-success time a previous file recorded (kept when this run cannot ask the database).
    static func previousLastSuccess(at path: String) -> Date? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("xuequ_nightly_last_success_timestamp_seconds ") {
            if let v = Double(line.split(separator: " ").last ?? "") { return Date(timeIntervalSince1970: v) }
        }
        return nil
    }
}
