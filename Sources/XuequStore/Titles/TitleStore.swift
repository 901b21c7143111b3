import Foundation
import LibPQ
import XuequCore

/// Title-evaluation eligibility (职称申报资格, domain.md §7): the inputs of any set of teachers read
/// set-based (the nightly batch reads a whole district set, `title check` one teacher), the rules
/// of `TitleEligibility` applied, and the published results reported.
public struct TitleStore {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    /// One teacher to assess, with the district whose policy applies and their home school (the
    /// last home-school spell started by the as-of date, as the scoring's assessment unit).
    struct Subject {
        var teacher: TitleTeacher
        var districtID: Int
        var homeSchoolID: Int?
    }

    /// The inputs of the given teachers, in nine queries whatever their number. The history tables
    /// are read whole with `wholeTables` (the teachers are everyone the database holds who is
    /// assessed); by the range of the ids when they are dense in it (a chunk of districts whose
    /// staff were numbered together: rows of other teachers in the range are skipped here); and
    /// else by the list of ids. A list costs the server 60–90 ms of planning a query at 132,000 ids
    /// (the planner estimates `= ANY (array)` element by element) and a hash probe a row; a
    /// province chunk of 150,000 teachers read its annual grades in 2.8 s by list, 0.7 s by range.
    func subjects(_ ids: [Int64], asOf: String, wholeTables: Bool = false) throws -> [Subject] {
        let conn = connection
        // the filter on the staff id of each history query, and its parameters
        let filter = HistoryFilter(ids, wholeTables: wholeTables)
        let only = filter.sql
        let idParameter = filter.parameters
        // subjects in an array, found by id: an element is mutated in place (a dictionary value
        // reached through optional chaining was copied on every append at millions of rows)
        var subjects: [Subject] = []
        var index: [Int64: Int] = [:]
        func update(_ row: Row, _ body: (inout TitleTeacher) throws -> Void) throws {
            guard let i = index[try row.decode(Int64.self, at: 0)] else { return }
            try body(&subjects[i].teacher)
        }
        func day(_ text: String?) -> Day? { text.flatMap(Day.init) }
        for row in try conn.query("""
            SELECT s.staff_id, s.staff_no, s.education::text, s.first_employed_on::text, s.homeroom_years, s.district_id,
                   (SELECT h.school_id FROM staff_home_school h WHERE h.staff_id = s.staff_id
                      AND lower(h.valid) <= $2::date ORDER BY lower(h.valid) DESC LIMIT 1)
            FROM staff s WHERE s.staff_id = ANY ($1::bigint[]) ORDER BY s.staff_no
            """, [ids, asOf], name: "title staff") {
            let id = try row.decode(Int64.self, at: 0)
            guard let employed = day(row[3]) else { continue }
            index[id] = subjects.count
            subjects.append(Subject(
                teacher: TitleTeacher(
                    staffID: id, staffNo: try row.decode(String.self, at: 1), education: row[2].flatMap(EducationLevel.init(rawValue:)),
                    firstEmployedOn: employed, titles: [], homeroomYears: try row.decodeIfPresent(Int.self, at: 4),
                    homeSpells: [], homeLoads: [:], work: [], ethicsViolations: [], training: [], grades: [:]),
                districtID: try row.decode(Int.self, at: 5), homeSchoolID: try row.decodeIfPresent(Int.self, at: 6)))
        }
        for row in try conn.query("SELECT staff_id, level::text, obtained_on::text FROM staff_title WHERE \(only("staff_id"))",
                                  idParameter, name: "title titles") {
            guard let level = row[1].flatMap(TitleLevel.init(rawValue:)), let on = day(row[2]) else { continue }
            try update(row) { $0.titles.append(TitleHeld(level: level, obtainedOn: on)) }
        }
        for row in try conn.query("""
            SELECT h.staff_id, sc.rural, sc.tier, lower(h.valid)::text, upper(h.valid)::text
            FROM staff_home_school h JOIN school sc USING (school_id) WHERE \(only("h.staff_id"))
            """, idParameter, name: "title home schools") {
            guard let from = day(row[3]) else { continue }
            try update(row) { $0.homeSpells.append(TitleHomeSpell(
                school: TitleSchool(rural: try row.decode(Bool.self, at: 1), tier: try row.decode(Int.self, at: 2)),
                from: from, until: day(row[4]))) }
        }
        for row in try conn.query("""
            SELECT a.staff_id, a.kind::text, sc.rural, sc.tier, a.periods_per_week::text, lower(a.valid)::text, upper(a.valid)::text
            FROM assignment a JOIN school sc ON sc.school_id = a.host_school_id
            WHERE \(only("a.staff_id")) AND a.status IN ('approved', 'active', 'ended')
            """, idParameter, name: "title work") {
            guard let kind = row[1].flatMap(AssignmentKind.init(rawValue:)), let from = day(row[5]), let until = day(row[6]) else { continue }
            try update(row) { $0.work.append(TitleWork(
                kind: kind, school: TitleSchool(rural: try row.decode(Bool.self, at: 2), tier: try row.decode(Int.self, at: 3)),
                periodsPerWeek: (try row.decodeIfPresent(Decimal.self, at: 4) ?? 0), from: from, until: until)) }
        }
        // home loads only matter to weigh part-time work against the rest of the day's teaching
        for row in try conn.query("""
            SELECT l.staff_id, l.school_year, l.periods_per_week FROM staff_home_load l
            WHERE \(only("l.staff_id"))
              AND EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = l.staff_id AND a.kind <> 'placement'
                                                      AND a.status IN ('approved', 'active', 'ended'))
            """, idParameter, name: "title loads") {
            try update(row) { $0.homeLoads[try row.decode(Int.self, at: 1)] = try row.decode(Int.self, at: 2) }
        }
        for row in try conn.query("SELECT staff_id, occurred_on::text FROM staff_ethics_record WHERE \(only("staff_id"))",
                                  idParameter, name: "title ethics") {
            guard let on = day(row[1]) else { continue }
            try update(row) { $0.ethicsViolations.append(on) }
        }
        for row in try conn.query("SELECT staff_id, taken_on::text, hours::text FROM staff_training WHERE \(only("staff_id"))",
                                  idParameter, name: "title training") {
            guard let on = day(row[1]) else { continue }
            try update(row) { $0.training.append(TitleTraining(on: on, hours: (try row.decodeIfPresent(Decimal.self, at: 2) ?? 0))) }
        }
        // annual grades: the imported history, then the batch's published grades of released
        // periods, which take precedence for their years
        for (sql, parameters, name) in [
            ("SELECT staff_id, school_year, grade::text FROM staff_annual_grade WHERE \(only("staff_id"))", idParameter, "title grade history"),
            ("SELECT staff_id, school_year, grade::text FROM title_published_grades($1::bigint[])", [ids], "title grades published"),
        ] as [(String, [PostgresEncodable?], String)] {
            for row in try conn.query(sql, parameters, name: name) {
                guard let grade = row[2].flatMap(Grade.init(rawValue:)) else { continue }
                try update(row) { $0.grades[try row.decode(Int.self, at: 1)] = grade }
            }
        }
        return subjects
    }

