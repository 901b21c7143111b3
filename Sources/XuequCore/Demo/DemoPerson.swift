/// One generated staff member, derived only from the district's person seed and the person's
/// position, so every file kind can re-derive the same person without keeping anyone in memory.
///
/// Dates are day numbers (days since 1970-01-01). Histories are contiguous: each range ends where
/// the next begins, and the last one is open.
struct DemoPerson: Sendable {
    let staffNo: String
    let role: LeaderPost?
    let gender: Gender
    let birth: Int
    let education: EducationLevel
    let firstEmployed: Int
    /// Home schools (district school indices) with start days; the last one is current.
    let homes: [(school: Int, start: Int)]
    let subject: DemoSubject
    let qualified: [DemoSubject]
    /// Certificate stages as a bit set (see ``CertStage/bit``).
    let certs: Int
    /// Every title obtained, ascending.
    let titles: [(level: TitleLevel, obtained: Int)]
    /// Key-teacher ranges, ascending; an open one (end nil) is the current level.
    let keys: [(level: KeyLevel, start: Int, end: Int?)]
    /// Status ranges, contiguous from first employment; the last is current.
    let statuses: [(status: EmploymentStatus, start: Int)]
    let retirement: Int?
    let homeroomYears: Int?
    /// School years listed as 班主任: `count` years ending at `last`.
    let homeroomLast: Int
    let homeroomCount: Int
    let posts: [(school: Int, post: LeaderPost, start: Int, end: Int?)]
    /// The day the career ended (left or retired), or the reference date.
    let careerEnd: Int
    /// Seed of the rows only some kinds need (name, training, ethics, loads, evaluations, annual grades).
    let extraSeed: UInt64

