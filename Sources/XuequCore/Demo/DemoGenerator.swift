/// Deterministic demo data for Xuequ: districts, 学区, schools, staff and their histories,
/// cross-school work, 交流轮岗 openings, the current school year's evaluations and 奖励性绩效
/// pools, and the annual grades of the years before, as the rows of the import file kinds of docs/csv-formats.md.
///
/// Output streams: for each kind the generator rebuilds one district's organisation at a time
/// and re-derives each person from a per-person seed, so memory stays bounded by one district's
/// schools whatever the staff count. The same parameters always give byte-identical output;
/// districts have independent sub-seeds.
public struct DemoGenerator: Sendable {
    /// The parameters this generator was made with.
    public let parameters: DemoParameters

    /// A generator for the given parameters (checked when generating).
    public init(_ p: DemoParameters) {
        parameters = p
    }

    /// Writes every kind, in ``DemoKind`` order, into `sink`.
    /// - Throws: ``DemoError/invalidParameter(_:)`` for out-of-range parameters, or what the sink throws.
    public func generate<S: DemoSink>(into sink: inout S) throws {
        try generate(DemoKind.allCases, into: &sink)
    }

    /// Writes only the given kinds (in the order given) into `sink`.
    public func generate<S: DemoSink>(_ kinds: [DemoKind], into sink: inout S) throws {
        try validate()
        for kind in kinds {
            try sink.begin(kind: kind.rawValue, header: kind.header)
            for d in 0..<parameters.districts {
                let org = DemoOrganisation(index: d, parameters: parameters)
                if kind.isPerPerson {
                    for s in org.schools.indices {
                        for position in 0..<org.schools[s].staffCount {
                            try DemoPerson(org: org, school: s, position: position).emit(kind, org, into: &sink)
                        }
                    }
                } else {
                    try emitOrganisation(kind, org, into: &sink)
                }
            }
            try sink.end(kind: kind.rawValue)
        }
    }

    private func validate() throws {
        let p = parameters
        guard (1...999).contains(p.districts) else {
            throw DemoError.invalidParameter("districts must be 1…999, not \(p.districts)")
        }
        guard (1...9999).contains(p.schoolsPerDistrict) else {
            throw DemoError.invalidParameter("schoolsPerDistrict must be 1…9999, not \(p.schoolsPerDistrict)")
        }
        guard p.staff >= 0 else { throw DemoError.invalidParameter("staff must be ≥ 0, not \(p.staff)") }
        guard p.asOf.isValid, (1990...2100).contains(p.asOf.year) else {
            throw DemoError.invalidParameter("asOf must be a real date in 1990…2100, not \(p.asOf)")
        }
    }

    private func emitOrganisation<S: DemoSink>(_ kind: DemoKind, _ org: DemoOrganisation, into sink: inout S) throws {
        let deg = DemoOrganisation.degrees
        switch kind {
        case .districts:
            try sink.row([org.code, org.name])
        case .clusters:
            for c in org.clusters { try sink.row([c.code, org.code, c.name]) }
        case .schools:
            for s in org.schools {
                try sink.row([
                    s.code, org.code, s.cluster.map { org.clusters[$0].code } ?? "", s.name, s.stage.rawValue,
                    s.tier.rawValue, s.rural ? "true" : "false", deg(s.latMicro), deg(s.lonMicro),
                ])
            }
        case .campuses:
            for s in org.schools {
                try sink.row([s.code, "A", "本部", deg(s.latMicro), deg(s.lonMicro)])
                if let b = s.campusB { try sink.row([s.code, "B", b.name, deg(b.latMicro), deg(b.lonMicro)]) }
            }
        case .groups:
            for g in org.groups { try sink.row([g.code, org.code, g.name, g.kind.rawValue]) }
        case .groupMembers:
            for g in org.groups {
                for m in g.members {
                    try sink.row([g.code, org.schools[m.school].code, DemoCalendar.format(m.joined)])
                }
            }
        case .openings:
            // next year's 交流轮岗 openings: weak schools ask most, in the subjects their stage teaches
            var rng = DemoRandom(seed: DemoRandom.subSeed(org.personSeed, 0x0_0BE9_1265))
            let year = DemoCalendar.schoolYear(org.asOf) + 1
            for s in org.schools {
                let perSchool = s.tier == .weak ? s.staffCount / 5 : s.tier == .ordinary ? s.staffCount / 14 : 0
                guard perSchool > 0 else { continue }
                let weights = s.stage == .primary ? DemoSubject.primaryWeights : DemoSubject.secondaryWeights
                var counts = [Int](repeating: 0, count: DemoSubject.allCases.count)
                for _ in 0..<perSchool { counts[rng.weighted(weights)] += 1 }
                for (i, n) in counts.enumerated() where n > 0 {
                    try sink.row([String(year), s.code, DemoSubject.allCases[i].key, String(n)])
                }
            }
        case .evaluationPeriods:
            // the demo school year's period, still open for scores
            let year = DemoCalendar.schoolYear(org.asOf)
            try sink.row([org.code, String(year), "\(year)-09-01", "\(year + 1)-08-31", "open"])
        case .incentivePools:
            // 奖励性绩效 per school: about ¥8,000 per staff member, deliberately not a round number so
            // the largest-remainder allocation has remainders to hand out
            let year = String(DemoCalendar.schoolYear(org.asOf))
            for s in org.schools {
                try sink.row([year, s.code, String(s.staffCount * DemoOrganisation.poolFenPerStaff)])
            }
        case .staff, .homeSchools, .titles, .keyLevels, .statuses, .posts, .homeroomYears, .training, .ethics, .loads,
             .assignments, .assignmentSlots, .evaluations, .annualGrades:
            break
        }
    }
}