    /// How the history queries of `subjects` select the teachers' rows.
    enum HistoryFilter: Equatable {
        case whole
        case range(Int64, Int64)
        case list([Int64])

        /// A range when it holds at most twice as many ids as are asked for.
        init(_ ids: [Int64], wholeTables: Bool) {
            if wholeTables {
                self = .whole
            } else if let lo = ids.min(), let hi = ids.max(), hi - lo < 2 * Int64(ids.count) {
                self = .range(lo, hi)
            } else {
                self = .list(ids)
            }
        }

        func sql(_ column: String) -> String {
            switch self {
            case .whole: "true"
            case .range: "\(column) BETWEEN $1::bigint AND $2::bigint"
            case .list: "\(column) = ANY ($1::bigint[])"
            }
        }

        var parameters: [PostgresEncodable?] {
            switch self {
            case .whole: []
            case let .range(lo, hi): [lo, hi]
            case let .list(ids): [ids]
            }
        }
    }

    /// The title rules of each district for the school year of `asOf`.
    func rules(districts: Set<Int>, asOf: String) throws -> [Int: Policy.Titles] {
        var out: [Int: Policy.Titles] = [:]
        let year = WorkloadStore.schoolYear(containing: asOf).map { Int($0.from.prefix(4)) ?? 0 } ?? 0
        for d in districts {
            out[d] = try PolicyStore(connection: connection).effective(districtID: d, schoolYear: year).policy.titles
        }
        return out
    }

