/// One teacher's inputs for the title rules (domain.md §7), gathered by the nightly batch.
public struct TitleTeacher: Sendable, Equatable {
    public var staffID: Int64
    public var staffNo: String
    /// 学历; nil when no education is recorded.
    public var education: EducationLevel?
    /// 参加工作时间: probation counts from here for a teacher without a title.
    public var firstEmployedOn: Day
    /// The title history; titles obtained after the as-of date are ignored.
    public var titles: [TitleHeld]
    /// 班主任 years to date; nil when unknown.
    public var homeroomYears: Int?
    /// The home-school history.
    public var homeSpells: [TitleHomeSpell]
    /// School year (2026 = 2026-09-01 … 2027-08-31) → periods per week at the home school; a year
    /// without an entry counts as 0 periods at home.
    public var homeLoads: [Int: Int]
    /// Approved, active or ended cross-school work.
    public var work: [TitleWork]
    /// Dates of 师德 violations.
    public var ethicsViolations: [Day]
    /// Continuing-education records.
    public var training: [TitleTraining]
    /// School year → annual grade (年度考核等次), from the batch or imported history.
    public var grades: [Int: Grade]

    public init(
        staffID: Int64, staffNo: String, education: EducationLevel?, firstEmployedOn: Day, titles: [TitleHeld],
        homeroomYears: Int?, homeSpells: [TitleHomeSpell], homeLoads: [Int: Int], work: [TitleWork],
        ethicsViolations: [Day], training: [TitleTraining], grades: [Int: Grade]
    ) {
        self.staffID = staffID
        self.staffNo = staffNo
        self.education = education
        self.firstEmployedOn = firstEmployedOn
        self.titles = titles
        self.homeroomYears = homeroomYears
        self.homeSpells = homeSpells
        self.homeLoads = homeLoads
        self.work = work
        self.ethicsViolations = ethicsViolations
        self.training = training
        self.grades = grades
    }

    /// The home-school spell on `day` (the latest-starting one if the history overlaps), or nil.
    public func homeSpell(on day: Day) -> TitleHomeSpell? {
        homeSpells.filter { $0.contains(day) }.max { $0.from < $1.from }
    }

    /// The current title on `day`: the highest level obtained on or before it (for a level recorded
    /// twice, the earlier date), or nil.
    public func currentTitle(on day: Day) -> TitleHeld? {
        titles.filter { $0.obtainedOn <= day }.min { a, b in
            a.level != b.level ? a.level > b.level : a.obtainedOn < b.obtainedOn
        }
    }
}