    var status: EmploymentStatus { statuses[statuses.count - 1].status }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    init(org: DemoOrganisation, school schoolIndex: Int, position: Int) {
        let school = org.schools[schoolIndex]
        let seq = school.staffStart + position
        let seed = DemoRandom.subSeed(org.personSeed, UInt64(seq))
        var rng = DemoRandom(seed: seed)
        extraSeed = DemoRandom.subSeed(seed, 0xE7_7A5)
        staffNo = DemoOrganisation.withPrefix(org.staffPrefix, seq + 1, 6)
        let asOf = org.asOf
        let asOfYear = DemoCalendar.year(asOf)

        // Role: the first positions of a school are its leaders.
        let principals = school.hasOwnPrincipal ? 1 : 0
        let role: LeaderPost?
        if position < principals {
            role = .principal
        } else if position < principals + school.vicePrincipals {
            role = .vicePrincipal
        } else if position < principals + school.vicePrincipals + school.middleManagers {
            role = .middle
        } else {
            role = nil
        }
        self.role = role

        let gender: Gender = rng.chance(role?.femaleShare ?? 0.77) ? .female : .male
        self.gender = gender
        let retirementAge = gender.retirementAge

        // Current status first: it bounds the birth date and the career.
        var status = EmploymentStatus.active
        var newHire = false
        if role == nil {
            let u = rng.unit()
            if u < 0.01 {
                status = .retired
            } else if u < 0.02 {
                status = .left
            } else if u < 0.04 {
                status = .sick
            } else if u < 0.06 {
                status = gender == .female ? .maternity : .active
            } else if u < 0.07 {
                status = .seconded
            } else if u < 0.108 {
                newHire = true
            }
        }

        // Birth: still before retirement (unless retired), age 25+ as of the reference date.
        let youngest = DemoCalendar.dayNumber(asOfYear - 25, 12, 31)
        var birth: Int
        if status == .retired {
            let retiredOn = asOf - rng.int(0, 729)
            birth = DemoCalendar.addingYears(retiredOn, -retirementAge)
        } else {
            var oldest = DemoCalendar.addingYears(asOf, -retirementAge) + 1
            var latest = youngest
            if let role { latest = DemoCalendar.addingYears(asOf, -role.minimumAge) }
            if status == .maternity { oldest = max(oldest, DemoCalendar.addingYears(asOf, -42)) }
            if newHire { oldest = DemoCalendar.dayNumber(asOfYear - 28, 1, 1) }
            birth = rng.int(oldest, latest)
        }
        self.birth = birth
        let birthYear = DemoCalendar.year(birth)

        // Education: more masters among the young.
        let age = asOfYear - birthYear
        var education = EducationLevel.allCases[rng.weighted(EducationLevel.staffWeights(age: age))]
        if role != nil && !education.isBachelorOrAbove { education = .bachelor }
        var graduationAge = education.graduationAge(&rng)
        while education != .secondary && birthYear + graduationAge > asOfYear - 1 {
            education = EducationLevel.allCases[education.rank - 1]
            graduationAge = education.graduationAge(&rng)
        }
        self.education = education

        // First employment: the summer after graduation (new hires: within the last year).
        var fe: Int
        if newHire {
            fe = asOf - rng.int(0, 364)
        } else {
            fe = DemoCalendar.dayNumber(birthYear + graduationAge, 7, 1) + rng.int(0, 62)
            while fe > asOf - 365 { fe = DemoCalendar.addingYears(fe, -1) }
        }
        fe = max(fe, DemoCalendar.addingYears(birth, 18))
        firstEmployed = fe

        // Status history and the end of the career.
        var statuses: [(status: EmploymentStatus, start: Int)] = [(.active, fe)]
        var careerEnd = asOf
        switch status {
        case .retired:
            careerEnd = DemoCalendar.addingYears(birth, retirementAge)
            statuses.append((.retired, careerEnd))
        case .left:
            careerEnd = rng.int(max(fe + 180, asOf - 729), asOf)
            statuses.append((.left, careerEnd))
        case .sick:
            statuses.append((.sick, asOf - rng.int(0, 179)))
        case .maternity:
            statuses.append((.maternity, asOf - rng.int(0, 157)))
        case .seconded:
            statuses.append((.seconded, max(fe + 1, asOf - rng.int(0, 729))))
        case .active:
            if !newHire && asOf - fe > 800 && rng.chance(0.06) {
                let from = rng.int(fe + 365, asOf - 400)
                let onLeave: EmploymentStatus = gender == .female && age < 45 && rng.chance(0.7) ? .maternity : .sick
                let length = onLeave == .maternity ? rng.int(98, 158) : rng.int(14, 120)
                statuses.append((onLeave, from))
                statuses.append((.active, from + length))
            }
        }
        self.statuses = statuses
        self.careerEnd = careerEnd
        let ended = status.hasEnded

        // Home schools: ~40% moved once or twice, always on September 1.
        var homes: [(school: Int, start: Int)] = []
        let moveLimit = ended ? careerEnd - 1 : asOf
        let firstMoveYear = DemoCalendar.year(fe) + 1
        let lastMoveYear = DemoCalendar.schoolYear(moveLimit)
        var moveYears: [Int] = []
        if org.schools.count > 1 && !newHire && lastMoveYear >= firstMoveYear + 1
            && rng.chance(role == .principal ? 0.6 : 0.4)
        {
            if lastMoveYear - firstMoveYear >= 5 && rng.chance(0.3) {
                let y1 = rng.int(firstMoveYear, lastMoveYear - 3)
                moveYears = [y1, rng.int(y1 + 2, lastMoveYear)]
            } else {
                moveYears = [rng.int(firstMoveYear, lastMoveYear)]
            }
        }
        var next = schoolIndex
        var earlier: [Int] = []
        for _ in moveYears {
            var pick = next
            for attempt in 0..<6 {
                let candidate = rng.int(org.schools.count)
                if candidate == next { continue }
                pick = candidate
                let overlaps = org.schools[candidate].stage.certificateBits & school.stage.certificateBits != 0
                if overlaps || attempt == 5 { break }
            }
            if pick == next { pick = (next + 1) % org.schools.count }
            earlier.insert(pick, at: 0)
            next = pick
        }
        if earlier.isEmpty {
            homes.append((schoolIndex, fe))
        } else {
            homes.append((earlier[0], fe))
            for (i, year) in moveYears.enumerated() {
                let to = i + 1 < earlier.count ? earlier[i + 1] : schoolIndex
                homes.append((to, DemoCalendar.dayNumber(year, 9, 1)))
            }
        }
        self.homes = homes
        let homeSince = homes[homes.count - 1].start

        // Subjects and certificates, suited to the home school's stage(s).
        let covers = school.stage.certificateBits
        let teachesPrimary: Bool
        switch school.stage {
        case .primary: teachesPrimary = true
        case .nineYear: teachesPrimary = rng.chance(0.6)
        case .twelveYear: teachesPrimary = rng.chance(0.45)
        default: teachesPrimary = false
        }
        let subjectWeights = teachesPrimary ? DemoSubject.primaryWeights : DemoSubject.secondaryWeights
        let subject = DemoSubject(rawValue: rng.weighted(subjectWeights))!
        self.subject = subject
        var qualified: [DemoSubject] = []
        let extraSubjects = rng.weighted(DemoPerson.extraSubjectWeights)
        var tries = 0
        while qualified.count < extraSubjects && tries < 10 {
            tries += 1
            let s = DemoSubject(rawValue: rng.weighted(subjectWeights))!
            if s != subject && !qualified.contains(s) { qualified.append(s) }
        }
        qualified.sort { $0.rawValue < $1.rawValue }
        self.qualified = qualified
        var certs = covers
        if rng.chance(0.15) {
            let missing = CertStage.allBits & ~covers
            if missing != 0 {
                let stages = CertStage.allCases
                var added = rng.int(stages.count)
                while missing & stages[added].bit == 0 { added = (added + 1) % stages.count }
                certs |= stages[added].bit
            }
        }
        self.certs = certs

        // Titles, by the years of 人社部发〔2015〕79号 plus a personal delay.
        let leader = role != nil
        var titles: [(level: TitleLevel, obtained: Int)] = []
        let titleLimit = min(careerEnd, asOf)
        let probationEnd = fe + 365 + rng.int(0, 90)
        var reached: Bool
        switch education {
        case .secondary, .associate:
            reached = DemoPerson.obtain(.third, probationEnd, titleLimit, &titles)
            if reached {
                let wait = (education == .secondary ? 3 : 2) + rng.geometric(leader ? 0.1 : 0.3, cap: 4)
                reached = DemoPerson.obtain(.second, DemoPerson.after(titles[0].obtained, wait, &rng), titleLimit, &titles)
            }
        case .bachelor, .master:
            reached = DemoPerson.obtain(.second, probationEnd, titleLimit, &titles)
        case .doctorate:
            reached = DemoPerson.obtain(.first, probationEnd, titleLimit, &titles)
        }
        if reached && titles[titles.count - 1].level == .second && (leader || !rng.chance(0.05)) {
            let base = education == .master ? 2 : education == .secondary ? 5 : 4
            let wait = base + rng.geometric(leader ? 0.15 : 0.45, cap: 6)
            reached = DemoPerson.obtain(.first, DemoPerson.after(titles[titles.count - 1].obtained, wait, &rng), titleLimit, &titles)
        } else {
            reached = reached && titles[titles.count - 1].level == .first
        }
        if reached && titles[titles.count - 1].level == .first && (leader || !rng.chance(0.6)) {
            let wait = (education == .doctorate ? 2 : 5) + (leader ? rng.geometric(0.2, cap: 3) : rng.geometric(0.78, cap: 15))
            reached = DemoPerson.obtain(.senior, DemoPerson.after(titles[titles.count - 1].obtained, wait, &rng), titleLimit, &titles)
        } else {
            reached = false
        }
        if reached && education.isBachelorOrAbove && rng.chance(role == .principal ? 0.25 : 0.06) {
            let wait = 5 + rng.geometric(0.5, cap: 8)
            _ = DemoPerson.obtain(.fullSenior, DemoPerson.after(titles[titles.count - 1].obtained, wait, &rng), titleLimit, &titles)
        }
        self.titles = titles
        let title = titles.last?.level

        // Key-teacher levels: ~20%, climbing in three-year terms.
        var keys: [(level: KeyLevel, start: Int, end: Int?)] = []
        let keyEarliest = DemoCalendar.addingYears(fe, 3)
        if keyEarliest < careerEnd {
            let lastTerm = DemoCalendar.schoolYear(ended ? careerEnd - 1 : asOf)
            let firstTerm = DemoCalendar.year(keyEarliest) + 1
            if !ended && firstTerm <= lastTerm && rng.chance(leader ? 0.4 : 0.2) {
                var level: KeyLevel = rng.weighted(\.keyTeacherShare)
                let allowed = title?.keyLevelCeiling ?? .school
                if level > allowed { level = allowed }
                let since = DemoCalendar.dayNumber(rng.int(firstTerm, lastTerm), 9, 1)
                keys.append((level, since, nil))
                var end = since
                var lower = level.rank - 1
                while lower >= 0 && rng.chance(0.6) {
                    let start = DemoCalendar.addingYears(end, -3)
                    if start < keyEarliest { break }
                    keys.insert((KeyLevel.allCases[lower], start, end), at: 0)
                    end = start
                    lower -= 1
                }
            } else if firstTerm <= lastTerm - 3 && rng.chance(ended ? 0.15 : 0.02) {
                let start = DemoCalendar.dayNumber(rng.int(firstTerm, lastTerm - 3), 9, 1)
                keys.append((.school, start, DemoCalendar.addingYears(start, 3)))
            }
        }
        self.keys = keys

        // Retirement: 60 (men) / 55 (women); ~3% not recorded.
        retirement = rng.chance(0.03) ? nil : DemoCalendar.addingYears(birth, retirementAge)

        // 班主任 years and the recent school years listed.
        let serviceYears = (careerEnd - fe) / 365
        let share = leader ? 0.4 : subject.homeroomShare
        var homeroomLast = 0
        var homeroomCount = 0
        if rng.chance(0.02) {
            homeroomYears = nil
        } else {
            let years = min(20, serviceYears, Int((Double(serviceYears) * share * (0.5 + rng.unit())).rounded()))
            homeroomYears = years
            if years > 0 {
                let lastYear = ended ? DemoCalendar.schoolYear(careerEnd - 1) : DemoCalendar.schoolYear(asOf)
                let current = !leader && status == .active && rng.chance(min(0.9, share * 1.3))
                homeroomLast = current ? lastYear : lastYear - 1 - rng.int(0, 3)
                homeroomCount = max(0, min(years, rng.int(1, 5), homeroomLast - DemoCalendar.schoolYear(fe) + 1))
            }
        }
        self.homeroomLast = homeroomLast
        self.homeroomCount = homeroomCount

        // Posts: leaders of the home school, since a September 1 after they qualified.
        var posts: [(school: Int, post: LeaderPost, start: Int, end: Int?)] = []
        switch role {
        case .principal:
            let earliest = max(homeSince, DemoCalendar.addingYears(fe, 15))
            let start = homes.count > 1 && homeSince >= earliest && rng.chance(0.6) ? homeSince : DemoPerson.september(from: earliest, asOf, &rng)
            let viceFrom = DemoCalendar.addingYears(start, -rng.int(2, 5))
            if rng.chance(0.5) && viceFrom >= homeSince && viceFrom >= DemoCalendar.addingYears(fe, 10) {
                posts.append((schoolIndex, .vicePrincipal, viceFrom, start))
            }
            posts.append((schoolIndex, .principal, start, nil))
            if let other = school.alsoLeads {
                posts.append((other, .principal, DemoPerson.september(from: start + 1, asOf, &rng), nil))
            }
        case .vicePrincipal:
            let earliest = max(homeSince, DemoCalendar.addingYears(fe, 10))
            let start = DemoPerson.september(from: earliest, asOf, &rng)
            let middleFrom = DemoCalendar.addingYears(start, -rng.int(2, 4))
            if rng.chance(0.4) && middleFrom >= homeSince && middleFrom >= DemoCalendar.addingYears(fe, 5) {
                posts.append((schoolIndex, .middle, middleFrom, start))
            }
            posts.append((schoolIndex, .vicePrincipal, start, nil))
        case .middle:
            posts.append((schoolIndex, .middle, DemoPerson.september(from: max(homeSince, DemoCalendar.addingYears(fe, 5)), asOf, &rng), nil))
        case nil:
            break
        }
        self.posts = posts
    }

    static let extraSubjectWeights: [Double] = [55, 33, 12]

    /// Records a title obtained on `day` unless that is after `limit`; false when not obtained.
    static func obtain(
        _ level: TitleLevel, _ day: Int, _ limit: Int, _ titles: inout [(level: TitleLevel, obtained: Int)]
    ) -> Bool {
        guard day <= limit else { return false }
        titles.append((level, day))
        return true
    }

    /// `years` after `day`, plus up to four months for the yearly evaluation round.
    static func after(_ day: Int, _ years: Int, _ rng: inout DemoRandom) -> Int {
        DemoCalendar.addingYears(day, years) + rng.int(0, 120)
    }

    /// A random September 1 from `day` up to the reference date's school year (or `day` itself
    /// when no September 1 fits).
    static func september(from day: Int, _ asOf: Int, _ rng: inout DemoRandom) -> Int {
        let c = DemoCalendar.civil(day)
        let first = c.month < 9 || (c.month == 9 && c.day == 1) ? c.year : c.year + 1
        let last = DemoCalendar.schoolYear(asOf)
        return first > last ? min(day, asOf) : DemoCalendar.dayNumber(rng.int(first, last), 9, 1)
    }
}
