import Foundation
import LibPQ
import XuequCore

/// The nightly batch's published results: one teacher's scores explained, a school's or a
/// 学区's report, the history of runs. Row-level security decides what each reader sees.
public struct ScoreStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    /// A period's results: as published (`run` nil: each unit as the run that last computed it),
    /// or as one run computed them.
    struct RunRef {
        let run: Int64?
        let period: Int
    }

    /// The published results of a district's latest scored period (or the school year asked for),
    /// or the run asked for.
    func published(district: Int, run: Int64?, year: Int?) throws -> RunRef {
        let r = try connection.query("""
            SELECT $2::bigint, p.period_id
            FROM evaluation_period p
            LEFT JOIN published_run x ON x.district_id = p.district_id AND x.period_id = p.period_id
            WHERE p.district_id = $1 AND ($3::integer IS NULL OR p.school_year = $3)
              AND CASE WHEN $2::bigint IS NULL THEN x.run_id IS NOT NULL
                       ELSE EXISTS (SELECT 1 FROM score_unit u WHERE u.run_id = $2 AND u.period_id = p.period_id) END
            ORDER BY p.school_year DESC LIMIT 1
            """, [district, run, year], name: "published run")
        guard r.count == 1 else {
            if let run, let pruned = try connection.query("SELECT pruned_at::date::text FROM nightly_run WHERE run_id = $1 AND pruned_at IS NOT NULL",
                                                         [run], name: "run pruned").first?[0] ?? nil {
                throw StoreError.notFound(language.pick("运行 #\(run) 的结果已于 \(pruned) 清理（xuequ nightly prune）；运行记录仍在 xuequ nightly runs 中",
                                                        "run #\(run)'s results were pruned on \(pruned) (xuequ nightly prune); the run itself is still in xuequ nightly runs"))
            }
            if let run {
                throw StoreError.notFound(language.pick("运行 #\(run) 中没有该区\(year.map { " \($0) 学年" } ?? "")的结果", "run #\(run) has no results for this district\(year.map { " in \($0)" } ?? "")"))
            }
            throw StoreError.notFound(language.pick("还没有发布的考核结果\(year.map { "（\($0) 学年）" } ?? "")（先运行 xuequ nightly）",
                                                    "no results published yet\(year.map { " for \($0)" } ?? "") (run xuequ nightly first)"))
        }
        return RunRef(run: try r[0].decode(Int64?.self, at: 0), period: try r[0].decode(Int.self, at: 1))
    }

    func gradeLabel(_ key: String?) -> String? {
        guard let key, let g = Grade(rawValue: key) else { return nil }
        return g.label(language)
    }

    // MARK: One teacher

    /// Each dimension with where it came from, the total, the grade and why, and the pay.
    public func show(staffNo: String, run: Int64?, year: Int? = nil) throws -> Sections {
        let staff = try connection.query("SELECT staff_id, district_id, name FROM staff WHERE staff_no = $1", [staffNo], name: "staff")
        guard staff.count == 1 else {
            throw StoreError.notFound(language.pick("没有工号 \(staffNo)，或您无权查看该教师", "no staff number \(staffNo), or you may not see this teacher"))
        }
        let staffID = try staff[0].decode(Int64.self, at: 0)
        let ref = try published(district: try staff[0].decode(Int.self, at: 1), run: run, year: year)
        let t = try connection.query("""
            SELECT t.status::text, sc.code, sc.name, t.total::text, t.grade::text, t.reason, t.provisional, t.excellent_rank,
                   t.weighted_periods::text, t.workload_score::text, t.rotation_bonus::text, t.homeroom, t.pay_share::text, t.pay_fen,
                   u.quota, u.graded, u.candidates, u.pending, u.tie_total::text, $2 = ANY (u.tie_staff_ids), u.pool_fen,
                   p.school_year, p.status::text, r.as_of::text, to_char(r.finished_at, 'YYYY-MM-DD HH24:MI'), p.district_id, t.run_id
            FROM score_teacher t JOIN score_result_units($3, $1::bigint) x ON x.run_id = t.run_id AND x.unit_school_id = t.unit_school_id
            JOIN school sc ON sc.school_id = t.unit_school_id
            JOIN score_unit u ON u.run_id = t.run_id AND u.period_id = t.period_id AND u.unit_school_id = t.unit_school_id
            JOIN evaluation_period p ON p.period_id = t.period_id JOIN nightly_run r ON r.run_id = t.run_id
            WHERE t.staff_id = $2 AND t.period_id = $3
            """, [ref.run, staffID, ref.period], name: "score teacher")
        guard t.count == 1 else {
            let zh = ref.run.map { "运行 #\($0) 中" } ?? "已发布的结果中"
            let en = ref.run.map { "run #\($0) has" } ?? "the published results have"
            throw StoreError.notFound(language.pick("\(zh)没有 \(staffNo) 的结果（未参加考核，或结果未公布、无权查看）",
                                                    "\(en) no result for \(staffNo) (not evaluated, not released, or not yours to see)"))
        }
        let row = t[0]
        let runID = try row.decode(Int64.self, at: 26)
        let status = ScoringStatus(rawValue: row[0] ?? "") ?? .graded
        let lang = language
        var s = Sections(language: lang)
        let explanation = explain(row: row, status: status)
        s.add("result", lang.pick("考核结果", "result"), Report(
            columns: [
                ReportColumn(key: "staff_no", title: lang.pick("工号", "staff no")),
                ReportColumn(key: "name", title: lang.pick("姓名", "name")),
                ReportColumn(key: "school_year", title: lang.pick("学年", "school year")),
                ReportColumn(key: "unit", title: lang.pick("考核单位", "assessment unit")),
                ReportColumn(key: "weighted_periods", title: lang.pick("加权周课时", "weighted periods/week")),
                ReportColumn(key: "rotation_bonus", title: lang.pick("交流轮岗加分", "rotation bonus")),
                ReportColumn(key: "total", title: lang.pick("总分", "total")),
                ReportColumn(key: "grade", title: lang.pick("等次", "grade")),
                ReportColumn(key: "why", title: lang.pick("说明", "why")),
                ReportColumn(key: "pay_fen", title: lang.pick("奖励性绩效", "incentive pay")),
                ReportColumn(key: "run", title: lang.pick("计算批次", "run")),
            ],
            rows: [[
                .text(staffNo), .text(try staff[0].decode(String.self, at: 2)), .text(row[21] ?? ""),
                .text("\(row[1] ?? "") \(row[2] ?? "")"), .decimal(row[8] ?? "0"),
                .decimal(row[10] ?? "0"), row[3].map(ReportValue.decimal) ?? .null,
                .text(gradeLabel(row[4]).map { $0 + (row[6] == "t" ? lang.pick("（暂定）", " (provisional)") : "") }
                      ?? (status == .incomplete ? lang.pick("缺评，暂不评定", "incomplete: not graded") : lang.pick("无工作量，不评定", "no workload: not graded"))),
                .text(explanation),
                .text(row[13].map { Self.yuan($0) } ?? (row[17] == "t" ? lang.pick("待定（本单位尚有缺评）", "pending (scores missing in the unit)")
                                                        : row[20] == nil ? lang.pick("未设奖励性绩效总额", "no pool set") : "—")),
                .text(lang.pick("#\(runID) 截至 \(row[23] ?? "")（\(row[24] ?? "") 计算）", "#\(runID) as of \(row[23] ?? "") (computed \(row[24] ?? ""))")),
            ]]), record: true)

        s.add("dimensions", lang.pick("各维度得分及来源", "dimensions and where they came from"), try ReportQuery(
            columns: [
                .init("dimension", "维度", "dimension"),
                .init("weight", "权重", "weight", .decimal),
                .init("score", "得分", "score", .decimal),
                .init("source", "来源", "source"),
            ],
            sql: """
                WITH r AS (SELECT * FROM evaluation_dimensions($3, $4))
                SELECT CASE WHEN $5 = 'zh' THEN r.name_zh ELSE r.key END, r.weight::text,
                       CASE WHEN r.source = 'computed' THEN round(t.workload_score, 2)::text ELSE round(d.score, 2)::text END,
                       CASE WHEN r.source = 'computed' THEN
                                CASE WHEN $5 = 'zh' THEN '计算：min(100, 100 × 加权周课时 ' || round(t.weighted_periods, 2) || ' ÷ 标准课时)'
                                     ELSE 'computed: min(100, 100 × weighted periods ' || round(t.weighted_periods, 2) || ' ÷ standard load)' END
                            ELSE coalesce((
                                SELECT string_agg(sc.code || CASE WHEN $5 = 'zh' THEN '（占比 ' ELSE ' (share ' END || round(x.share, 3)
                                                  || CASE WHEN $5 = 'zh' THEN '）：' ELSE '): ' END
                                                  || coalesce(round(pt.mean, 2) || CASE WHEN $5 = 'zh' THEN '（' || pt.evaluators || ' 人评）' ELSE ' (' || pt.evaluators || ' evaluator(s))' END,
                                                              CASE WHEN $5 = 'zh' THEN '缺评' ELSE 'missing' END),
                                                  CASE WHEN $5 = 'zh' THEN '；' ELSE '; ' END ORDER BY x.share DESC, sc.code)
                                FROM score_school x JOIN school sc ON sc.school_id = x.school_id
                                LEFT JOIN score_part pt ON (pt.run_id, pt.period_id, pt.staff_id, pt.school_id, pt.dimension)
                                                           = (x.run_id, x.period_id, x.staff_id, x.school_id, r.key)
                                WHERE x.run_id = $1 AND x.staff_id = $2 AND x.period_id = $6), '—') END
                FROM r JOIN score_teacher t ON t.run_id = $1 AND t.staff_id = $2 AND t.period_id = $6
                LEFT JOIN score_dimension d ON (d.run_id, d.period_id, d.staff_id, d.dimension) = (t.run_id, t.period_id, t.staff_id, r.key)
                ORDER BY r.ord
                """
        ).run(on: connection, [runID, staffID, try row.decode(Int.self, at: 25), try row.decode(Int.self, at: 21), lang.rawValue, ref.period],
              language: lang, name: "score dimensions"))

        if status == .incomplete {
            s.add("missing", lang.pick("缺少的评分", "missing scores"), try ReportQuery(
                columns: [.init("school", "学校", "school"), .init("dimension", "维度", "dimension"),
                          .init("principals", "应评校长", "principals", null: ("（未登记）", "(none registered)"))],
                sql: """
                    SELECT sc.code || ' ' || sc.name, CASE WHEN $3 = 'zh' THEN coalesce(r.name_zh, m.dimension) ELSE m.dimension END,
                           (SELECT string_agg(us.login, ' ' ORDER BY us.login) FROM app_user_school us WHERE us.school_id = m.school_id)
                    FROM score_missing m JOIN school sc USING (school_id)
                    LEFT JOIN evaluation_dimensions($4, $5) r ON r.key = m.dimension
                    WHERE m.run_id = $1 AND m.staff_id = $2 AND m.period_id = $6 ORDER BY sc.code, r.ord
                    """
            ).run(on: connection, [runID, staffID, lang.rawValue, try row.decode(Int.self, at: 25), try row.decode(Int.self, at: 21), ref.period],
                  language: lang, name: "score missing"))
        }
        return s
    }

    /// ¥ with two decimals from fen.
    static func yuan(_ fen: String) -> String {
        guard let v = Int64(fen) else { return fen }
        let sign = v < 0 ? "-" : ""
        let a = abs(v)
        return "\(sign)¥\(a / 100).\(String(format: "%02d", Int(a % 100)))"
    }

    /// The sentence that says why the grade is what it is.
    func explain(row: Row, status: ScoringStatus) -> String {
        let lang = language
        switch status {
        case .incomplete:
            return lang.pick("有任教学校尚未评完全部维度（见“缺少的评分”），补齐后下一次夜间计算会评定等次",
                             "a school where the teacher worked has not scored every dimension (see missing scores); the next nightly run grades once they are in")
        case .noWorkload:
            return lang.pick("考核周期内没有任何学校的工作量记录，不参加评定", "no workload at any school in the period: not graded")
        case .graded: break
        }
        let total = row[3] ?? "?"
        let quota = row[14] ?? "0", graded = row[15] ?? "0", rank = row[7]
        let tie = row[19] == "t" ? lang.pick("；与名额边界同分（\(row[18] ?? "")），已报人事科复核", "; tied at the quota boundary (\(row[18] ?? "")), reported to HR for review") : ""
        switch GradeReason(rawValue: row[5] ?? "") {
        case .ethicsVeto: return lang.pick("师德表现低于一票否决线，评为不合格", "ethics below the veto threshold: 不合格")
        case .ethicsViolation: return lang.pick("考核周期内有师德违规记录，评为不合格", "an ethics violation is recorded in the period: 不合格")
        case .belowBasicPass: return lang.pick("总分 \(total) 低于基本合格线", "total \(total) is below the 基本合格 threshold")
        case .belowPass: return lang.pick("总分 \(total) 低于合格线，评为基本合格", "total \(total) is below the 合格 threshold: 基本合格")
        case .belowExcellentMin: return lang.pick("总分 \(total) 未达优秀最低分，评为合格", "total \(total) is below the 优秀 minimum: 合格")
        case .withinQuota:
            return lang.pick("总分 \(total)，在本单位优秀候选人中排第 \(rank ?? "?") 名，优秀名额 \(quota) 个（\(graded) 名参评教师 × 优秀比例）\(tie)",
                             "total \(total) ranks \(rank ?? "?") among the unit's 优秀 candidates; \(quota) places (\(graded) graded × the 优秀 share)\(tie)")
        case .outsideQuota:
            return lang.pick("总分 \(total) 达到优秀分数线，但在本单位优秀候选人中排第 \(rank ?? "?") 名，超出 \(quota) 个名额，评为合格\(tie)",
                             "total \(total) reaches the 优秀 minimum but ranks \(rank ?? "?") among the unit's candidates, beyond its \(quota) places: 合格\(tie)")
        case nil: return ""
        }
    }

    // MARK: Reports

    /// A school's (with `school`) or a 学区's units: distribution, grades, quota use, ties, pay.
    public func report(school: String?, cluster: String?, run: Int64?, year: Int? = nil) throws -> Sections {
        let lang = language
        let scope = try ReportScope.resolve(school: school, cluster: cluster, on: connection, language: lang)
        let district = scope.districtID, schools = scope.schoolIDs
        if let school {
            let user = try AccessStore(connection: connection, language: lang).currentUser()
            if user.role == .principal, !user.schoolCodes.contains(school) {
                throw StoreError.configuration(lang.pick("您（\(user.login)）只能查看自己学校（\(user.schoolCodes.joined(separator: "、"))）的考核结果",
                                                         "you (\(user.login)) may only see your own school's results (\(user.schoolCodes.joined(separator: ", ")))"))
            }
        }
        let ref = try published(district: district, run: run, year: year)
        var s = Sections(language: lang)
        s.add("units", lang.pick("考核单位", "assessment units"), try ReportQuery(
            columns: [
                .init("school", "学校", "school"),
                .init("graded", "参评", "graded", .int),
                .init("excellent", "优秀", "优秀", .int),
                .init("pass", "合格", "合格", .int),
                .init("basic_pass", "基本合格", "基本合格", .int),
                .init("fail", "不合格", "不合格", .int),
                .init("quota", "优秀名额", "quota", .int),
                .init("incomplete", "缺评", "incomplete", .int),
                .init("no_workload", "无工作量", "no workload", .int),
                .init("mean", "平均分", "mean", .decimal),
                .init("tie", "名额边界同分", "boundary tie"),
                .init("pool", "奖励性绩效总额", "pool"),
                .init("paid", "已分配", "allocated"),
                .init("state", "状态", "state"),
            ],
            sql: """
                SELECT sc.code || ' ' || sc.name, u.graded, u.excellent, u.pass, u.basic_pass, u.fail, u.quota, u.incomplete, u.no_workload,
                       (SELECT round(avg(t.total), 2)::text FROM score_teacher t
                        WHERE t.run_id = u.run_id AND t.period_id = u.period_id AND t.unit_school_id = u.unit_school_id),
                       CASE WHEN u.tie_total IS NULL THEN NULL
                            ELSE u.tie_total || CASE WHEN $3 = 'zh' THEN '（' ELSE ' (' END
                                 || (SELECT string_agg(st.staff_no, ' ' ORDER BY st.staff_no) FROM staff st WHERE st.staff_id = ANY (u.tie_staff_ids))
                                 || CASE WHEN $3 = 'zh' THEN '）' ELSE ')' END END,
                       CASE WHEN u.pool_fen IS NULL THEN NULL ELSE '¥' || to_char(u.pool_fen / 100.0, 'FM999999999990.00') END,
                       '¥' || to_char(u.allocated_fen / 100.0, 'FM999999999990.00'),
                       CASE WHEN u.pending THEN CASE WHEN $3 = 'zh' THEN '待定（有缺评，等次暂定）' ELSE 'pending (scores missing; grades provisional)' END
                            WHEN u.pool_fen IS NULL THEN CASE WHEN $3 = 'zh' THEN '未设总额' ELSE 'no pool' END
                            WHEN u.undistributed_fen > 0 THEN CASE WHEN $3 = 'zh' THEN '未分配 ¥' ELSE 'undistributed ¥' END
                                                              || to_char(u.undistributed_fen / 100.0, 'FM999999999990.00')
                            ELSE CASE WHEN $3 = 'zh' THEN '已分配' ELSE 'allocated' END END
                FROM score_unit u JOIN score_result_units($4, $1::bigint) x ON x.run_id = u.run_id AND x.unit_school_id = u.unit_school_id
                JOIN school sc ON sc.school_id = u.unit_school_id
                WHERE u.period_id = $4 AND u.unit_school_id = ANY ($2::integer[])
                ORDER BY sc.code
                """
        ).run(on: connection, [ref.run, schools, lang.rawValue, ref.period], language: lang, name: "score units"))
        s.add("distribution", lang.pick("总分分布", "distribution of totals"), try ReportQuery(
            columns: [.init("band", "分数段", "band"), .init("teachers", "人数", "teachers", .int)],
            sql: """
                WITH th AS (
                    SELECT coalesce(policy_value(p.district_id, p.school_year, ARRAY['evaluation', 'excellentMin'])::numeric, 85) AS ex,
                           coalesce(policy_value(p.district_id, p.school_year, ARRAY['evaluation', 'passMin'])::numeric, 70) AS pass,
                           coalesce(policy_value(p.district_id, p.school_year, ARRAY['evaluation', 'basicPassMin'])::numeric, 60) AS basic
                    FROM evaluation_period p WHERE p.period_id = $3)
                SELECT CASE WHEN total >= ex THEN '≥ ' || trim_scale(ex) WHEN total >= pass THEN trim_scale(pass) || '–' || trim_scale(ex)
                            WHEN total >= basic THEN trim_scale(basic) || '–' || trim_scale(pass) ELSE '< ' || trim_scale(basic) END, count(*)
                FROM th, score_teacher t JOIN score_result_units($3, $1::bigint) x ON x.run_id = t.run_id AND x.unit_school_id = t.unit_school_id
                WHERE t.period_id = $3 AND t.unit_school_id = ANY ($2::integer[]) AND t.total IS NOT NULL
                GROUP BY 1 ORDER BY min(t.total) DESC
                """
        ).run(on: connection, [ref.run, schools, ref.period], language: lang, name: "score distribution"))
        if school != nil {
            s.add("teachers", lang.pick("教师", "teachers"), try teachers(ref, schools: schools))
        }
        return s
    }

    /// Every teacher of the units, with total, grade and pay (also the CSV export).
    func teachers(_ ref: RunRef, schools: [Int]?) throws -> Report {
        try ReportQuery(
            columns: [
                .init("staff_no", "工号", "staff no"),
                .init("name", "姓名", "name"),
                .init("unit", "考核单位", "unit"),
                .init("status", "状态", "status", ReportQuery.term(ScoringStatus.self)),
                .init("total", "总分", "total", .decimal),
                .init("grade", "等次", "grade", .term { raw, lang in Grade(rawValue: raw)?.label(lang) ?? raw }),
                .init("provisional", "暂定", "provisional", .bool),
                .init("rank", "优秀候选排名", "优秀 rank", .int),
                .init("pay_fen", "奖励性绩效（分）", "pay (fen)", .int),
            ],
            sql: """
                SELECT st.staff_no, st.name, sc.code, t.status::text, t.total::text, t.grade::text, t.provisional, t.excellent_rank, t.pay_fen
                FROM score_teacher t JOIN score_result_units($3, $1::bigint) x ON x.run_id = t.run_id AND x.unit_school_id = t.unit_school_id
                JOIN staff st USING (staff_id) JOIN school sc ON sc.school_id = t.unit_school_id
                WHERE t.period_id = $3 AND ($2::integer[] IS NULL OR t.unit_school_id = ANY ($2::integer[]))
                ORDER BY sc.code, t.total DESC NULLS LAST, st.staff_no
                """
        ).run(on: connection, [ref.run, schools, ref.period], language: language, name: "score teachers")
    }

    /// The published results of a district as CSV rows (for `xuequ score export`).
    public func export(district: Int, run: Int64?, year: Int? = nil) throws -> Report {
        try teachers(try published(district: district, run: run, year: year), schools: nil)
    }

    /// Every run, newest first: when, what it read and wrote, how long each stage took, how it ended.
    public func runs(limit: Int) throws -> Report {
        try ReportQuery(
            columns: [
                .init("run", "批次", "run", .int),
                .init("as_of", "截至日期", "as of", .date),
                .init("started", "开始", "started"),
                .init("seconds", "用时（秒）", "seconds", .decimal),
                .init("status", "结果", "status", ReportQuery.term(NightlyStatus.self)),
                .init("mode", "方式", "mode", .term { raw, lang in raw == "incremental" ? lang.pick("增量", "incremental") : lang.pick("全量", "full") }),
                .init("published", "当前发布", "published", .bool),
                .init("teachers", "教师", "teachers", .int),
                .init("evaluations", "评分", "evaluations", .int),
                .init("stages", "各阶段（毫秒）", "stages (ms)"),
                .init("message", "说明", "message"),
                .init("pruned", "结果已清理", "pruned", .date),
            ],
            sql: """
                SELECT r.run_id, r.as_of::text, to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS'),
                       round(extract(epoch FROM r.finished_at - r.started_at), 2)::text, r.status::text,
                       r.mode, EXISTS (SELECT 1 FROM published_unit p WHERE p.run_id = r.run_id)
                               OR EXISTS (SELECT 1 FROM published_title p WHERE p.run_id = r.run_id)
                               OR EXISTS (SELECT 1 FROM title_override p WHERE p.run_id = r.run_id),
                       (r.inputs ->> 'teachers')::integer, (r.inputs ->> 'evaluations')::integer,
                       (SELECT string_agg((s ->> 'stage') || ' ' || (s ->> 'ms'), ', ') FROM jsonb_array_elements(r.stages) s),
                       r.message, r.pruned_at::date::text
                FROM nightly_run r ORDER BY r.run_id DESC LIMIT $1
                """
        ).run(on: connection, [limit], language: language, name: "nightly runs")
    }
}
