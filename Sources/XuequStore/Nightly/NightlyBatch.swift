import Foundation
import LibPQ
import Logging
import XuequCore

/// The nightly batch of domain.md §8 (the evaluation part): for each district's evaluation
/// periods that have started by a date and are not yet released, it reads the workload records, placements, ethics records, evaluations and
/// pools set-based from one REPEATABLE READ snapshot, scores everyone with the pure rules of
/// `Scoring`, assesses every teacher's title eligibility with `TitleEligibility`, writes the results
/// with COPY and publishes them — results and the districts' pointers to them — in the same
/// transaction. A kill at any moment leaves the last published run
/// as it was; the run row, written before the work starts, then reads `running` until the next run
/// marks it `abandoned`.
public struct NightlyBatch {
    let connection: Connection
    let language: Language
    let logger: Logger

    public init(connection: Connection, language: Language, logger: Logger = Logger(label: "xuequ.nightly")) {
        self.connection = connection
        self.language = language
        self.logger = logger
    }

    public struct Options: Sendable {
        public var asOf: String
        /// District codes; empty: every district.
        public var districts: [String]
        /// Wait for a run in progress instead of exiting.
        public var wait: Bool
        /// Recompute everything, whatever changed.
        public var full: Bool
        /// About this many staff per chunk of districts processed at a time (memory holds one chunk);
        /// nil: `NightlyBatch.chunkStaff(total:)`.
        public var chunkStaff: Int?
        /// Told the run's id as soon as the run is recorded (a caller's logs carry it from then on).
        public var onStart: (@Sendable (Int64) -> Void)?

        public init(asOf: String, districts: [String] = [], wait: Bool = false, full: Bool = false,
                    chunkStaff: Int? = nil, onStart: (@Sendable (Int64) -> Void)? = nil) {
            self.asOf = asOf
            self.districts = districts
            self.wait = wait
            self.full = full
            self.chunkStaff = chunkStaff
            self.onStart = onStart
        }
    }

    /// How a run ended: what it read, wrote and how long each stage took.
    public struct Outcome: Sendable {
        public var runID: Int64
        public var status: NightlyStatus
        public var stages: [(stage: String, ms: Int)]
        public var inputs: [(String, Int)]
        public var outputs: [(String, Int)]
        public var incomplete: Int
        public var pendingUnits: Int
        public var skipped: [String]
        public var message: Message
        /// `full`, or `incremental` when some period or district recomputed only what changed.
        public var mode: String

        /// 0 success, 3 partial (incomplete teachers, pending units or districts without a period).
        public var exitCode: Int32 { status == .succeeded ? 0 : 3 }
    }

    /// Another run holds the batch lock.
    public struct Busy: Error, Sendable {
        public let message: Message
        public static let exitCode: Int32 = 75
    }

    static let lockSQL = "hashtext('xuequ.nightly')"