    /// Assesses the given teachers as of a date.
    func assess(_ ids: [Int64], asOf: String) throws -> [(Subject, TitleAssessment)] {
        guard let day = Day(asOf) else { throw StoreError.configuration(language.pick("日期无效：\(asOf)", "not a valid date: \(asOf)")) }
        let subjects = try self.subjects(ids, asOf: asOf)
        let rules = try self.rules(districts: Set(subjects.map(\.districtID)), asOf: asOf)
        return subjects.compactMap { s in
            rules[s.districtID].map { (s, TitleEligibility.assess(s.teacher, asOf: day, rules: $0)) }
        }
    }

    // MARK: Labels

    static func ruleLabel(_ rule: String, _ lang: Language) -> String {
        let zh: [String: String] = ["years": "任职年限", "grades": "年度考核", "ethics": "师德", "homeroom": "班主任年限",
                                    "experience": "农村或薄弱学校任教经历", "training": "继续教育学时"]
        let en: [String: String] = ["years": "years at level", "grades": "annual grades", "ethics": "ethics", "homeroom": "班主任 years",
                                    "experience": "rural or weak-school experience", "training": "continuing education"]
        return lang == .zh ? zh[rule] ?? rule : en[rule] ?? rule
    }

    static func outcomeLabel(_ outcome: String, _ lang: Language) -> String {
        switch outcome {
        case "pass": lang.pick("通过", "pass")
        case "fail": lang.pick("未通过", "fail")
        case "missing": lang.pick("缺资料", "missing data")
        default: lang.pick("不适用", "not applicable")
        }
    }

    static func statusLabel(_ status: TitleStatus, _ lang: Language) -> String {
        switch status {
        case .eligible: lang.pick("符合申报条件", "eligible")
        case .blocked: lang.pick("暂不符合", "not yet eligible")
        case .missingData: lang.pick("资料不全，无法判断", "missing data")
        case .top: lang.pick("已是最高职称", "already at the highest title")
        }
    }

    // MARK: One teacher

