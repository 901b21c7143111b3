/// One district's organisation: 学区, schools, campuses, groups and how its staff numbers are
/// spread over its schools. Cheap to build, so the generator rebuilds it for every file kind
/// instead of keeping more than one district in memory.
struct DemoOrganisation: Sendable {
    let index: Int
    let code: String
    let name: String
    /// Name prefix of schools (e.g. 东城区).
    let prefix: String
    let clusters: [DemoCluster]
    let schools: [DemoSchool]
    let groups: [DemoGroup]
    let staffCount: Int
    /// Seed of this district's people (each person derives its own stream from it).
    let personSeed: UInt64
    let asOf: Int
    /// `T` + three-digit district number.
    let staffPrefix: String
    /// The share of active teachers with cross-school work.
    let assignmentShare: Double

    init(index: Int, parameters p: DemoParameters) {
        self.index = index
        let districtSeed = DemoRandom.subSeed(p.seed, UInt64(index + 1))
        var rng = DemoRandom(seed: DemoRandom.subSeed(districtSeed, 0x0_5C40_0715))
        personSeed = DemoRandom.subSeed(districtSeed, 0x9E_0971E)
        asOf = p.asOf.dayNumber
        assignmentShare = p.assignmentShare
        staffPrefix = "T" + DemoOrganisation.pad(index + 1, 3)

        let profile: DemoCatalog.District
        if index < DemoCatalog.districts.count {
            profile = DemoCatalog.districts[index]
        } else {
            profile = DemoCatalog.District(
                code: "D" + DemoOrganisation.pad(index + 1, 4), name: "第\(index + 1)区",
                lat: 39.3 + Double(index % 10) * 0.12, lon: 115.6 + Double((index / 10) % 10) * 0.15,
                radiusKm: 10, ruralShare: 0.2)
        }
        code = profile.code
        name = profile.name
        prefix = index < DemoCatalog.districts.count ? profile.name : name
        let centreLat = Int((profile.lat * 1e6).rounded())
        let centreLon = Int((profile.lon * 1e6).rounded())

        // 学区
        let n = p.schoolsPerDistrict
        var clusters: [DemoCluster] = []
        if index == 0 {
            for c in DemoCatalog.dongchengClusters {
                clusters.append(DemoCluster(
                    code: c.code, name: c.name,
                    latMicro: Int((c.lat * 1e6).rounded()), lonMicro: Int((c.lon * 1e6).rounded())))
            }
        } else {
            for k in 0..<max(1, n / 8) {
                let (la, lo) = DemoOrganisation.scatter(
                    &rng, centreLat, centreLon, radiusKm: profile.radiusKm * 0.6)
                clusters.append(DemoCluster(
                    code: profile.code + "-C" + DemoOrganisation.pad(k + 1, 2),
                    name: "第" + DemoCatalog.numeral(k + 1) + "学区", latMicro: la, lonMicro: lo))
            }
        }
        self.clusters = clusters

        // Schools: stage, tier and 学区 membership follow fixed shares exactly, in shuffled order.
        let stages: [SchoolStage] = rng.quota(\.schoolShare, n)
        let tiers: [SchoolTier] = rng.quota(\.schoolShare, n)
        let inCluster = rng.quota([65, 35], n)
        var places = index == 0 ? DemoCatalog.dongchengPlaces : DemoCatalog.genericPlaces
        rng.shuffle(&places)
        var numbers = Array(1...199)
        rng.shuffle(&numbers)
        var placeUse = 0
        var numberUse = 0
        var clusterRound = 0
        var schools: [DemoSchool] = []
        schools.reserveCapacity(n)
        for s in 0..<n {
            let stage = stages[s]
            let cluster: Int? = inCluster[s] == 0 ? clusterRound % clusters.count : nil
            if cluster != nil { clusterRound += 1 }
            let (la, lo): (Int, Int)
            if let c = cluster {
                (la, lo) = DemoOrganisation.scatter(
                    &rng, clusters[c].latMicro, clusters[c].lonMicro, radiusKm: min(1.5, profile.radiusKm * 0.25))
            } else {
                (la, lo) = DemoOrganisation.scatter(&rng, centreLat, centreLon, radiusKm: profile.radiusKm)
            }
            func place() -> String {
                defer { placeUse += 1 }
                return places[placeUse % places.count] + DemoCatalog.repeatSuffix(placeUse / places.count)
            }
            let schoolName: String
            switch stage {
            case .primary: schoolName = prefix + place() + "小学"
            case .junior: schoolName = prefix + place() + "中学"
            case .nineYear: schoolName = prefix + place() + "学校"
            case .twelveYear: schoolName = (index < DemoCatalog.districts.count ? "北京市" : prefix) + place() + "实验学校"
            case .senior, .completeMiddle:
                let number = numbers[numberUse % numbers.count] + 200 * (numberUse / numbers.count)
                numberUse += 1
                schoolName = (index < DemoCatalog.districts.count ? "北京市" : prefix) + "第" + DemoCatalog.numeral(number) + "中学"
            }
            var school = DemoSchool(
                code: profile.code + "S" + DemoOrganisation.pad(s + 1, 3), cluster: cluster, name: schoolName,
                stage: stage, tier: tiers[s], rural: rng.chance(profile.ruralShare),
                latMicro: la, lonMicro: lo)
            if rng.chance(0.15) {
                let (bla, blo) = DemoOrganisation.scatter(&rng, la, lo, radiusKm: 3, minKm: 0.5)
                school.campusB = (places[(placeUse + 7) % places.count] + "校区", bla, blo)
            }
            school.vicePrincipals = rng.int(1, 2)
            school.middleManagers = rng.int(2, 4)
            schools.append(school)
        }

        // Staff: exactly `staff` over all districts, spread over schools by size (largest remainder).
        let perDistrict = p.staff / p.districts + (index < p.staff % p.districts ? 1 : 0)
        staffCount = perDistrict
        var weights: [Double] = []
        for s in schools {
            weights.append(s.stage.staffSizeFactor * s.tier.staffSizeFactor * (0.75 + 0.5 * rng.unit()))
        }
        let totalWeight = weights.reduce(0, +)
        var counts = weights.map { Int(($0 / totalWeight * Double(perDistrict)).rounded(.down)) }
        let remainders = weights.indices.sorted { a, b in
            let ra = weights[a] / totalWeight * Double(perDistrict) - Double(counts[a])
            let rb = weights[b] / totalWeight * Double(perDistrict) - Double(counts[b])
            return ra != rb ? ra > rb : a < b
        }
        var missing = perDistrict - counts.reduce(0, +)
        var k = 0
        while missing > 0 {
            counts[remainders[k % remainders.count]] += 1
            missing -= 1
            k += 1
        }
        var start = 0
        for s in schools.indices {
            schools[s].staffStart = start
            schools[s].staffCount = counts[s]
            start += counts[s]
        }

        // Education groups and alliances: about 3–4 per 60 schools, 2–5 members each, disjoint.
        var groups: [DemoGroup] = []
        let groupCount = n >= 4 ? max(1, Int((Double(n) * 3.5 / 60).rounded())) : 0
        var pool = Array(0..<n)
        rng.shuffle(&pool)
        var used = 0
        let asOfYear = p.asOf.year
        for g in 0..<groupCount {
            let size = min(rng.int(2, 5), pool.count - used)
            if size < 2 { break }
            let founded = DemoCalendar.dayNumber(rng.int(asOfYear - 12, asOfYear - 3), 9, 1)
            var members: [(school: Int, joined: Int)] = [(pool[used], founded)]
            for m in 1..<size {
                let joined = min(asOf, DemoCalendar.addingYears(founded, rng.int(0, 3)) + rng.int(0, 20))
                members.append((pool[used + m], joined))
            }
            used += size
            let kind: GroupKind = rng.chance(0.3) ? .alliance : .group
            let lead = schools[members[0].school].name
            groups.append(DemoGroup(
                code: profile.code + "-G" + DemoOrganisation.pad(g + 1, 2),
                name: lead + (kind == .alliance ? "教育联盟" : "教育集团"), kind: kind, members: members))
        }
        self.groups = groups

        // 一长执两校: about one pair per 30 schools, preferably inside a group.
        let pairTarget = n >= 2 ? max(1, n / 30) : 0
        var paired = Set<Int>()
        var pairs: [(Int, Int)] = []
        for g in groups where pairs.count < pairTarget {
            let a = g.members[0].school
            let b = g.members[1].school
            if !paired.contains(a) && !paired.contains(b) {
                pairs.append((a, b))
                paired.insert(a)
                paired.insert(b)
            }
        }
        var s = 0
        while pairs.count < pairTarget && s + 1 < n {
            if !paired.contains(s) && !paired.contains(s + 1) {
                pairs.append((s, s + 1))
                paired.insert(s)
                paired.insert(s + 1)
            }
            s += 1
        }
        for (a, b) in pairs {
            schools[a].alsoLeads = b
            schools[b].hasOwnPrincipal = false
        }
        self.schools = schools
    }

