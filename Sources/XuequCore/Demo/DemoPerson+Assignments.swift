import Foundation

/// Cross-school work (跨校任教) of a demo person in the current school year: a few percent of
/// the active teachers teach part-time at another school of their 学区 or education group, some as 走教 at two
/// schools, some hold a 学区 role, a few are on a full-time 交流轮岗 placement. Every assignment
/// keeps the rules of domain.md §4 (host in the 学区, subject and stage qualification, weekly
/// load, slots with room for travel).
struct DemoAssignment {
    let ref: String
    let host: Int
    let kind: AssignmentKind
    let periods: Int
    let start: Int
    let end: Int
    let slots: [(weekday: Int, starts: Int, ends: Int, campus: String)]

    /// The status written to `assignments`: started work is `active`, work still to come `approved`.
    func status(asOf: Int) -> String { start <= asOf ? "active" : "approved" }
}

extension DemoOrganisation {
    /// Great-circle distance between two schools' main campuses, km (R = 6371.0).
    func distanceKm(_ a: Int, _ b: Int) -> Double {
        let r = 6371.0, rad = Double.pi / 180 / 1e6
        let la1 = Double(schools[a].latMicro) * rad, la2 = Double(schools[b].latMicro) * rad
        let dla = la2 - la1, dlo = Double(schools[b].lonMicro - schools[a].lonMicro) * rad
        let h = sin(dla / 2) * sin(dla / 2) + cos(la1) * cos(la2) * sin(dlo / 2) * sin(dlo / 2)
        return 2 * r * asin(min(1, h.squareRoot()))
    }
}

extension DemoPerson {
    /// The work of this person; with an assignment share above 1 (benchmarks), a teacher may also
    /// get a second 跨校兼课 at another school on a Monday or Friday late afternoon.
    func crossSchoolWork(_ org: DemoOrganisation) -> [DemoAssignment] {
        var rng = DemoRandom(seed: DemoRandom.subSeed(extraSeed, 5))
        var work = firstWork(org, &rng)
        guard org.assignmentShare > 1, let first = work.first, first.kind != .placement,
              rng.chance(org.assignmentShare - 1) else { return work }
        let home = homes[homes.count - 1].school
        let year = DemoCalendar.schoolYear(org.asOf)
        let load = loads(org).last { $0.year == year }?.periods ?? 0
        let used = Set(work.map(\.host))
        let cluster = org.schools[home].cluster
        // near enough to every other host for the 80 minutes between lessons (15 km ≈ 55 minutes)
        let hosts = org.schools.indices.filter { h in
            h != home && !used.contains(h) && cluster != nil && org.schools[h].cluster == cluster
                && org.schools[h].stage.certificateBits & certs != 0 && used.allSatisfy { org.distanceKm($0, h) <= 15 }
        }
        guard !hosts.isEmpty, load + work.reduce(0, { $0 + $1.periods }) + 1 <= 20 else { return work }
        let host = hosts[rng.int(hosts.count)]
        let day = rng.chance(0.5) ? 1 : 5
        work.append(DemoAssignment(ref: "Y" + staffNo, host: host, kind: .partTime, periods: 1, start: first.start, end: first.end,
                                   slots: [(day, 16 * 60, 16 * 60 + 40, "A")]))
        return work
    }

    private func firstWork(_ org: DemoOrganisation, _ rng: inout DemoRandom) -> [DemoAssignment] {
        guard status == .active, role == nil, posts.isEmpty else { return [] }
        guard rng.chance(min(1, org.assignmentShare)) else { return [] }
        let home = homes[homes.count - 1].school
        let year = DemoCalendar.schoolYear(org.asOf)
        let load = loads(org).last { $0.year == year }?.periods ?? 0
        // schools of the home school's 学区 and of its education groups
        let cluster = org.schools[home].cluster
        let grouped = Set(org.groups.filter { $0.members.contains { $0.school == home } }.flatMap { $0.members.map(\.school) })
        let mates = org.schools.indices.filter { $0 != home && ((cluster != nil && org.schools[$0].cluster == cluster) || grouped.contains($0)) }
        guard !mates.isEmpty else { return [] }
        let teachable = mates.filter { org.schools[$0].stage.certificateBits & certs != 0 }
        let start = DemoCalendar.dayNumber(year, 9, 1)
        let end = DemoCalendar.dayNumber(year + 1, 7, 1)
        let u = rng.unit()
        func campus(_ school: Int, _ rng: inout DemoRandom) -> String { org.schools[school].campusB != nil && rng.chance(0.3) ? "B" : "A" }

        if u < 0.6, !teachable.isEmpty, load + 2 <= 20 {
            // 跨校兼课: 2–4 periods on different afternoons
            let host = teachable[rng.int(teachable.count)]
            let periods = min(rng.int(2, 4), 20 - load)
            let first = rng.int(0, 4), room = campus(host, &rng)
            let slots = (0..<periods).map { i in (weekday: (first + 2 * i) % 5 + 1, starts: 14 * 60, ends: 14 * 60 + 40, campus: room) }
            return [DemoAssignment(ref: "X" + staffNo, host: host, kind: .partTime, periods: periods, start: start, end: end, slots: slots)]
        }
        if u < 0.8, teachable.count >= 2, load + 4 <= 20,
           case let a = rng.int(teachable.count),
           case let near = teachable.indices.filter({ $0 != a && org.distanceKm(teachable[a], teachable[$0]) <= 15 }), !near.isEmpty {
            // 走教: two schools near each other (≤ 15 km, about 55 minutes with the buffer) on Tuesday
            // and Thursday mornings, 80 minutes apart
            let b = near[rng.int(near.count)]
            return [(1, teachable[a], 8 * 60), (2, teachable[b], 10 * 60)].map { n, host, at in
                let room = campus(host, &rng)
                return DemoAssignment(ref: "W\(n)" + staffNo, host: host, kind: .itinerant, periods: 2, start: start, end: end,
                                      slots: [(2, at, at + 40, room), (4, at, at + 40, room)])
            }
        }
        if u < 0.9, !mates.isEmpty, load + 2 <= 20 {
            // 学区兼职 (e.g. 学区教研员): a Wednesday afternoon at a school of the 学区
            let host = mates[rng.int(mates.count)]
            let hours = min(rng.int(2, 3), 20 - load)
            return [DemoAssignment(ref: "Q" + staffNo, host: host, kind: .clusterRole, periods: hours, start: start, end: end,
                                   slots: [(3, 14 * 60, 14 * 60 + 60 * hours, "A")])]
        }
        if !teachable.isEmpty {
            // 交流轮岗: a full-time placement of one or two years; the home load stops meanwhile
            let host = teachable[rng.int(teachable.count)]
            let years = rng.int(1, 2)
            return [DemoAssignment(ref: "P" + staffNo, host: host, kind: .placement, periods: max(10, min(load, 16)), start: start,
                                   end: DemoCalendar.dayNumber(year + years, 9, 1), slots: [])]
        }
        return []
    }
}

extension DemoCalendar {
    /// Minutes after midnight as `HH:MM`.
    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