    /// Every rule's have / need / outcome for one teacher, computed now from the stored records.
    public func check(staffNo: String, asOf: String) throws -> Sections {
        let lang = language
        let r = try connection.query("""
            SELECT s.staff_id, s.name, s.education::text,
                   EXISTS (SELECT 1 FROM staff_status x WHERE x.staff_id = s.staff_id AND x.valid @> $2::date AND x.status IN ('left', 'retired'))
            FROM staff s WHERE s.staff_no = $1
            """, [staffNo, asOf], name: "title staff")
        guard r.count == 1 else {
            throw StoreError.notFound(lang.pick("没有工号 \(staffNo)，或您无权查看该教师", "no staff number \(staffNo), or you may not see this teacher"))
        }
        if try r[0].decode(Bool.self, at: 3) {
            throw StoreError.configuration(lang.pick("\(staffNo) 已离职或退休，不参加职称申报资格审核", "\(staffNo) has left or retired and is not assessed"))
        }
        guard let (_, a) = try assess([try r[0].decode(Int64.self, at: 0)], asOf: asOf).first else {
            throw StoreError.notFound(lang.pick("\(staffNo) 没有参加工作日期等基本信息", "\(staffNo) has no basic record"))
        }
        var s = Sections(language: lang)
        let education = r[0][2].flatMap(EducationLevel.init(rawValue:))?.label(lang) ?? lang.pick("无学历记录", "no education record")
        s.add("result", lang.pick("职称申报资格", "title eligibility"), Report(
            columns: [
                ReportColumn(key: "staff_no", title: lang.pick("工号", "staff no")),
                ReportColumn(key: "name", title: lang.pick("姓名", "name")),
                ReportColumn(key: "education", title: lang.pick("学历", "education")),
                ReportColumn(key: "current", title: lang.pick("现职称", "current title")),
                ReportColumn(key: "target", title: lang.pick("申报目标", "next title")),
                ReportColumn(key: "status", title: lang.pick("结论", "result")),
                ReportColumn(key: "projected_on", title: lang.pick("预计符合日期", "eligible from")),
                ReportColumn(key: "as_of", title: lang.pick("审核日期", "as of")),
            ],
            rows: [[
                .text(staffNo), .text(try r[0].decode(String.self, at: 1)), .text(education),
                .text(a.current.map { "\($0.level.label(lang))（\($0.obtainedOn)）" } ?? lang.pick("无职称", "none")),
                .text(a.target?.label(lang) ?? "—"), .text(Self.statusLabel(a.status, lang)),
                a.projectedOn.map { .date($0.description) } ?? .null, .date(asOf),
            ]]), record: true)
        s.add("rules", lang.pick("各项条件", "rules"), Report(
            columns: [
                ReportColumn(key: "rule", title: lang.pick("条件", "rule")),
                ReportColumn(key: "outcome", title: lang.pick("结果", "outcome")),
                ReportColumn(key: "have", title: lang.pick("现有", "have")),
                ReportColumn(key: "need", title: lang.pick("要求", "need")),
                ReportColumn(key: "pass_on", title: lang.pick("可满足日期", "passes on")),
                ReportColumn(key: "why", title: lang.pick("说明", "why")),
            ],
            rows: a.rules.map { rule in
                [.text(Self.ruleLabel(rule.rule.rawValue, lang)), .text(Self.outcomeLabel(rule.outcome.rawValue, lang)),
                 .text(rule.have), .text(rule.need), rule.passOn.map { .date($0.description) } ?? .null, .text(rule.message.text(lang))]
            }))
        return s
    }

    // MARK: The batch's stage

    /// Assesses every teacher of the districts (not 离职/退休 on `asOf`): the first half of the
    /// batch's title stage, which may run on a second connection reading the batch's snapshot.
    /// A district in `only` assesses just the teachers named there (those whose records changed
    /// since its results of the same date). Times its reading and rules apart.
    /// `everyDistrict`: the districts are all the database holds, so the history tables are read whole.
    func assessStage(districts: [Int], asOf: String, only: [Int: Set<Int64>] = [:], everyDistrict: Bool = false,
                     timer: inout StageTimer) throws -> [(Subject, TitleAssessment)] {
        guard let day = Day(asOf) else { throw StoreError.configuration(language.pick("日期无效：\(asOf)", "not a valid date: \(asOf)")) }
        let full = districts.filter { only[$0] == nil }
        let named = only.values.flatMap { $0 }
        let subjects = try timer.measure("titles read") {
            let ids = try connection.query("""
                SELECT st.staff_id FROM staff st
                WHERE (st.district_id = ANY ($1::integer[])
                       OR (st.staff_id = ANY ($3::bigint[]) AND st.district_id = ANY ($4::integer[])))
                  AND NOT EXISTS (SELECT 1 FROM staff_status x WHERE x.staff_id = st.staff_id AND x.valid @> $2::date
                                                                 AND x.status IN ('left', 'retired'))
                """, [full, asOf, named, Array(only.keys)], name: "title teachers").map { try $0.decode(Int64.self, at: 0) }
            return ids.isEmpty ? [] : try self.subjects(ids, asOf: asOf, wholeTables: everyDistrict && only.isEmpty)
        }
        let rules = try self.rules(districts: Set(districts), asOf: asOf)
        return timer.measure("titles rules") {
            subjects.compactMap { s in rules[s.districtID].map { (s, TitleEligibility.assess(s.teacher, asOf: day, rules: $0)) } }
        }
    }