    public func run(_ options: Options) throws -> Outcome {
        if options.wait {
            try connection.query("SELECT pg_advisory_lock(\(Self.lockSQL))", name: "nightly lock (wait)")
        } else if !(try connection.query("SELECT pg_try_advisory_lock(\(Self.lockSQL))", name: "nightly lock").scalar(Bool.self)) {
            let r = try connection.query("""
                SELECT run_id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), run_by FROM nightly_run
                WHERE status = 'running' ORDER BY run_id DESC LIMIT 1
                """, name: "running run")
            let who = r.count == 1 ? " #\(r[0][0] ?? "?")（\(r[0][1] ?? "")，\(r[0][2] ?? "")）" : ""
            let whoEn = r.count == 1 ? " #\(r[0][0] ?? "?") (started \(r[0][1] ?? "") by \(r[0][2] ?? ""))" : ""
            throw Busy(message: Message(zh: "另一个夜间批处理正在运行\(who)；本次未运行。稍后再试，或加 --wait 等它结束",
                                        en: "another nightly run is in progress\(whoEn); this one did not start. Try later, or add --wait"))
        }
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.lockSQL))", name: "nightly unlock") }
        // holding the lock, any run still marked running was killed
        try connection.query("""
            UPDATE nightly_run SET status = 'abandoned', finished_at = clock_timestamp(), exit_code = 1,
                   message = coalesce(message, '进程中断，未发布任何结果 / interrupted, nothing published')
            WHERE status = 'running'
            """, name: "mark abandoned runs")
        let districts = try resolveDistricts(options.districts)
        let runID = try connection.query("INSERT INTO nightly_run (as_of, districts) VALUES ($1::date, $2::integer[]) RETURNING run_id",
                                         [options.asOf, districts.map(\.id)], name: "start run").scalar(Int64.self)
        options.onStart?(runID)
        logger.info("nightly run started", metadata: ["run": "\(runID)", "as_of": "\(options.asOf)"])
        var timer = StageTimer()
        do {
            let outcome = try connection.transaction(isolation: .repeatableRead) { conn in
                try score(runID: runID, asOf: options.asOf, districts: districts, full: options.full,
                          chunkStaff: options.chunkStaff.map { max(1, $0) }, on: conn, timer: &timer)
            }
            logger.info("nightly run published", metadata: ["run": "\(runID)", "status": "\(outcome.status.rawValue)"])
            return outcome
        } catch {
            let text = (error as? PGError)?.message ?? String(describing: error)
            _ = try? connection.query("""
                UPDATE nightly_run SET status = 'failed', finished_at = clock_timestamp(), exit_code = 1, message = $2,
                       stages = $3::jsonb WHERE run_id = $1
                """, [runID, text, timer.json], name: "record failure")
            throw error
        }
    }

    func resolveDistricts(_ codes: [String]) throws -> [(id: Int, code: String)] {
        let r = try connection.query("""
            SELECT district_id, code FROM district WHERE cardinality($1::text[]) = 0 OR code = ANY ($1::text[]) ORDER BY code
            """, [codes], name: "districts")
        let found = try r.map { (id: try $0.decode(Int.self, at: 0), code: try $0.decode(String.self, at: 1)) }
        let unknown = codes.filter { c in !found.contains { $0.code == c } }
        if !unknown.isEmpty {
            throw StoreError.notFound(language.pick("没有区代码 \(unknown.joined(separator: "、"))", "no district with code \(unknown.joined(separator: ", "))"))
        }
        return found
    }

    // MARK: The run, inside its transaction

    struct PeriodRow {
        let id: Int
        let districtID: Int
        let districtCode: String
        let schoolYear: Int
        let startsOn: String
        let endsOn: String
        var released = false
    }

    private func score(runID: Int64, asOf: String, districts: [(id: Int, code: String)], full forceFull: Bool, chunkStaff: Int?,
                       on conn: Connection,
                       timer: inout StageTimer) throws -> Outcome {
        var inputs: [String: Int] = [:], outputs: [String: Int] = [:]
        var skipped: [String] = []
        var incomplete = 0, pendingUnits = 0
        inputs["periods_incremental"] = 0
        inputs["units_recomputed"] = 0
        // the batch runs its own three connections side by side: the server's parallel workers
        // would only compete with them for the cores (2 s more CPU at Beijing size on 2 cores)
        try conn.execute(Self.sessionSettings, name: "batch settings")

        // every period that has started by the as-of date and is not released, and a released one
        // once more after its release (scores may have changed since the last run before it);
        // from then on it keeps those results
        let periods: [PeriodRow] = try timer.measure("periods") {
            let r = try conn.query("""
                SELECT p.period_id, p.district_id, d.code, p.school_year, p.starts_on::text, p.ends_on::text, p.status = 'released'
                FROM evaluation_period p JOIN district d USING (district_id)
                WHERE p.district_id = ANY ($1::integer[]) AND p.starts_on <= $2::date
                  AND (p.status <> 'released'
                       OR NOT EXISTS (SELECT 1 FROM published_run x JOIN nightly_run r USING (run_id)
                                      WHERE x.district_id = p.district_id AND x.period_id = p.period_id
                                        AND r.started_at >= p.released_at))
                ORDER BY d.code, p.school_year
                """, [districts.map(\.id), asOf], name: "periods")
            return try r.map { row in
                PeriodRow(id: try row.decode(Int.self, at: 0), districtID: try row.decode(Int.self, at: 1), districtCode: try row.decode(String.self, at: 2),
                          schoolYear: try row.decode(Int.self, at: 3), startsOn: try row.decode(String.self, at: 4), endsOn: try row.decode(String.self, at: 5),
                          released: try row.decode(Bool.self, at: 6))
            }
        }
        // districts without any period that has started (a released period needs no more runs)
        skipped = try conn.query("""
            SELECT d.code FROM district d WHERE d.district_id = ANY ($1::integer[])
              AND NOT EXISTS (SELECT 1 FROM evaluation_period p WHERE p.district_id = d.district_id AND p.starts_on <= $2::date)
            ORDER BY 1
            """, [districts.map(\.id), asOf], name: "districts without a period").map { $0[0] ?? "" }
        inputs["periods"] = periods.count

        var rulesByPeriod: [Int: Policy.Evaluation] = [:]
        for period in periods {
            rulesByPeriod[period.id] = try PolicyStore(connection: conn).effective(districtID: period.districtID, schoolYear: period.schoolYear)
                .policy.evaluation
        }
        // what changed since the last run: the notes this snapshot sees, consumed with the run
        let changes = try timer.measure("changes") { try consumeChanges(districts: districts.map(\.id), on: conn) }
        inputs["change_notes"] = changes.notes
        let districtStaff = try conn.query("""
            SELECT district_id, count(*) FROM staff WHERE district_id = ANY ($1::integer[]) GROUP BY district_id
            """, [districts.map(\.id)], name: "district sizes").reduce(into: [Int: Int]()) {
                $0[try $1.decode(Int.self, at: 0)] = try $1.decode(Int.self, at: 1)
            }
        // titles: a district whose policy, periods and schools did not change recomputes only the
        // teachers whose records changed and, when the date moved within the school year, those
        // whose results could differ between the two dates
        let titleBase = try conn.query("""
            SELECT district_id, titles_as_of::text FROM published_title WHERE district_id = ANY ($1::integer[])
            """, [districts.map(\.id)], name: "title base").reduce(into: [Int: String]()) {
                $0[try $1.decode(Int.self, at: 0)] = try $1.decode(String.self, at: 1)
            }
        var titleOnly: [Int: Set<Int64>] = [:]
        var moved: [(district: Int, since: String)] = []
        let releasing = Set(periods.filter(\.released).map(\.districtID))
        for d in districts where !forceFull && !changes.whole.contains(d.id) && !releasing.contains(d.id) {
            guard let base = titleBase[d.id], base <= asOf,
                  let from = Day(base), let to = Day(asOf), from.schoolYear == to.schoolYear else { continue }
            titleOnly[d.id] = changes.staff[d.id] ?? []
            if base < asOf { moved.append((d.id, base)) }
        }
        if !moved.isEmpty {
            let rules = try TitleStore(connection: conn, language: language).rules(districts: Set(moved.map(\.district)), asOf: asOf)
            for (district, staff) in try titleChangedByDate(moved, windows: rules.mapValues(\.trainingWindowYears), asOf: asOf, on: conn) {
                titleOnly[district]?.formUnion(staff)
            }
        }
        for (d, changed) in titleOnly where Double(changed.count) > Self.incrementalShare * Double(districtStaff[d] ?? 0) {
            titleOnly[d] = nil
        }
        inputs["title_teachers_incremental"] = titleOnly.values.map(\.count).reduce(0, +)
        // districts in chunks of about `chunkStaff` staff, so that memory holds one chunk's inputs
        // and results whatever the number of districts
        let chunks = Self.chunks(districts.map(\.id), staff: districtStaff,
                                 limit: chunkStaff ?? Self.chunkStaff(total: districtStaff.values.reduce(0, +)))
        inputs["chunks"] = chunks.count
        // one chunk holding every district the database has: inputs are read whole, not filtered
        let wholeDatabase = try chunks.count == 1
            && conn.query("SELECT count(*) FROM district", name: "districts").scalar(Int.self) == districts.count
        // the title assessments are read and computed beside the scores, on a second connection that
        // reads this transaction's snapshot; their rows are written here, in this transaction. Not
        // when a released period is scored again: its grades, as this run publishes them, count.
        let titles = TitleStore(connection: conn, language: language)
        var worker: Connection?
        // with several chunks, a third connection on the same snapshot reads the next chunk's
        // scoring inputs while this connection scores and writes the current one (its reads make
        // temporary tables, so its transaction is not read-only; it writes nothing else and ends
        // with a rollback)
        var reader: Connection?
        if !periods.contains(where: \.released) {
            let snapshot = try conn.query("SELECT pg_export_snapshot()", name: "export snapshot").scalar(String.self)
            // a second connection in a transaction on this one's snapshot
            func onSnapshot(_ role: String, readOnly: Bool) throws -> Connection {
                let other = try conn.sibling()
                try other.execute("BEGIN ISOLATION LEVEL REPEATABLE READ\(readOnly ? " READ ONLY" : "")", name: "\(role) begin")
                try other.query("SET TRANSACTION SNAPSHOT \(try other.escapeLiteral(snapshot))", name: "\(role) snapshot")
                try other.execute(Self.sessionSettings, name: "\(role) settings")
                return other
            }
            worker = try onSnapshot("worker", readOnly: true)
            if chunks.count > 1 { reader = try onSnapshot("reader", readOnly: false) }
        }
        // the worker assesses a chunk's titles while the main connection reads, scores and writes
        // it, and starts on the next chunk while this one's titles are written
        typealias Assessed = (assessed: [(TitleStore.Subject, TitleAssessment)], timer: StageTimer)
        let language = self.language
        func assessBeside(_ chunk: [Int]) -> BackgroundWork<Assessed>? {
            guard let worker else { return nil }
            let only = titleOnly.filter { chunk.contains($0.key) }
            return BackgroundWork {
                var timer = StageTimer()
                let assessed = try TitleStore(connection: worker, language: language)
                    .assessStage(districts: chunk, asOf: asOf, only: only, everyDistrict: wholeDatabase, timer: &timer)
                return (assessed, timer)
            }
        }
        // the reader reads chunk `index` (from the second chunk on) while this connection works on the one before
        typealias Read = (inputs: ScopedInputs, timer: StageTimer)
        func readBeside(_ index: Int) -> BackgroundWork<Read>? {
            guard let reader, index < chunks.count else { return nil }
            let chunk = chunks[index]
            let inChunk = Set(chunk)
            let chunkPeriods = periods.filter { inChunk.contains($0.districtID) }
            return BackgroundWork {
                var timer = StageTimer()
                let read = try timer.measure("read beside") {
                    try self.readScoped(periods: chunkPeriods, asOf: asOf, rules: rulesByPeriod, changes: changes,
                                        districtStaff: districtStaff, districts: chunk, full: forceFull, on: reader)
                }
                return (read, timer)
            }
        }
        var checkPeriods: [Int] = []
        var next = chunks.first.flatMap(assessBeside)
        defer { next?.join() }
        var nextRead = readBeside(1)
        defer { nextRead?.join() }
        for (index, chunk) in chunks.enumerated() {
            let inChunk = Set(chunk)
            let chunkPeriods = periods.filter { inChunk.contains($0.districtID) }
            let only = titleOnly.filter { inChunk.contains($0.key) }
            let background = next
            next = nil
            defer { background?.join() }
            // which periods are recomputed in full and, for the others, which teachers and units:
            // read here for the first chunk, by the reader for the others ("read" is then the wait)
            let pendingRead = index > 0 ? nextRead : nil
            if index > 0 { nextRead = nil }
            defer { pendingRead?.join() }
            var readerTimer: StageTimer?
            let read = try timer.measure("read") { () throws -> ScopedInputs in
                if let pendingRead {
                    let (inputs, beside) = try pendingRead.wait()
                    readerTimer = beside
                    return inputs
                }
                return try readScoped(periods: chunkPeriods, asOf: asOf, rules: rulesByPeriod, changes: changes, districtStaff: districtStaff,
                                      districts: wholeDatabase ? nil : chunk, full: forceFull, on: conn)
            }
            if let readerTimer { timer.merge(readerTimer) }
            if index > 0 { nextRead = readBeside(index + 1) }
            for (k, v) in read.inputs.counts { inputs[k, default: 0] += v }
            inputs["periods_incremental", default: 0] += read.units.count
            checkPeriods += read.units.filter { !$0.value.isEmpty }.map(\.key)
            inputs["units_recomputed", default: 0] += read.units.values.map(\.count).reduce(0, +)
            for period in chunkPeriods {
                guard let rules = rulesByPeriod[period.id] else { continue }
                let teachers = read.inputs.teachers[period.id] ?? []
                var pools = read.inputs.pools[period.id] ?? [:]
                if let units = read.units[period.id] {
                    // only the units recomputed: nothing to do when nothing changed
                    if units.isEmpty { continue }
                    pools = pools.filter { units.contains($0.key) }
                }
                let outcome = timer.measure("score") { Scoring.score(teachers, pools: pools, rules: rules) }
                let written = try timer.measure("write") {
                    try write(runID: runID, period: period, teachers: teachers, outcome: outcome, rules: rules, on: conn)
                }
                for (k, v) in written { outputs[k, default: 0] += v }
            }
            // the scores' pointers first: the title stage reads the grades of released periods as
            // published, this run's included (all in the same transaction, so still all or nothing)
            try timer.measure("publish") {
                for period in chunkPeriods {
                    let units = read.units[period.id]
                    if let units, units.isEmpty { continue }
                    // a full run replaces the period's units; an incremental one those it recomputed
                    try conn.query("""
                        DELETE FROM published_unit WHERE period_id = $1 AND ($2::integer[] IS NULL OR unit_school_id = ANY ($2::integer[]))
                        """, [period.id, units.map { Array($0).sorted() }], name: "unpublish units")
                    try conn.query("""
                        INSERT INTO published_unit (period_id, unit_school_id, district_id, run_id)
                        SELECT period_id, unit_school_id, district_id, run_id FROM score_unit WHERE run_id = $1 AND period_id = $2
                        """, [runID, period.id], name: "publish units")
                }
            }
            // title eligibility (domain.md §7) of every teacher of the chunk's districts, as of the same date
            let assessed: [(TitleStore.Subject, TitleAssessment)]
            if let background {
                let (result, workerTimer) = try background.wait()
                assessed = result
                timer.merge(workerTimer)
                if index + 1 < chunks.count { next = assessBeside(chunks[index + 1]) }
            } else {
                assessed = try titles.assessStage(districts: chunk, asOf: asOf, only: only, everyDistrict: wholeDatabase,
                                                  timer: &timer)
            }
            let written = try titles.writeStage(runID: runID, districts: chunk, asOf: asOf, only: only, assessed: assessed, timer: &timer)
            for (k, v) in written { outputs[k, default: 0] += v }
        }
        try worker?.execute("COMMIT", name: "worker end")
        try reader?.execute("ROLLBACK", name: "reader end")
        try timer.measure("publish") {
            _ = try conn.query("""
                INSERT INTO published_run (district_id, period_id, run_id)
                SELECT district_id, period_id, $1::bigint FROM evaluation_period WHERE period_id = ANY ($2::integer[])
                ON CONFLICT (district_id, period_id) DO UPDATE SET run_id = EXCLUDED.run_id, published_at = clock_timestamp()
                """, [runID, periods.map(\.id)], name: "publish")
        }

        let problems = try timer.measure("verify") {
            try conn.query("""
                SELECT unit_school_id, problem FROM score_run_violations($1)
                UNION ALL
                -- the published units, old and new, hold every teacher at most once (a period
                -- recomputed in full has only this run's units, whose key is the teacher)
                (SELECT NULL, 'staff ' || t.staff_id || ' is published in ' || count(*) || ' units of period ' || t.period_id
                 FROM published_unit u JOIN score_teacher t
                      ON t.run_id = u.run_id AND t.period_id = u.period_id AND t.unit_school_id = u.unit_school_id
                 WHERE u.period_id = ANY ($2::integer[])
                 GROUP BY t.period_id, t.staff_id HAVING count(*) > 1 LIMIT 5)
                """, [runID, checkPeriods], name: "verify run")
        }
        if problems.count > 0 {
            let list = problems.prefix(5).map { "\($0[0] ?? "?"): \($0[1] ?? "")" }.joined(separator: "; ")
            throw StoreError.schema("nightly run \(runID) failed its own check: \(list)")
        }

        // the state readers now see: incomplete teachers and pending units of every published unit
        // of the run's periods (an incremental run computed only some of them)
        if !periods.isEmpty {
            let state = try conn.query("""
                SELECT coalesce(sum(x.incomplete), 0)::integer, count(*) FILTER (WHERE x.pending)::integer
                FROM published_unit u JOIN score_unit x
                     ON x.run_id = u.run_id AND x.period_id = u.period_id AND x.unit_school_id = u.unit_school_id
                WHERE u.period_id = ANY ($1::integer[])
                """, [periods.map(\.id)], name: "published state")
            incomplete = try state[0].decode(Int.self, at: 0)
            pendingUnits = try state[0].decode(Int.self, at: 1)
        }
        let status: NightlyStatus = incomplete > 0 || pendingUnits > 0 || !skipped.isEmpty ? .partial : .succeeded
        let message = Message(
            zh: "已计算 \(outputs["score_teacher"] ?? 0) 名教师、\(outputs["score_unit"] ?? 0) 个考核单位；缺评教师 \(incomplete) 名，待定单位 \(pendingUnits) 个"
                + (skipped.isEmpty ? "" : "；没有考核周期的区：\(skipped.joined(separator: "、"))"),
            en: "scored \(outputs["score_teacher"] ?? 0) teachers in \(outputs["score_unit"] ?? 0) units; \(incomplete) incomplete, \(pendingUnits) units pending"
                + (skipped.isEmpty ? "" : "; districts without a period: \(skipped.joined(separator: ", "))"))
        let mode = inputs["periods_incremental", default: 0] > 0 || !titleOnly.isEmpty ? "incremental" : "full"
        let inputList = inputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let outputList = outputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        try conn.query("""
            UPDATE nightly_run SET status = $2::nightly_status, finished_at = clock_timestamp(), exit_code = $3,
                   inputs = $4::jsonb, outputs = $5::jsonb, stages = $6::jsonb, message = $7, mode = $8
            WHERE run_id = $1
            """, [runID, status.rawValue, status == .succeeded ? 0 : 3, Self.jsonObject(inputList), Self.jsonObject(outputList),
                  timer.json, message.text(language), mode], name: "finish run")
        return Outcome(runID: runID, status: status, stages: timer.stages, inputs: inputList, outputs: outputList,
                       incomplete: incomplete, pendingUnits: pendingUnits, skipped: skipped, message: message, mode: mode)
    }

    /// The settings of each of the batch's transactions: no JIT (its compile time outweighs the
    /// gain on these queries), no parallel workers beside its own connections, and no idle timeout
    /// while one connection waits on another.
    static let sessionSettings = """
        SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL idle_in_transaction_session_timeout = 0
        """

    /// At most this many staff per chunk of districts by default: the batch's memory holds one
    /// chunk (and the next one's reads and title assessments).
    public static let defaultChunkStaff = 150_000

    /// The default chunk size for `total` staff: a quarter of them, at least 30,000 and at most
    /// `defaultChunkStaff`. Chunks are what the three connections overlap (the next chunk's reads
    /// and titles while this one is scored and written): a Beijing-size city in four chunks runs
    /// in 15.6 s instead of 17.3 s in one; smaller chunks than that cost the title stage more in
    /// per-chunk reads than they gain (a province in chunks of 50,000: 157 s instead of 115 s).
    public static func chunkStaff(total: Int) -> Int {
        min(defaultChunkStaff, max(30_000, (total + 3) / 4))
    }

    /// The districts in order, cut into consecutive groups of at most `limit` staff (a larger
    /// district is a group of its own).
    static func chunks(_ districts: [Int], staff: [Int: Int], limit: Int) -> [[Int]] {
        var out: [[Int]] = []
        var current: [Int] = [], size = 0
        for d in districts {
            let n = staff[d] ?? 0
            if !current.isEmpty && size + n > limit {
                out.append(current)
                current = []
                size = 0
            }
            current.append(d)
            size += n
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func jsonObject(_ pairs: [(String, Int)]) -> String {
        "{" + pairs.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    // MARK: Inputs

    struct Inputs {
        /// By period id.
        var teachers: [Int: [ScoringTeacher]]
        var pools: [Int: [Int: Int64]]
        var counts: [String: Int]
    }

    /// Everything the rules need for every period, in a handful of set-based queries: of every
    /// teacher of a period, or of the teachers `scope` names for it.
    /// `districts`: the districts whose workload to compute for the periods read in full (nil: every
    /// district's, the cheapest when the run covers them all).
    func readInputs(periods: [PeriodRow], asOf: String, rules: [Int: Policy.Evaluation], scope: [Int: Set<Int64>] = [:],
                    districts: [Int]? = nil, on conn: Connection) throws -> Inputs {
        try conn.query("""
            CREATE TEMP TABLE nightly_period ON COMMIT DROP AS
            SELECT period_id, district_id, starts_on, ends_on, least($2::date, ends_on) AS status_on,
                   period_id = ANY ($3::integer[]) AS scoped
            FROM evaluation_period WHERE period_id = ANY ($1::integer[])
            """, [periods.map(\.id), asOf, Array(scope.keys)], name: "periods table")
        let pairs = scope.flatMap { p in p.value.map { (p.key, $0) } }
        // the filters below read "(period, teacher) IN nightly_scope": a hashed subplan (a correlated
        // EXISTS under OR ran once per teacher over the whole table: 20 s for 60,000 teachers)
        try conn.execute("""
            CREATE TEMP TABLE nightly_scope (period_id integer, staff_id bigint, PRIMARY KEY (period_id, staff_id)) ON COMMIT DROP
            """, name: "scope table")
        try conn.query("""
            INSERT INTO nightly_scope SELECT DISTINCT period_id, staff_id FROM unnest($1::integer[], $2::bigint[]) AS s (period_id, staff_id)
            """, [pairs.map(\.0), pairs.map(\.1)], name: "scope")
        try conn.execute("ANALYZE nightly_period; ANALYZE nightly_scope", name: "analyze scope")
        // the workload parts of each period's district, computed once per distinct date range
        // (materialised first: joined directly, the planner may run the function once per period),
        // of the scoped teachers only when every period of the range is scoped, and else of the
        // teachers of the districts read
        try conn.query("""
            CREATE TEMP TABLE nightly_parts ON COMMIT DROP AS
            WITH r AS (
                SELECT starts_on, ends_on, bool_and(scoped) AS scoped FROM nightly_period GROUP BY starts_on, ends_on
            ), w AS MATERIALIZED (
                SELECT r.starts_on AS range_from, r.ends_on AS range_to, x.*
                FROM r CROSS JOIN LATERAL workload_parts_of(r.starts_on, r.ends_on,
                    CASE WHEN r.scoped THEN ARRAY(SELECT s.staff_id FROM nightly_scope s JOIN nightly_period q USING (period_id)
                                                  WHERE q.starts_on = r.starts_on AND q.ends_on = r.ends_on)
                         WHEN $1::integer[] IS NOT NULL THEN ARRAY(SELECT staff_id FROM staff WHERE district_id = ANY ($1::integer[])) END) x
            )
            SELECT p.period_id, w.staff_id, w.district_id, w.school_id, w.assignment_id, w.kind, w.periods_per_week, w.days, w.cross_school
            FROM w JOIN nightly_period p ON p.district_id = w.district_id AND p.starts_on = w.range_from AND p.ends_on = w.range_to
            WHERE NOT p.scoped OR (p.period_id, w.staff_id) IN (SELECT period_id, staff_id FROM nightly_scope)
            """, [districts], name: "workload parts")
        // the teachers evaluated: a home school in the period, not 离职/退休 on the as-of date.
        // Set-based: each history table joined once over the staff-id range of the teachers read
        // (a chunk's districts), not probed four times a teacher: a Beijing chunk of 33,000
        // teachers 0.55 -> 0.30 s, a province chunk of 150,000 3.0 -> 1.5 s, the same rows
        try conn.execute("""
            CREATE TEMP TABLE nightly_teachers ON COMMIT DROP AS
            WITH st AS MATERIALIZED (
                SELECT p.period_id, p.starts_on, p.ends_on, p.status_on, s.staff_id, s.staff_no
                FROM nightly_period p JOIN staff s ON s.district_id = p.district_id
                WHERE NOT p.scoped OR (p.period_id, s.staff_id) IN (SELECT period_id, staff_id FROM nightly_scope)
            ), bounds AS MATERIALIZED (
                SELECT min(staff_id) AS lo, max(staff_id) AS hi FROM st
            ), home AS (
                SELECT st.period_id, st.staff_id,
                       (max(ARRAY[lower(h.valid) - DATE '2000-01-01', h.school_id]) FILTER (WHERE lower(h.valid) <= st.status_on))[2] AS home_school_id,
                       bool_or(h.valid && daterange(st.starts_on, st.ends_on, '[]')) AS in_period
                FROM st JOIN staff_home_school h ON h.staff_id = st.staff_id
                WHERE h.staff_id BETWEEN (SELECT lo FROM bounds) AND (SELECT hi FROM bounds)
                GROUP BY st.period_id, st.staff_id
            ), gone AS (
                SELECT DISTINCT st.period_id, st.staff_id FROM st JOIN staff_status x ON x.staff_id = st.staff_id
                WHERE x.staff_id BETWEEN (SELECT lo FROM bounds) AND (SELECT hi FROM bounds)
                  AND x.valid @> st.status_on AND x.status IN ('left', 'retired')
            ), homeroom AS (
                SELECT DISTINCT st.period_id, st.staff_id FROM st JOIN staff_homeroom_year y ON y.staff_id = st.staff_id
                WHERE y.staff_id BETWEEN (SELECT lo FROM bounds) AND (SELECT hi FROM bounds)
                  AND y.school_year BETWEEN school_year_of(st.starts_on) AND school_year_of(st.ends_on)
            ), ethics AS (
                SELECT DISTINCT st.period_id, st.staff_id FROM st JOIN staff_ethics_record x ON x.staff_id = st.staff_id
                WHERE x.staff_id BETWEEN (SELECT lo FROM bounds) AND (SELECT hi FROM bounds)
                  AND x.occurred_on BETWEEN st.starts_on AND st.ends_on
            )
            SELECT st.period_id, st.staff_id, st.staff_no, home.home_school_id,
                   hr.staff_id IS NOT NULL AS homeroom, et.staff_id IS NOT NULL AS ethics_violation,
                   st.ends_on - st.starts_on + 1 AS days
            FROM st JOIN home ON home.period_id = st.period_id AND home.staff_id = st.staff_id
            LEFT JOIN homeroom hr ON hr.period_id = st.period_id AND hr.staff_id = st.staff_id
            LEFT JOIN ethics et ON et.period_id = st.period_id AND et.staff_id = st.staff_id
            WHERE home.in_period
              AND NOT EXISTS (SELECT 1 FROM gone g WHERE g.period_id = st.period_id AND g.staff_id = st.staff_id)
            """, name: "teachers")
        try conn.execute("ANALYZE nightly_parts; ANALYZE nightly_teachers", name: "analyze inputs")

        // a teacher may be scored in two periods (two unreleased school years): keyed by both
        struct Key: Hashable { let period: Int; let staff: Int64 }
        var byID: [Key: ScoringTeacher] = [:]
        var order: [Key] = []
        // home and cross-school period-days apart: the cross-school factor is each district's policy
        let teacherRows = try conn.query("""
            SELECT t.period_id, t.staff_id, t.staff_no, t.home_school_id, t.homeroom, t.ethics_violation, t.days,
                   coalesce(sum(w.periods_per_week * w.days) FILTER (WHERE NOT w.cross_school), 0)::text,
                   coalesce(sum(w.periods_per_week * w.days) FILTER (WHERE w.cross_school), 0)::text
            FROM nightly_teachers t LEFT JOIN nightly_parts w USING (period_id, staff_id)
            WHERE t.home_school_id IS NOT NULL
            GROUP BY t.period_id, t.staff_id, t.staff_no, t.home_school_id, t.homeroom, t.ethics_violation, t.days
            ORDER BY t.staff_no
            """, name: "teacher inputs")
        for row in teacherRows {
            let period = try row.decode(Int.self, at: 0)
            let id = try row.decode(Int64.self, at: 1)
            let factor = rules[period]?.crossSchoolFactor ?? 1
            let home = (try row.decodeIfPresent(Decimal.self, at: 7) ?? 0), cross = (try row.decodeIfPresent(Decimal.self, at: 8) ?? 0)
            order.append(Key(period: period, staff: id))
            byID[Key(period: period, staff: id)] = ScoringTeacher(
                staffID: id, staffNo: try row.decode(String.self, at: 2), homeSchoolID: try row.decode(Int.self, at: 3),
                periodDays: [:], weightedPeriodDays: home + factor * cross, daysInPeriod: try row.decode(Int.self, at: 6),
                homeroom: try row.decode(Bool.self, at: 4), placements: [], ethicsViolationInPeriod: try row.decode(Bool.self, at: 5),
                scores: [])
        }
        let shareRows = try conn.query("""
            SELECT w.period_id, w.staff_id, w.school_id, sum(w.periods_per_week * w.days)::text
            FROM nightly_parts w JOIN nightly_teachers t USING (period_id, staff_id)
            GROUP BY w.period_id, w.staff_id, w.school_id HAVING sum(w.periods_per_week * w.days) > 0
            """, name: "shares")
        for row in shareRows {
            let key = Key(period: try row.decode(Int.self, at: 0), staff: try row.decode(Int64.self, at: 1))
            byID[key]?.periodDays[try row.decode(Int.self, at: 2)] = (try row.decodeIfPresent(Decimal.self, at: 3) ?? 0)
        }
        let placementRows = try conn.query("""
            SELECT p.period_id, a.staff_id, a.host_school_id, s.code, lower(a.valid)::text,
                   upper(a.valid * daterange(p.starts_on, p.ends_on, '[]')) - lower(a.valid * daterange(p.starts_on, p.ends_on, '[]'))
            FROM nightly_period p JOIN assignment a ON a.district_id = p.district_id JOIN school s ON s.school_id = a.host_school_id
            WHERE a.kind = 'placement' AND a.status IN ('approved', 'active', 'ended')
              AND a.valid && daterange(p.starts_on, p.ends_on, '[]')
              AND (NOT p.scoped OR (p.period_id, a.staff_id) IN (SELECT period_id, staff_id FROM nightly_scope))
            """, name: "placements")
        for row in placementRows {
            let key = Key(period: try row.decode(Int.self, at: 0), staff: try row.decode(Int64.self, at: 1))
            byID[key]?.placements.append(ScoringPlacement(
                hostSchoolID: try row.decode(Int.self, at: 2), hostCode: try row.decode(String.self, at: 3),
                start: try row.decode(String.self, at: 4), daysInPeriod: try row.decode(Int.self, at: 5)))
        }
        // each school's evaluators, summed per dimension (a school's evaluators weigh equally)
        let scoreRows = try conn.query("""
            SELECT e.period_id, e.staff_id, e.school_id, e.dimension, sum(e.score)::text, count(*)
            FROM evaluation e JOIN nightly_period p USING (period_id)
            WHERE NOT p.scoped
            GROUP BY e.period_id, e.staff_id, e.school_id, e.dimension
            UNION ALL
            SELECT e.period_id, e.staff_id, e.school_id, e.dimension, sum(e.score)::text, count(*)
            FROM nightly_scope s JOIN evaluation e ON e.period_id = s.period_id AND e.staff_id = s.staff_id
            GROUP BY e.period_id, e.staff_id, e.school_id, e.dimension
            """, name: "evaluations")
        var evaluations = 0
        for row in scoreRows {
            let key = Key(period: try row.decode(Int.self, at: 0), staff: try row.decode(Int64.self, at: 1))
            let count = try row.decode(Int.self, at: 5)
            evaluations += count
            byID[key]?.scores.append(SchoolDimensionScore(
                schoolID: try row.decode(Int.self, at: 2), dimension: try row.decode(String.self, at: 3),
                sum: (try row.decodeIfPresent(Decimal.self, at: 4) ?? 0), count: count))
        }
        var pools: [Int: [Int: Int64]] = [:]
        for row in try conn.query("SELECT x.period_id, x.school_id, x.pool_fen FROM incentive_pool x JOIN nightly_period USING (period_id)",
                                  name: "pools") {
            pools[try row.decode(Int.self, at: 0), default: [:]][try row.decode(Int.self, at: 1)] = try row.decode(Int64.self, at: 2)
        }
        try conn.execute("DROP TABLE nightly_parts, nightly_teachers, nightly_scope, nightly_period", name: "drop inputs")
        var teachers: [Int: [ScoringTeacher]] = [:]
        for key in order { if let t = byID[key] { teachers[key.period, default: []].append(t) } }
        return Inputs(teachers: teachers, pools: pools,
                      counts: ["teachers": order.count, "workload_shares": shareRows.count, "placements": placementRows.count,
                               "evaluations": evaluations, "pools": pools.values.map(\.count).reduce(0, +)])
    }

    // MARK: Outputs

    private func write(runID: Int64, period: PeriodRow, teachers: [ScoringTeacher], outcome: ScoringOutcome,
                       rules: Policy.Evaluation, on conn: Connection) throws -> [String: Int] {
        let pid = period.id, did = period.districtID
        let inputs = Dictionary(uniqueKeysWithValues: teachers.map { ($0.staffID, $0) })
        var counts: [String: Int] = [:]
        counts["score_teacher"] = try conn.copyResults(into: "score_teacher", columns: [
            "run_id", "period_id", "district_id", "staff_id", "unit_school_id", "status", "weighted_periods", "homeroom",
            "workload_score", "rotation_bonus", "total", "grade", "reason", "provisional", "excellent_rank", "pay_share",
            "pay_fen"
        ], name: "write score_teacher") { w in
            // half a standard load, added for 班主任 (the same for every teacher of the period)
            let halfLoad = Decimal(rules.standardWeeklyPeriods) / 2
            let scaledHalfLoad = DecimalText.scaled(halfLoad)
            for t in outcome.teachers {
                let input = inputs[t.staffID]
                // weighted periods/week: period-days over the days, plus half a standard load for 班主任
                let weighted = input.map { i -> String in
                    let homeroom = i.homeroom ? halfLoad : 0
                    guard i.daysInPeriod > 0 else { return DecimalText.text(homeroom) }
                    // in integers scaled by 10^8 when they fit (they always do), else in Decimal
                    if let w = DecimalText.scaled(i.weightedPeriodDays), let h = i.homeroom ? scaledHalfLoad : 0,
                       case let (hd, o1) = h.multipliedReportingOverflow(by: Int64(i.daysInPeriod)), !o1,
                       case let (sum, o2) = w.addingReportingOverflow(hd), !o2,
                       let text = DecimalText.ratio(scaled: sum, Int64(i.daysInPeriod) * DecimalText.unit, places: 4) {
                        return text
                    }
                    let days = Decimal(i.daysInPeriod)
                    return DecimalText.ratio(i.weightedPeriodDays + homeroom * days, days, places: 4)
                } ?? "0"
                w.field(runID); w.field(pid); w.field(did); w.field(t.staffID); w.field(t.unitSchoolID); w.field(t.status.rawValue)
                w.field(weighted); w.field(input?.homeroom ?? false); w.field(DecimalText.text(t.workloadScore))
                w.field(DecimalText.text(t.rotationBonus)); w.field(t.total.map(DecimalText.text)); w.field(t.grade.map(\.storageKey))
                w.field(t.reason?.rawValue); w.field(t.provisional)
                if let rank = t.excellentRank { w.field(rank) } else { w.null() }
                w.field(t.payShare.map(DecimalText.text))
                if let fen = t.payFen { w.field(fen) } else { w.null() }
                try w.endRow()
            }
        }
        counts["score_dimension"] = try conn.copyResults(into: "score_dimension", columns: [
            "run_id", "period_id", "staff_id", "dimension", "score"
        ], name: "write score_dimension") { w in
            for t in outcome.teachers {
                for (k, v) in t.dimensionScores.sorted(by: { $0.key < $1.key }) {
                    w.field(runID); w.field(pid); w.field(t.staffID); w.field(k); w.field(DecimalText.text(v))
                    try w.endRow()
                }
            }
        }
        counts["score_school"] = try conn.copyResults(into: "score_school", columns: [
            "run_id", "period_id", "staff_id", "school_id", "period_days", "share"
        ], name: "write score_school") { w in
            for t in teachers {
                // the shares in integers when the period-days fit (they always do), else in Decimal
                let scaledTotal = DecimalText.scaledSum(t.periodDays.values)
                for (school, pd) in t.periodDays.sorted(by: { $0.key < $1.key }) {
                    w.field(runID); w.field(pid); w.field(t.staffID); w.field(school); w.field(DecimalText.text(pd))
                    let share = scaledTotal.flatMap { b in DecimalText.scaled(pd).flatMap { DecimalText.ratio(scaled: $0, b, places: 6) } }
                    w.field(share ?? DecimalText.ratio(pd, t.periodDays.values.reduce(0, +), places: 6))
                    try w.endRow()
                }
            }
        }
        counts["score_part"] = try conn.copyResults(into: "score_part", columns: [
            "run_id", "period_id", "staff_id", "school_id", "dimension", "mean", "evaluators"
        ], name: "write score_part") { w in
            for t in teachers {
                for s in t.scores where (t.periodDays[s.schoolID] ?? 0) > 0 && s.count > 0 {
                    w.field(runID); w.field(pid); w.field(t.staffID); w.field(s.schoolID); w.field(s.dimension)
                    w.field(DecimalText.ratio(s.sum, Decimal(s.count), places: 6)); w.field(s.count)
                    try w.endRow()
                }
            }
        }
        counts["score_missing"] = try conn.copyResults(into: "score_missing", columns: [
            "run_id", "period_id", "staff_id", "school_id", "dimension"
        ], name: "write score_missing") { w in
            for t in outcome.teachers {
                for m in t.missing {
                    w.field(runID); w.field(pid); w.field(t.staffID); w.field(m.schoolID); w.field(m.dimension)
                    try w.endRow()
                }
            }
        }
        counts["score_unit"] = try conn.copyResults(into: "score_unit", columns: [
            "run_id", "period_id", "district_id", "unit_school_id", "graded", "incomplete", "no_workload", "quota", "candidates",
            "excellent", "pass", "basic_pass", "fail", "pending", "tie_total", "tie_staff_ids", "pool_fen", "allocated_fen",
            "undistributed_fen"
        ], name: "write score_unit") { w in
            for u in outcome.units {
                try w.writeRow([String(runID), String(pid), String(did), String(u.unitSchoolID), String(u.graded), String(u.incomplete), String(u.noWorkload),
                                String(u.quota), String(u.candidates), String(u.excellent), String(u.counts[.pass] ?? 0),
                                String(u.counts[.basicPass] ?? 0), String(u.counts[.fail] ?? 0), u.pending ? "t" : "f",
                                u.tieTotal.map(DecimalText.text), "{" + u.tieStaffIDs.map(String.init).joined(separator: ",") + "}",
                                u.poolFen.map(String.init), String(u.allocatedFen), String(u.undistributedFen)])
            }
        }
        return counts
    }
}

extension Grade {
    /// The `evaluation_grade` key in the database.
    var storageKey: String { rawValue }
}

/// Wall time per stage, added up when a stage runs once per district.
struct StageTimer {
    private(set) var stages: [(stage: String, ms: Int)] = []

    mutating func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let value = try body()
        let d = ContinuousClock.now - start
        let ms = Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
        if let i = stages.firstIndex(where: { $0.stage == stage }) { stages[i].ms += ms } else { stages.append((stage, ms)) }
        return value
    }

    /// Adds another timer's stages (work that ran beside this one's).
    mutating func merge(_ other: StageTimer) {
        for (stage, ms) in other.stages {
            if let i = stages.firstIndex(where: { $0.stage == stage }) { stages[i].ms += ms } else { stages.append((stage, ms)) }
        }
    }

    var json: String {
        "[" + stages.map { "{\"stage\": \"\($0.stage)\", \"ms\": \($0.ms)}" }.joined(separator: ", ") + "]"
    }
}