    /// A point at most `radiusKm` (and at least `minKm`) from the centre, in micro-degrees.
    static func scatter(
        _ rng: inout DemoRandom, _ latMicro: Int, _ lonMicro: Int, radiusKm: Double, minKm: Double = 0
    ) -> (Int, Int) {
        let r = minKm + (radiusKm - minKm) * rng.unit().squareRoot()
        let angle = rng.unit() * 2 * Double.pi
        let lat = Double(latMicro) / 1e6
        let dLat = r * sinApprox(angle) / 111.195
        let dLon = r * cosApprox(angle) / (111.195 * cosApprox(lat * Double.pi / 180))
        return (latMicro + Int((dLat * 1e6).rounded()), lonMicro + Int((dLon * 1e6).rounded()))
    }

    /// Sine by Taylor series after range reduction (kept local so results never depend on libm).
    static func sinApprox(_ x0: Double) -> Double {
        var x = x0.truncatingRemainder(dividingBy: 2 * Double.pi)
        if x > Double.pi { x -= 2 * Double.pi }
        if x < -Double.pi { x += 2 * Double.pi }
        var term = x
        var sum = x
        for i in 1...12 {
            term *= -x * x / Double((2 * i) * (2 * i + 1))
            sum += term
        }
        return sum
    }

    static func cosApprox(_ x: Double) -> Double { sinApprox(x + Double.pi / 2) }

    /// Micro-degrees as a decimal with six places, e.g. `39.928000`.
    static func degrees(_ micro: Int) -> String {
        let sign = micro < 0 ? "-" : ""
        let a = abs(micro)
        return sign + String(a / 1_000_000) + "." + pad(a % 1_000_000, 6)
    }

    /// Decimal digits, zero-padded to at least `width`.
    static func pad(_ n: Int, _ width: Int) -> String {
        withPrefix("", n, width)
    }

    /// `prefix` followed by the decimal digits of `n` (≥ 0), zero-padded to at least `width`;
    /// built byte by byte because staff numbers are formatted millions of times.
    static func withPrefix(_ prefix: String, _ n: Int, _ width: Int) -> String {
        var digits = 1
        var rest = n / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let count = max(digits, width)
        var bytes = Array(prefix.utf8)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(48, count: count))
        var v = n
        var i = start + count - 1
        while v > 0 {
            bytes[i] = UInt8(48 + v % 10)
            v /= 10
            i -= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