    /// The second half: writes the assessments of the run with COPY and publishes them — a full
    /// district's as its results, a district in `only` teacher by teacher over its last full
    /// results (a teacher named but no longer assessed drops out). Returns rows written by table.
    func writeStage(runID: Int64, districts: [Int], asOf: String, only: [Int: Set<Int64>] = [:],
                    assessed: [(Subject, TitleAssessment)], timer: inout StageTimer) throws -> [String: Int] {
        let full = districts.filter { only[$0] == nil }
        return try timer.measure("titles write") {
            var counts = try write(runID: runID, asOf: asOf, assessed: assessed)
            try connection.query("""
                INSERT INTO published_title (district_id, run_id, titles_as_of) SELECT unnest($2::integer[]), $1::bigint, $3::date
                ON CONFLICT (district_id) DO UPDATE SET run_id = EXCLUDED.run_id, titles_as_of = EXCLUDED.titles_as_of,
                                                        published_at = clock_timestamp()
                """, [runID, full, asOf], name: "publish titles")
            // the other districts' results now hold as of this date: the teachers whose results
            // could differ were among those assessed
            try connection.query("UPDATE published_title SET titles_as_of = $2::date WHERE district_id = ANY ($1::integer[])",
                                 [Array(only.keys), asOf], name: "title date")
            try connection.query("DELETE FROM title_override WHERE district_id = ANY ($1::integer[])", [full], name: "drop title overrides")
            let pairs = only.flatMap { d in d.value.map { (d.key, $0) } }
            counts["title_override"] = try connection.query("""
                INSERT INTO title_override (district_id, staff_id, run_id)
                SELECT district_id, staff_id, $1::bigint FROM unnest($2::integer[], $3::bigint[]) AS x (district_id, staff_id)
                ON CONFLICT (district_id, staff_id) DO UPDATE SET run_id = EXCLUDED.run_id
                """, [runID, pairs.map(\.0), pairs.map(\.1)], name: "publish title overrides").affectedRows
            return counts
        }
    }

    private func write(runID: Int64, asOf: String, assessed: [(Subject, TitleAssessment)]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        counts["title_result"] = try connection.copyResults(into: "title_result", columns: [
            "run_id", "district_id", "staff_id", "home_school_id", "as_of", "current_level", "current_since", "target", "status",
            "projected_on"
        ], name: "write title_result") { w in
            for (s, a) in assessed {
                w.field(runID); w.field(s.districtID); w.field(a.staffID)
                if let home = s.homeSchoolID { w.field(home) } else { w.null() }
                w.field(asOf); w.field(a.current?.level.rawValue); w.field(a.current.map { $0.obtainedOn.description })
                w.field(a.target?.rawValue); w.field(a.status.rawValue); w.field(a.projectedOn?.description)
                try w.endRow()
            }
        }
        counts["title_rule"] = try connection.copyResults(into: "title_rule", columns: [
            "run_id", "staff_id", "rule", "ord", "outcome", "have", "need", "pass_on", "time_based", "message_zh", "message_en"
        ], name: "write title_rule") { w in
            // the rules a teacher does not meet (fail or missing data), which say why they are not
            // eligible; the rules met or switched off are implied by the result (`title check` shows
            // every rule live). Two thirds of the rule rows were passes.
            for (_, a) in assessed {
                for (i, r) in a.rules.enumerated() where r.outcome == .fail || r.outcome == .missing {
                    w.field(runID); w.field(a.staffID); w.field(r.rule.rawValue); w.field(i + 1); w.field(r.outcome.rawValue)
                    w.field(r.have); w.field(r.need); w.field(r.passOn?.description); w.field(r.timeBased)
                    w.field(r.message.zh); w.field(r.message.en)
                    try w.endRow()
                }
            }
        }
        return counts
    }

