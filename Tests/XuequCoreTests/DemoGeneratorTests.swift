import Testing
@testable import XuequCore

/// The default run (东城区, 60 schools, 4,000 staff), generated once for all tests.
private let standard: DemoMemorySink = {
    var sink = DemoMemorySink()
    try! DemoGenerator(DemoParameters()).generate(into: &sink)
    return sink
}()

private func generate(_ p: DemoParameters) throws -> DemoMemorySink {
    var sink = DemoMemorySink()
    try DemoGenerator(p).generate(into: &sink)
    return sink
}

/// `YYYY-MM-DD` → (y, m, d) if well-formed and a real day.
private func parse(_ s: String) -> (Int, Int, Int)? {
    let parts = s.split(separator: "-", omittingEmptySubsequences: false)
    guard s.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
        DemoDate(year: y, month: m, day: d).isValid
    else { return nil }
    return (y, m, d)
}

/// The same day `years` later, as text (ISO dates compare correctly as strings).
private func plusYears(_ s: String, _ years: Int) -> String { CivilDate.addingYears(s, years) }

/// The school year of a `YYYY-MM-DD` date (September–December: its year; January–August: the year before).
private func schoolYear(_ s: String) -> Int {
    let (y, m, _) = parse(s)!
    return m >= 9 ? y : y - 1
}

/// The school years a staff row should have annual grades for, as of 2026-09-01: from the school
/// year of first employment to 2025, while not left or retired on September 1 of the year.
private func gradedYears(_ staff: [String: String]) -> [Int] {
    let first = schoolYear(staff["first_employed_on"]!)
    guard first <= 2025 else { return [] }
    let ended = ["left", "retired"].contains(staff["status"]!)
    return (first...2025).filter { !ended || staff["status_since"]! > "\($0)-09-01" }
}

/// Whether `s` matches `^[0-9A-Za-z_-]{1,32}$`.
private func isCode(_ s: String) -> Bool {
    (1...32).contains(s.utf8.count)
        && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 45 }
}

/// Whether `s` matches the login rule `^[a-z][a-z0-9_]{1,62}$`.
private func isLogin(_ s: String) -> Bool {
    let b = Array(s.utf8)
    func ok(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 }
    return (2...63).contains(b.count) && b[0] >= 97 && b[0] <= 122 && b.allSatisfy(ok)
}

