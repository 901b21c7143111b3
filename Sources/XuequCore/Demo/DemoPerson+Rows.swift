extension DemoPerson {
    /// Writes this person's rows of one per-person kind.
    func emit<S: DemoSink>(_ kind: DemoKind, _ org: DemoOrganisation, into sink: inout S) throws {
        let d = DemoCalendar.format
        switch kind {
        case .staff:
            try sink.row(staffRow(org))
        case .homeSchools:
            for (i, h) in homes.enumerated() {
                let end = i + 1 < homes.count ? d(homes[i + 1].start) : ""
                try sink.row([staffNo, org.schools[h.school].code, d(h.start), end])
            }
        case .titles:
            for t in titles { try sink.row([staffNo, t.level.rawValue, d(t.obtained)]) }
        case .keyLevels:
            for k in keys { try sink.row([staffNo, k.level.rawValue, d(k.start), k.end.map(d) ?? ""]) }
        case .statuses:
            for (i, s) in statuses.enumerated() {
                let end = i + 1 < statuses.count ? d(statuses[i + 1].start) : ""
                try sink.row([staffNo, s.status.rawValue, d(s.start), end])
            }
        case .posts:
            for p in posts {
                try sink.row([staffNo, org.schools[p.school].code, p.post.rawValue, d(p.start), p.end.map(d) ?? ""])
            }
        case .homeroomYears:
            if homeroomCount > 0 {
                for y in (homeroomLast - homeroomCount + 1)...homeroomLast { try sink.row([staffNo, String(y)]) }
            }
        case .training:
            var rng = DemoRandom(seed: DemoRandom.subSeed(extraSeed, 2))
            try emitTraining(org, &rng, into: &sink)
        case .ethics:
            if let e = ethicsRecord(org) { try sink.row([staffNo, d(e.day), e.description]) }
        case .loads:
            for (year, periods) in loads(org) { try sink.row([staffNo, String(year), String(periods)]) }
        case .assignments:
            for a in crossSchoolWork(org) {
                try sink.row([a.ref, staffNo, org.schools[a.host].code, a.kind.rawValue, a.kind == .clusterRole ? "" : subject.key,
                              String(a.periods), d(a.start), d(a.end), a.status(asOf: org.asOf), ""])
            }
        case .assignmentSlots:
            for a in crossSchoolWork(org) {
                for slot in a.slots {
                    try sink.row([a.ref, String(slot.weekday), DemoCalendar.clock(slot.starts), DemoCalendar.clock(slot.ends), slot.campus])
                }
            }
        case .evaluations:
            try emitEvaluations(org, into: &sink)
        case .annualGrades:
            try emitAnnualGrades(org, into: &sink)
        case .districts, .clusters, .schools, .campuses, .groups, .groupMembers, .openings, .evaluationPeriods,
             .incentivePools:
            break
        }
    }

    /// The `staff` row, in ``DemoKind/header`` order.
    func staffRow(_ org: DemoOrganisation) -> [String] {
        let d = DemoCalendar.format
        var rng = DemoRandom(seed: DemoRandom.subSeed(extraSeed, 1))
        let current = keys.last.flatMap { $0.end == nil ? $0 : nil }
        let home = homes[homes.count - 1]
        let last = statuses[statuses.count - 1]
        return [
            staffNo, name(&rng), gender.rawValue, d(birth), d(firstEmployed), education.rawValue,
            org.schools[home.school].code, d(home.start), subject.key,
            qualified.map(\.key).joined(separator: ";"), CertStage.text(ofBits: certs),
            titles.last?.level.rawValue ?? "", titles.last.map { d($0.obtained) } ?? "",
            current?.level.rawValue ?? "", current.map { d($0.start) } ?? "",
            last.status.rawValue, d(last.start), retirement.map(d) ?? "", homeroomYears.map(String.init) ?? "",
        ]
    }

    /// A Chinese name: a common surname (skewed to the most frequent) and one or two characters.
    func name(_ rng: inout DemoRandom) -> String {
        let surnames = DemoCatalog.surnames
        let s = surnames[min(surnames.count - 1, Int(Double(surnames.count) * rng.unit() * rng.unit()))]
        let pool = rng.chance(0.9) == (gender == .female) ? DemoCatalog.femaleGiven : DemoCatalog.maleGiven
        var given = pool[rng.int(pool.count)]
        if rng.chance(0.7) { given += pool[rng.int(pool.count)] }
        return s + given
    }

    /// The person's ethics violation (about 0.5% have one), dated in ``recentWindow(_:)``.
    func ethicsRecord(_ org: DemoOrganisation) -> (day: Int, description: String)? {
        var rng = DemoRandom(seed: DemoRandom.subSeed(extraSeed, 3))
        let (from, to) = recentWindow(org)
        guard from <= to && rng.chance(0.005) else { return nil }
        let text = DemoCatalog.ethicsDescriptions[rng.int(DemoCatalog.ethicsDescriptions.count)]
        return (rng.int(from, to), text)
    }

    /// Days in the last five years (as-of − 5 years, as-of] while employed.
    func recentWindow(_ org: DemoOrganisation) -> (Int, Int) {
        (max(firstEmployed, DemoCalendar.addingYears(org.asOf, -5) + 1), min(careerEnd, org.asOf))
    }

    private func emitTraining<S: DemoSink>(_ org: DemoOrganisation, _ rng: inout DemoRandom, into sink: inout S) throws {
        let (from, to) = recentWindow(org)
        guard from <= to else { return }
        let count = to - from < 730 ? rng.int(1, 3) : rng.int(3, 8)
        var days: [Int] = []
        for _ in 0..<count { days.append(rng.int(from, to)) }
        days.sort()
        var previous = Int.min
        let courses = DemoCatalog.courses
        for day in days where day != previous {
            previous = day
            let course =
                day - firstEmployed < 120 ? "新教师入职培训" : courses[rng.int(courses.count)]
            let hours = rng.chance(0.7) ? String(rng.int(8, 120)) : String(rng.int(8, 119)) + ".5"
            try sink.row([staffNo, DemoCalendar.format(day), course, hours])
        }
    }

    /// Periods per week at the home school in the last four school years.
    func loads(_ org: DemoOrganisation) -> [(year: Int, periods: Int)] {
        var rng = DemoRandom(seed: DemoRandom.subSeed(extraSeed, 4))
        var result: [(year: Int, periods: Int)] = []
        let current = DemoCalendar.schoolYear(org.asOf)
        let ended = status.hasEnded
        for year in (current - 3)...current {
            let yearStart = DemoCalendar.dayNumber(year, 9, 1)
            let nextStart = DemoCalendar.dayNumber(year + 1, 9, 1)
            guard firstEmployed < nextStart, !ended || careerEnd > yearStart else { continue }
            let periods: Int
            if year == current && !ended && status != .active {
                periods = 0
            } else {
                let (lo, hi) = role?.periodRange ?? subject.periodRange
                periods = rng.int(lo, hi)
            }
            result.append((year, periods))
        }
        return result
    }
}