    // MARK: Reports

    /// A school's or 学区's teachers by outcome: eligible, eligible within `months`, blocked (and
    /// by which rule), missing data — counts per school and the list.
    public func report(school: String?, cluster: String?, level: TitleLevel?, withinMonths: Int, listBlocked: Bool = false) throws -> Sections {
        let lang = language
        let scope = try ReportScope.resolve(school: school, cluster: cluster, on: connection, language: lang)
        let district = scope.districtID, schools = scope.schoolIDs
        let published = try connection.query("SELECT 1 FROM published_title WHERE district_id = $1", [district], name: "published titles")
        guard published.count == 1 else {
            throw StoreError.notFound(lang.pick("还没有职称申报资格结果（先运行 xuequ nightly）", "no title results yet (run xuequ nightly first)"))
        }
        // $1 district, $2 schools, $3 target level, then each query's own
        func base(_ joins: String = "") -> String {
            """
            FROM title_published_results($1) r \(joins) JOIN school sc ON sc.school_id = r.home_school_id
            WHERE r.home_school_id = ANY ($2::integer[]) AND ($3::text IS NULL OR r.target::text = $3)
            """
        }
        var s = Sections(language: lang)
        s.add("schools", lang.pick("按学校", "by school"), try ReportQuery(
            columns: [
                .init("school", "学校", "school"),
                .init("teachers", "教师", "teachers", .int),
                .init("eligible", "符合", "eligible", .int),
                .init("soon", "\(withinMonths) 个月内符合", "eligible within \(withinMonths) months", .int),
                .init("blocked", "暂不符合", "not yet", .int),
                .init("missing", "资料不全", "missing data", .int),
                .init("top", "已是最高", "at the top", .int),
            ],
            sql: """
                SELECT sc.code || ' ' || sc.name, count(*), count(*) FILTER (WHERE r.status = 'eligible'),
                       count(*) FILTER (WHERE r.projected_on <= r.as_of + make_interval(months => $4)),
                       count(*) FILTER (WHERE r.status = 'blocked'), count(*) FILTER (WHERE r.status = 'missing_data'),
                       count(*) FILTER (WHERE r.status = 'top')
                \(base())
                GROUP BY sc.code, sc.name ORDER BY sc.code
                """
        ).run(on: connection, [district, schools, level?.rawValue, withinMonths], language: lang, name: "title by school"))
        s.add("rules", lang.pick("未通过的条件", "rules not met"), try ReportQuery(
            columns: [
                .init("rule", "条件", "rule"),
                .init("fail", "未通过", "fail", .int),
                .init("missing", "缺资料", "missing data", .int),
            ],
            sql: """
                SELECT x.rule, count(*) FILTER (WHERE x.outcome = 'fail'), count(*) FILTER (WHERE x.outcome = 'missing')
                \(base("JOIN title_rule x USING (run_id, staff_id)"))
                  AND x.outcome IN ('fail', 'missing')
                GROUP BY x.rule, x.ord ORDER BY x.ord
                """
        ).run(on: connection, [district, schools, level?.rawValue], language: lang, name: "title by rule").relabel(column: 0) { Self.ruleLabel($0, lang) })
        s.add("teachers", lang.pick("符合或即将符合的教师", "eligible now or soon"), try ReportQuery(
            columns: [
                .init("staff_no", "工号", "staff no"),
                .init("name", "姓名", "name"),
                .init("school", "学校", "school"),
                .init("target", "申报目标", "next title", ReportQuery.term(TitleLevel.self)),
                .init("status", "结论", "result"),
                .init("projected_on", "预计符合日期", "eligible from", .date),
            ],
            sql: """
                SELECT st.staff_no, st.name, sc.code, r.target::text,
                       CASE WHEN r.status = 'eligible' THEN CASE WHEN $5 = 'zh' THEN '符合' ELSE 'eligible' END
                            ELSE CASE WHEN $5 = 'zh' THEN '即将符合' ELSE 'soon' END END,
                       r.projected_on::text
                \(base("JOIN staff st USING (staff_id)"))
                  AND (r.status = 'eligible' OR r.projected_on <= r.as_of + make_interval(months => $4))
                ORDER BY sc.code, r.status, r.projected_on NULLS FIRST, st.staff_no
                """
        ).run(on: connection, [district, schools, level?.rawValue, withinMonths, lang.rawValue], language: lang, name: "title list"))
        if listBlocked {
            s.add("blocked", lang.pick("暂不符合或资料不全的教师", "not yet eligible or missing data"), try ReportQuery(
                columns: [
                    .init("staff_no", "工号", "staff no"),
                    .init("name", "姓名", "name"),
                    .init("school", "学校", "school"),
                    .init("target", "申报目标", "next title", ReportQuery.term(TitleLevel.self)),
                    .init("rules", "未通过或缺资料的条件", "rules not met"),
                    .init("projected_on", "预计符合日期", "eligible from", .date),
                ],
                sql: """
                    SELECT st.staff_no, st.name, sc.code, r.target::text,
                           (SELECT string_agg(x.rule || CASE WHEN x.outcome = 'missing' THEN '?' ELSE '' END, ' ' ORDER BY x.ord)
                            FROM title_rule x WHERE x.run_id = r.run_id AND x.staff_id = r.staff_id AND x.outcome IN ('fail', 'missing')),
                           r.projected_on::text
                    \(base("JOIN staff st USING (staff_id)"))
                      AND r.status IN ('blocked', 'missing_data')
                    ORDER BY sc.code, st.staff_no
                    """
            ).run(on: connection, [district, schools, level?.rawValue], language: lang, name: "title blocked")
                .relabel(column: 4) { keys in
                    keys.split(separator: " ").map { k in
                        k.hasSuffix("?") ? Self.ruleLabel(String(k.dropLast()), lang) + lang.pick("（缺资料）", " (missing data)")
                                         : Self.ruleLabel(String(k), lang)
                    }.joined(separator: lang.pick("、", ", "))
                })
        }
        return s
    }