/// A school code as it appears in its evaluators' logins (lowercase, other characters → `_`).
private func loginPart(_ code: String) -> String {
    String(code.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
}

@Suite("Demo generator")
struct DemoGeneratorTests {
    @Test func kindsComeInDependencyOrderWithTheContractHeaders() {
        #expect(standard.order == [
            "districts", "clusters", "schools", "campuses", "groups", "group-members", "staff", "home-schools",
            "titles", "key-levels", "statuses", "posts", "homeroom-years", "training", "ethics", "loads",
            "assignments", "assignment-slots", "openings", "evaluation-periods", "evaluations", "incentive-pools",
            "annual-grades",
        ])
        #expect(standard.headers["schools"] == ["code", "district_code", "cluster_code", "name", "stage", "tier", "rural", "lat", "lon"])
        #expect(standard.headers["staff"] == [
            "staff_no", "name", "gender", "birth_date", "first_employed_on", "education", "home_school_code",
            "home_since", "primary_subject", "qualified_subjects", "stage_certs", "title", "title_since",
            "key_level", "key_since", "status", "status_since", "retirement_on", "homeroom_years",
        ])
        #expect(standard.headers["posts"] == ["staff_no", "school_code", "post", "start_on", "end_on"])
        #expect(standard.headers["loads"] == ["staff_no", "school_year", "periods_per_week"])
        #expect(standard.headers["evaluation-periods"] == ["district_code", "school_year", "starts_on", "ends_on", "status"])
        #expect(standard.headers["evaluations"] == ["school_year", "staff_no", "school_code", "evaluator", "dimension", "score", "comment"])
        #expect(standard.headers["incentive-pools"] == ["school_year", "school_code", "pool_fen"])
        #expect(standard.headers["annual-grades"] == ["staff_no", "school_year", "grade"])
        for kind in standard.order { #expect(!(standard.rows[kind] ?? []).isEmpty, "\(kind) is empty") }
    }

    @Test func sameSeedGivesIdenticalOutputAndAnotherSeedDoesNot() throws {
        let p = DemoParameters(schoolsPerDistrict: 12, staff: 500)
        let a = try generate(p)
        let b = try generate(p)
        #expect(a.text == b.text)
        var q = p
        q.seed = 7
        #expect(try generate(q).text != a.text)
    }

    @Test func countsMatchTheParameters() {
        #expect(standard.rows["districts"]! == [["110101", "东城区"]])
        #expect(standard.rows["schools"]!.count == 60)
        #expect(standard.rows["staff"]!.count == 4000)
        let groups = standard.rows["groups"]!.count
        #expect((3...4).contains(groups))
        let unclustered = standard.records("schools").filter { $0["cluster_code"] == "" }.count
        #expect(unclustered == 21)  // 35% of 60
    }

    @Test func dongchengHasTheEightClusters() {
        let names = Set(standard.records("clusters").map { $0["name"]! })
        #expect(names == ["和平里", "安定东", "北东", "景东", "东朝建", "东崇前", "龙体", "天永"])
        #expect(standard.records("clusters").allSatisfy { $0["district_code"] == "110101" && $0["code"]!.hasPrefix("DC-") })
    }

    @Test func codesAreValidAndReferencesResolve() {
        let schools = Set(standard.records("schools").map { $0["code"]! })
        let clusters = Set(standard.records("clusters").map { $0["code"]! })
        #expect(schools.count == 60)
        for s in standard.records("schools") {
            #expect(isCode(s["code"]!))
            #expect(s["cluster_code"] == "" || clusters.contains(s["cluster_code"]!))
            let lat = Double(s["lat"]!)!
            let lon = Double(s["lon"]!)!
            #expect(abs(lat - 39.928) < 0.07 && abs(lon - 116.416) < 0.09)
            #expect(s["lat"]!.split(separator: ".")[1].count == 6)
        }
        for c in standard.records("campuses") { #expect(schools.contains(c["school_code"]!)) }
        for m in standard.records("group-members") {
            #expect(schools.contains(m["school_code"]!))
            #expect(parse(m["joined_on"]!) != nil)
        }
        let staff = standard.records("staff")
        let numbers = staff.map { $0["staff_no"]! }
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy(isCode))
        #expect(staff.allSatisfy { schools.contains($0["home_school_code"]!) })
        let known = Set(numbers)
        for kind in standard.order where standard.headers[kind]!.first == "staff_no" {
            #expect(standard.records(kind).allSatisfy { known.contains($0["staff_no"]!) }, "\(kind)")
        }
        for p in standard.records("posts") { #expect(schools.contains(p["school_code"]!)) }
        for h in standard.records("home-schools") { #expect(schools.contains(h["school_code"]!)) }
    }

    @Test func staffRowsSatisfyTheSchemaChecks() {
        for s in standard.records("staff") {
            let birth = s["birth_date"]!
            let fe = s["first_employed_on"]!
            #expect(parse(birth) != nil && parse(fe) != nil)
            #expect(fe >= plusYears(birth, 14), "\(s["staff_no"]!)")
            #expect(fe <= "2026-09-01")
            if let r = s["retirement_on"], r != "" {
                #expect(r > plusYears(birth, 40))
                let expected = plusYears(birth, s["gender"] == "female" ? 55 : 60)
                #expect(r == expected)
            }
            #expect(["secondary", "associate", "bachelor", "master", "doctorate"].contains(s["education"]!))
            #expect(["active", "sick", "maternity", "seconded", "left", "retired"].contains(s["status"]!))
            if s["status"] == "maternity" { #expect(s["gender"] == "female") }
            if let h = s["homeroom_years"], h != "" { #expect((0...20).contains(Int(h)!)) }
            #expect(!s["stage_certs"]!.isEmpty)
            #expect(!s["qualified_subjects"]!.split(separator: ";").contains(Substring(s["primary_subject"]!)))
            for key in ["home_since", "title_since", "key_since", "status_since"] where s[key] != "" {
                #expect(parse(s[key]!) != nil)
                #expect(s[key]! >= fe && s[key]! <= "2026-09-01", "\(key) \(s)")
            }
        }
    }

    @Test func historiesAgreeWithTheStaffRows() {
        let staff = Dictionary(uniqueKeysWithValues: standard.records("staff").map { ($0["staff_no"]!, $0) })
        func byStaff(_ kind: String) -> [String: [[String: String]]] {
            Dictionary(grouping: standard.records(kind), by: { $0["staff_no"]! })
        }
        // Contiguous ranges, start < end, the open one last and equal to the current value.
        func checkRanges(_ kind: String, value: String, current: String, since: String, every: Bool) {
            let groups = byStaff(kind)
            if every { #expect(groups.count == staff.count, "\(kind)") }
            for (no, rows) in groups {
                for (i, r) in rows.enumerated() {
                    #expect(parse(r["start_on"]!) != nil)
                    if i + 1 < rows.count {
                        #expect(r["end_on"] == rows[i + 1]["start_on"], "\(kind) \(no)")
                    }
                    if r["end_on"] != "" { #expect(r["start_on"]! < r["end_on"]!) }
                }
                let open = rows.filter { $0["end_on"] == "" }
                #expect(open.count <= 1)
                if let o = open.first {
                    #expect(o["start_on"] == staff[no]![since] && o[value] == staff[no]![current], "\(kind) \(no)")
                } else {
                    #expect(staff[no]![current] == "", "\(kind) \(no)")
                }
            }
        }
        checkRanges("home-schools", value: "school_code", current: "home_school_code", since: "home_since", every: true)
        checkRanges("statuses", value: "status", current: "status", since: "status_since", every: true)
        checkRanges("key-levels", value: "key_level", current: "key_level", since: "key_since", every: false)
        for (no, s) in staff where s["key_level"] != "" { #expect(byStaff("key-levels")[no] != nil) }

        let ranks = ["third", "second", "first", "senior", "full_senior"]
        let titles = byStaff("titles")
        for (no, s) in staff {
            let rows = titles[no] ?? []
            #expect(rows.last?["title"] ?? "" == s["title"]!)
            #expect(rows.last?["obtained_on"] ?? "" == s["title_since"]!)
            for (a, b) in zip(rows, rows.dropFirst()) {
                #expect(ranks.firstIndex(of: a["title"]!)! < ranks.firstIndex(of: b["title"]!)!)
                #expect(a["obtained_on"]! < b["obtained_on"]!)
            }
        }
        for (no, rows) in byStaff("homeroom-years") {
            let years = rows.map { Int($0["school_year"]!)! }
            #expect(years.count <= Int(staff[no]!["homeroom_years"]!)!)
            #expect(Set(years).count == years.count && years.allSatisfy { $0 <= 2026 })
        }
        for t in standard.records("training") {
            let h = Double(t["hours"]!)!
            #expect(h >= 8 && h <= 120 && parse(t["taken_on"]!) != nil)
            #expect(t["taken_on"]! > "2021-09-01" && t["taken_on"]! <= "2026-09-01")
            #expect(!t["course"]!.contains(","))
        }
        for (_, rows) in byStaff("training") {
            #expect(rows.count <= 8)
            #expect(Set(rows.map { $0["taken_on"]! + $0["course"]! }).count == rows.count)
        }
        for l in standard.records("loads") {
            #expect((2023...2026).contains(Int(l["school_year"]!)!))
            #expect((0...40).contains(Int(l["periods_per_week"]!)!))
        }
        for e in standard.records("ethics") { #expect(parse(e["occurred_on"]!) != nil && !e["description"]!.isEmpty) }
    }

    @Test func everySchoolHasLeadersAndOnePrincipalLeadsTwoSchools() {
        let posts = standard.records("posts")
        for (i, a) in posts.enumerated() {
            for b in posts[(i + 1)...] where a["staff_no"] == b["staff_no"] && a["school_code"] == b["school_code"] {
                let aEnd = a["end_on"]! == "" ? "9999" : a["end_on"]!
                let bEnd = b["end_on"]! == "" ? "9999" : b["end_on"]!
                #expect(aEnd <= b["start_on"]! || bEnd <= a["start_on"]!, "overlap \(a) \(b)")
            }
        }
        let open = posts.filter { $0["end_on"] == "" }
        let principals = open.filter { $0["post"] == "principal" }
        #expect(Set(principals.map { $0["school_code"]! }).count == 60)
        #expect(principals.count == 60)
        let schoolsPerPrincipal = Dictionary(grouping: principals, by: { $0["staff_no"]! }).mapValues(\.count)
        #expect(schoolsPerPrincipal.values.contains(2))
        let vice = Dictionary(grouping: open.filter { $0["post"] == "vice_principal" }, by: { $0["school_code"]! })
        #expect(vice.count == 60 && vice.values.allSatisfy { (1...2).contains($0.count) })
        let staff = Dictionary(uniqueKeysWithValues: standard.records("staff").map { ($0["staff_no"]!, $0) })
        for p in principals {
            #expect(["senior", "full_senior"].contains(staff[p["staff_no"]!]!["title"]!))
            #expect(staff[p["staff_no"]!]!["status"] == "active")
        }
    }

    @Test func theMixLooksLikeABeijingDistrict() {
        let staff = standard.records("staff")
        let n = Double(staff.count)
        func share(_ f: ([String: String]) -> Bool) -> Double { Double(staff.filter(f).count) / n }
        #expect((0.70...0.80).contains(share { $0["gender"] == "female" }))
        #expect((0.55...0.70).contains(share { $0["education"] == "bachelor" }))
        #expect((0.14...0.26).contains(share { $0["education"] == "master" }))
        #expect((0.02...0.07).contains(share { $0["title"] == "" }))
        #expect((0.18...0.32).contains(share { $0["title"] == "senior" || $0["title"] == "full_senior" }))
        #expect((0.003...0.025).contains(share { $0["title"] == "full_senior" }))
        #expect((0.15...0.25).contains(share { $0["key_level"] != "" }))
        #expect((0.88...0.96).contains(share { $0["status"] == "active" }))
        #expect((0.01...0.05).contains(share { $0["retirement_on"] == "" }))
        let moved = share { $0["home_since"] != $0["first_employed_on"] }
        #expect((0.3...0.5).contains(moved))
        let perStaff = Double(standard.rows["training"]!.count) / n
        #expect((3.5...6.5).contains(perStaff))
        #expect(standard.rows["ethics"]!.count < 60)
        let stages = Dictionary(grouping: standard.records("schools"), by: { $0["stage"]! }).mapValues(\.count)
        #expect(stages == ["primary": 30, "junior": 12, "senior": 6, "nine_year": 5, "twelve_year": 2, "complete_middle": 5])
    }

    @Test func severalDistrictsHaveDistinctCodesAndIndependentSeeds() throws {
        let p = DemoParameters(districts: 3, schoolsPerDistrict: 8, staff: 301)
        let run = try generate(p)
        #expect(run.rows["districts"]!.map { $0[0] } == ["110101", "110102", "110105"])
        #expect(run.rows["staff"]!.count == 301)
        let codes = run.records("schools").map { $0["code"]! }
        #expect(Set(codes).count == 24)
        let numbers = run.records("staff").map { $0["staff_no"]! }
        #expect(Set(numbers).count == 301)
        #expect(Set(run.records("clusters").map { $0["code"]! }).count == run.rows["clusters"]!.count)
        // District 1 is the same whatever the number of districts.
        let alone = try generate(DemoParameters(districts: 1, schoolsPerDistrict: 8, staff: 101))
        #expect(alone.rows["schools"]! == Array(run.rows["schools"]!.prefix(8)))
        #expect(alone.rows["staff"]! == Array(run.rows["staff"]!.prefix(101)))
    }

    @Test func evaluationPeriodIsTheOpenDemoSchoolYear() throws {
        #expect(standard.rows["evaluation-periods"]! == [["110101", "2026", "2026-09-01", "2027-08-31", "open"]])
        let run = try generate(DemoParameters(districts: 3, schoolsPerDistrict: 4, staff: 30, asOf: DemoDate(year: 2025, month: 3, day: 15)))
        #expect(run.rows["evaluation-periods"]! == [
            ["110101", "2024", "2024-09-01", "2025-08-31", "open"],
            ["110102", "2024", "2024-09-01", "2025-08-31", "open"],
            ["110105", "2024", "2024-09-01", "2025-08-31", "open"],
        ])
    }

    @Test func everyEvaluationRowIsWellFormed() {
        let rows = standard.records("evaluations")
        #expect(rows.count > 20_000)
        let schools = Set(standard.records("schools").map { $0["code"]! })
        let staff = Set(standard.records("staff").map { $0["staff_no"]! })
        let comments = Set(DemoCatalog.evaluationComments)
        var keys = Set<String>()
        for r in rows {
            #expect(r["school_year"] == "2026")
            #expect(staff.contains(r["staff_no"]!) && schools.contains(r["school_code"]!))
            #expect(["ethics", "teaching", "care", "growth"].contains(r["dimension"]!), "\(r)")
            let evaluator = r["evaluator"]!
            #expect(isLogin(evaluator), "\(evaluator)")
            #expect(["p_", "v_"].map { $0 + loginPart(r["school_code"]!) }.contains(evaluator), "\(r)")
            let score = r["score"]!
            let parts = score.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts[1].count == 1 && parts[0].allSatisfy(\.isASCII), "\(score)")
            #expect(Double(score).map { (0...100).contains($0) } == true, "\(score)")
            #expect(Double(score).map { $0 >= 40 } == true, "\(score)")
            let comment = r["comment"]!
            let concern = comment == DemoCatalog.ethicsConcernComment && r["dimension"] == "ethics"
            #expect(comment == "" || comments.contains(comment) || concern, "\(r)")
            keys.insert([r["staff_no"]!, r["school_code"]!, evaluator, r["dimension"]!].joined(separator: "/"))
        }
        #expect(keys.count == rows.count, "duplicate natural keys")
        // every evaluator scores all four dimensions, in rubric order
        let byEvaluator = Dictionary(grouping: rows, by: { $0["staff_no"]! + "/" + $0["school_code"]! + "/" + $0["evaluator"]! })
        #expect(byEvaluator.values.allSatisfy { $0.map { $0["dimension"]! } == ["ethics", "teaching", "care", "growth"] })
        #expect(rows.contains { $0["score"] == "100.0" } || rows.allSatisfy { Double($0["score"]!)! < 100 })
    }

    @Test func evaluationsFollowLoadsAndCrossSchoolWork() {
        let schools = standard.records("schools").map { $0["code"]! }
        let omitted = Set(schools.indices.filter { $0 % 29 == 7 }.map { schools[$0] })
        #expect(omitted == ["110101S008", "110101S037"])
        let staff = Dictionary(uniqueKeysWithValues: standard.records("staff").map { ($0["staff_no"]!, $0) })
        let load = Dictionary(uniqueKeysWithValues: standard.records("loads").filter { $0["school_year"] == "2026" }
            .map { ($0["staff_no"]!, Int($0["periods_per_week"]!)!) })
        var hosts: [String: Set<String>] = [:]
        for a in standard.records("assignments")
        where ["approved", "active", "ended"].contains(a["status"]!) && a["start_on"]! < "2027-09-01" && a["end_on"]! > "2026-09-01" {
            hosts[a["staff_no"]!, default: []].insert(a["host_school_code"]!)
        }
        #expect(hosts.values.contains { !$0.isDisjoint(with: omitted) }, "no cross-school work hosted at an omitted school")
        let rows = Dictionary(grouping: standard.records("evaluations"), by: { $0["staff_no"]! })
        for (no, s) in staff {
            let home = s["home_school_code"]!
            var expected: [String: Set<String>] = [:]
            if !["left", "retired"].contains(s["status"]!) {
                if (load[no] ?? 0) > 0 { expected[home] = ["p_", "v_"] }
                for h in hosts[no] ?? [] where !omitted.contains(h) { expected[h] = ["p_"] }
            }
            var got: [String: Set<String>] = [:]
            for r in rows[no] ?? [] { got[r["school_code"]!, default: []].insert(String(r["evaluator"]!.prefix(2))) }
            #expect(got == expected, "\(no): \(got) ≠ \(expected)")
        }
        // host-school rows exist, and some cross-school teacher is left incomplete at an omitted host
        let hostRows = standard.records("evaluations").filter { staff[$0["staff_no"]!]!["home_school_code"] != $0["school_code"] }
        #expect(hostRows.count >= 100)
        #expect(hostRows.allSatisfy { $0["evaluator"]!.hasPrefix("p_") && !omitted.contains($0["school_code"]!) })
        #expect(staff.values.allSatisfy { !["left", "retired"].contains($0["status"]!) || rows[$0["staff_no"]!] == nil })
    }

    @Test func evaluationScoresLookRealistic() {
        let rows = standard.records("evaluations")
        let scores = rows.map { Double($0["score"]!)! }
        let mean = scores.reduce(0, +) / Double(scores.count)
        #expect((82.0...86.0).contains(mean), "mean \(mean)")
        let sd = (scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)).squareRoot()
        #expect((5.0...9.0).contains(sd), "sd \(sd)")
        let commented = Double(rows.filter { $0["comment"] != "" }.count) / Double(rows.count)
        #expect((0.035...0.065).contains(commented), "comments \(commented)")
        // about 1% of the evaluated teachers get 50–62 in ethics from every evaluator
        let ethics = Dictionary(grouping: rows.filter { $0["dimension"] == "ethics" }, by: { $0["staff_no"]! })
        let vetoed = ethics.filter { $0.value.allSatisfy { (50...62).contains(Double($0["score"]!)!) } }
        let share = Double(vetoed.count) / Double(ethics.count)
        #expect((0.004...0.02).contains(share), "vetoed \(vetoed.count) of \(ethics.count)")
        #expect(vetoed.values.contains { $0.contains { Double($0["score"]!)! < 60 } })
    }

    @Test func incentivePoolsAreStaffCountTimes800037() {
        let staffPerSchool = Dictionary(grouping: standard.records("staff"), by: { $0["home_school_code"]! }).mapValues(\.count)
        let pools = standard.records("incentive-pools")
        #expect(pools.map { $0["school_code"]! } == standard.records("schools").map { $0["code"]! })
        for p in pools {
            #expect(p["school_year"] == "2026")
            #expect(p["pool_fen"] == String((staffPerSchool[p["school_code"]!] ?? 0) * 800_037), "\(p)")
        }
        #expect(pools.map { Int($0["pool_fen"]!)! }.reduce(0, +) == 4000 * 800_037)
    }

    @Test func evaluationKindsAreDeterministic() throws {
        let p = DemoParameters(districts: 2, schoolsPerDistrict: 40, staff: 1500, assignmentShare: 0.3)
        let kinds: [DemoKind] = [.evaluationPeriods, .evaluations, .incentivePools]
        var a = DemoMemorySink()
        try DemoGenerator(p).generate(kinds, into: &a)
        var b = DemoMemorySink()
        try DemoGenerator(p).generate(kinds, into: &b)
        #expect(a.text == b.text)
        #expect(a.order == ["evaluation-periods", "evaluations", "incentive-pools"])
        // the same rows as in a full run: the kinds do not depend on what was generated before them
        let full = try generate(p)
        for kind in a.order { #expect(a.rows[kind]! == full.rows[kind]!, "\(kind)") }
        var q = p
        q.seed = 99
        var c = DemoMemorySink()
        try DemoGenerator(q).generate([.evaluations], into: &c)
        #expect(c.rows["evaluations"]! != a.rows["evaluations"]!)
    }

    @Test func annualGradesCoverEveryYearFromFirstEmploymentTo2025ButTheGaps() {
        let rows = standard.records("annual-grades")
        let byStaff = Dictionary(grouping: rows, by: { $0["staff_no"]! })
        var graded = 0
        var gaps: [(no: String, year: Int)] = []
        for s in standard.records("staff") {
            let no = s["staff_no"]!
            let expected = gradedYears(s)
            let got = (byStaff[no] ?? []).map { Int($0["school_year"]!)! }
            #expect(got == got.sorted() && Set(got).count == got.count, "\(no): \(got)")
            #expect(Set(got).isSubset(of: expected), "\(no): \(got) outside \(expected)")
            let missing = expected.filter { !got.contains($0) }
            #expect(missing.count <= 1, "\(no) misses \(missing)")
            if let year = missing.first {
                // only among the person's last five graded years
                #expect(year >= expected.last! - 4, "\(no) misses \(year) of \(expected)")
                gaps.append((no, year))
            }
            if !expected.isEmpty { graded += 1 }
        }
        #expect(rows.count > 50_000)
        #expect(rows.allSatisfy { Int($0["school_year"]!)! <= 2025 })
        #expect(graded > 3800)
        // e.g. the staff rows' own first years: 2025 for a teacher first employed 2025-09-02 … 2026-08-31
        let newcomers = standard.records("staff").filter { $0["first_employed_on"]! > "2025-09-01" && $0["first_employed_on"]! < "2026-09-01" }
        #expect(!newcomers.isEmpty)
        for s in newcomers {
            let years = (byStaff[s["staff_no"]!] ?? []).map { $0["school_year"]! }
            #expect(years == ["2025"] || (years.isEmpty && gaps.contains { $0.no == s["staff_no"]! }), "\(s)")
        }
        // about 1.5% have one year missing, and some of those are active teachers whose gap falls
        // after their current title, so title eligibility reports missing data
        let share = Double(gaps.count) / Double(graded)
        #expect((0.008...0.025).contains(share), "gaps \(gaps.count) of \(graded)")
        let staff = Dictionary(uniqueKeysWithValues: standard.records("staff").map { ($0["staff_no"]!, $0) })
        #expect(gaps.contains { gap in
            let s = staff[gap.no]!
            return s["status"] == "active" && s["title_since"] != "" && "\(gap.year + 1)-08-31" > s["title_since"]!
        })
    }

    @Test func annualGradesFollowTheRealisticMix() {
        let rows = standard.records("annual-grades")
        #expect(rows.allSatisfy { ["excellent", "pass", "basic_pass", "fail"].contains($0["grade"]!) })
        #expect(Set(rows.map { $0["grade"]! }) == Set(Grade.allCases.map(\.rawValue)))
        let n = Double(rows.count)
        func share(_ grade: String) -> Double { Double(rows.filter { $0["grade"] == grade }.count) / n }
        #expect((0.185...0.215).contains(share("excellent")), "excellent \(share("excellent"))")
        #expect((0.755...0.785).contains(share("pass")), "pass \(share("pass"))")
        #expect((0.019...0.031).contains(share("basic_pass")), "basic_pass \(share("basic_pass"))")
        #expect((0.003...0.008).contains(share("fail")), "fail \(share("fail"))")
        // the grades vary from year to year: few people have the same grade every year over a long career
        let byStaff = Dictionary(grouping: rows, by: { $0["staff_no"]! })
        let long = byStaff.values.filter { $0.count >= 10 }
        let allExcellent = long.filter { $0.allSatisfy { $0["grade"] == "excellent" } }
        #expect(long.count > 2000 && allExcellent.isEmpty)
        #expect(long.contains { Set($0.map { $0["grade"]! }).count >= 3 })
    }

    @Test func anEthicsViolationMakesThatYearFail() {
        let staff = Dictionary(uniqueKeysWithValues: standard.records("staff").map { ($0["staff_no"]!, $0) })
        var grades: [String: String] = [:]
        for r in standard.records("annual-grades") { grades[r["staff_no"]! + "/" + r["school_year"]!] = r["grade"]! }
        var checked = 0
        for e in standard.records("ethics") {
            let no = e["staff_no"]!
            let year = schoolYear(e["occurred_on"]!)
            guard gradedYears(staff[no]!).contains(year) else { continue }
            #expect(grades["\(no)/\(year)"] == "fail", "\(no) \(e["occurred_on"]!): \(grades["\(no)/\(year)"] ?? "no row")")
            checked += 1
        }
        #expect(checked >= 5, "only \(checked) ethics records inside graded years")
    }

    @Test func annualGradesAreDeterministicAndIndependentOfTheOtherKinds() throws {
        let p = DemoParameters(districts: 2, schoolsPerDistrict: 10, staff: 700)
        var a = DemoMemorySink()
        try DemoGenerator(p).generate([.annualGrades], into: &a)
        var b = DemoMemorySink()
        try DemoGenerator(p).generate([.annualGrades], into: &b)
        #expect(a.text == b.text)
        #expect(a.order == ["annual-grades"] && a.rows["annual-grades"]!.count > 8000)
        let full = try generate(p)
        #expect(a.rows["annual-grades"]! == full.rows["annual-grades"]!)
        var q = p
        q.seed = 99
        var c = DemoMemorySink()
        try DemoGenerator(q).generate([.annualGrades], into: &c)
        #expect(c.rows["annual-grades"]! != a.rows["annual-grades"]!)
        // an earlier as-of date grades fewer years: 2023 is the last before a 2024-2025 as-of date
        var r = p
        r.asOf = DemoDate(year: 2025, month: 3, day: 15)
        var d = DemoMemorySink()
        try DemoGenerator(r).generate([.annualGrades], into: &d)
        #expect(d.rows["annual-grades"]!.map { Int($0[1])! }.max() == 2023)
    }

    @Test func evaluatorLoginsFollowTheLoginRule() {
        #expect(DemoOrganisation.login(ofSchool: "110101S008") == "110101s008")
        #expect(DemoOrganisation.login(ofSchool: "D0018-S01") == "d0018_s01")
        #expect(DemoOrganisation.login(ofSchool: "Ab_9-学") == "ab_9__")
        #expect(isLogin("p_" + DemoOrganisation.login(ofSchool: "D0018-S01")))
    }

    @Test func syntheticDistrictsFollowTheBeijingOnes() throws {
        var sink = DemoMemorySink()
        try DemoGenerator(DemoParameters(districts: 18, schoolsPerDistrict: 2, staff: 0)).generate([.districts], into: &sink)
        #expect(sink.rows["districts"]!.count == 18)
        #expect(sink.rows["districts"]![15] == ["110119", "延庆区"])
        #expect(sink.rows["districts"]![17] == ["D0018", "第18区"])
    }

    @Test func dayNumbersAgreeWithCivilDate() {
        var wrong: [String] = []
        var n = DemoCalendar.dayNumber(1900, 1, 1)
        for y in 1900...2100 {
            for m in 1...12 {
                for d in 1...CivilDate.daysInMonth(y, m) {
                    let date = DemoCalendar.civil(n)
                    if DemoCalendar.dayNumber(y, m, d) != n || date != DemoDate(year: y, month: m, day: d) {
                        wrong.append("\(y)-\(m)-\(d) is day \(DemoCalendar.dayNumber(y, m, d)), day \(n) is \(date)")
                    }
                    if y >= 1990 && y <= 2030 {
                        let text = DemoCalendar.format(n)
                        if CivilDate.normalize(text) != text { wrong.append("format \(text)") }
                        for years in [-5, 3, 60] {
                            let later = DemoCalendar.format(DemoCalendar.addingYears(n, years))
                            if later != CivilDate.addingYears(text, years) { wrong.append("\(text) + \(years) years") }
                        }
                    }
                    n += 1
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(DemoCalendar.dayNumber(1970, 1, 1) == 0)
        #expect(DemoCalendar.schoolYear(DemoCalendar.dayNumber(2026, 8, 31)) == 2025)
        #expect(DemoCalendar.schoolYear(DemoCalendar.dayNumber(2026, 9, 1)) == 2026)
        #expect(DemoDate(year: 2026, month: 2, day: 30).description == "2026-02-30")
    }

    @Test func invalidParametersAreRefused() {
        var sink = DemoMemorySink()
        #expect(throws: DemoError.self) {
            try DemoGenerator(DemoParameters(districts: 0)).generate(into: &sink)
        }
        #expect(throws: DemoError.self) {
            try DemoGenerator(DemoParameters(asOf: DemoDate(year: 2026, month: 2, day: 30))).generate(into: &sink)
        }
    }
}