    /// Every teacher's published result (the CSV export).
    public func export(district: Int) throws -> Report {
        try ReportQuery(
            columns: [
                .init("staff_no", "工号", "staff_no"), .init("home_school", "学校代码", "home_school"),
                .init("current_level", "现职称", "current_level"), .init("current_since", "取得日期", "current_since"),
                .init("target", "申报目标", "target"), .init("status", "结论", "status"),
                .init("projected_on", "预计符合日期", "projected_on"), .init("failing", "未通过或缺资料的条件", "failing_rules"),
                .init("as_of", "审核日期", "as_of"),
            ],
            sql: """
                SELECT st.staff_no, sc.code, r.current_level::text, r.current_since::text, r.target::text, r.status::text,
                       r.projected_on::text,
                       (SELECT string_agg(x.rule || ':' || x.outcome, ' ' ORDER BY x.ord) FROM title_rule x
                        WHERE x.run_id = r.run_id AND x.staff_id = r.staff_id AND x.outcome IN ('fail', 'missing')),
                       r.as_of::text
                FROM title_published_results($1) r JOIN staff st USING (staff_id)
                LEFT JOIN school sc ON sc.school_id = r.home_school_id
                ORDER BY st.staff_no
                """
        ).run(on: connection, [district], language: language, name: "title export")
    }
}

extension Report {
    /// The report with one text column's values replaced (e.g. a rule key by its label).
    fileprivate func relabel(column: Int, _ label: (String) -> String) -> Report {
        var r = self
        r.rows = r.rows.map { row in
            var row = row
            if case .text(let t) = row[column] { row[column] = .text(label(t)) }
            return row
        }
        return r
    }
}
