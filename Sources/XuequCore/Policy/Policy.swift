import Foundation

/// A district's rules for one school year: every number of domain.md as data, versioned in the
/// database (`policy_document`), shown by `xuequ policy show`, changed by `xuequ policy import`
/// without touching code. Shares are exact decimals.
public struct Policy: Codable, Sendable, Equatable {
    public var assignments: Assignments
    public var rotation: Rotation
    public var evaluation: Evaluation
    public var titles: Titles

    /// Cross-school work (跨校任教), domain.md §4.
    public struct Assignments: Codable, Sendable, Equatable {
        /// Home load plus active cross-school work, periods per week.
        public var maxWeeklyPeriods: Int
        /// Travel speed between campuses, km/h.
        public var travelKmh: Decimal
        /// Minutes added to every campus change.
        public var travelBufferMinutes: Int
        public var maxCampusChangesPerDay: Int
    }

    /// 交流轮岗 planning, domain.md §5.
    public struct Rotation: Codable, Sendable, Equatable {
        /// The plan's reference date within the plan year, `MM-DD`.
        public var referenceDate: String
        public var minYearsAtSchool: Int
        public var minYearsAsLeader: Int
        public var exemptYearsBeforeRetirement: Int
        public var cooldownYears: Int
        /// The optional Beijing-2016 age caps.
        public var ageCapsEnabled: Bool
        public var maxAgeMale: Int
        public var maxAgeFemale: Int
        public var maxDistanceKm: Decimal
        public var maxSubjectLossShare: Decimal
        public var rotationShare: Decimal
        public var keyShare: Decimal
        public var maxWishes: Int
        public var wDirection: Decimal
        public var wPreference: Decimal
        public var wUnfilled: Decimal
        public var wQuota: Decimal
        public var wKey: Decimal
        public var placementYears: Int
        /// The largest optimality gap a plan may carry (0.001 = 0.1%).
        public var maxGap: Decimal
    }

    /// 绩效考核, domain.md §6.
    public struct Evaluation: Codable, Sendable, Equatable {
        public var rubric: [Dimension]
        public var standardWeeklyPeriods: Int
        public var crossSchoolFactor: Decimal
        /// Which cross-school kinds count as cross-school work.
        public var crossSchoolKinds: [String]
        public var rotationBonus: Decimal
        public var ethicsVeto: Decimal
        /// 合格 from this total (below it, 基本合格).
        public var passMin: Decimal
        /// 基本合格 from this total (below it, 不合格).
        public var basicPassMin: Decimal
        public var excellentShare: Decimal
        public var excellentMin: Decimal
        public var coefficientExcellent: Decimal
        public var coefficientPass: Decimal
        public var coefficientBasicPass: Decimal
        public var coefficientFail: Decimal
        public var homeroomCoef: Decimal
    }

    /// One dimension of the rubric.
    public struct Dimension: Codable, Sendable, Equatable {
        public var key: String
        public var nameZh: String
        public var weight: Decimal
        /// `evaluators` or `computed`.
        public var source: String
        public var veto: Bool
    }

    /// 职称申报资格, domain.md §7.
    public struct Titles: Codable, Sendable, Equatable {
        /// Years at the current level needed for the next, by target level and education key;
        /// 0 = direct. A missing education means that path is not open.
        public var yearsAtLevel: [String: [String: Int]]
        /// For 二级 from 本科: the probation year after first employment.
        public var probationYears: Int
        public var gradesRuleEnabled: Bool
        public var ethicsLookbackYears: Int
        /// 班主任 years needed, by target level.
        public var homeroomYears: [String: Int]
        public var experienceRuleEnabled: Bool
        /// Days of rural or weak-school teaching needed for 高级 and 正高级 from an urban school.
        public var experienceDays: Int
        public var beijingProfile: Bool
        public var trainingHours: Decimal
        public var trainingWindowYears: Int
        /// 正高级 needs 本科 or above.
        public var fullSeniorMinEducation: String
    }
}

extension Policy {
    /// The national defaults of domain.md (教师〔2014〕4号, Beijing 2016/2021, 人社部发〔2015〕79号).
    public static let defaults = Policy(
        assignments: Assignments(maxWeeklyPeriods: 20, travelKmh: 20, travelBufferMinutes: 10, maxCampusChangesPerDay: 2),
        rotation: Rotation(
            referenceDate: "09-01", minYearsAtSchool: 6, minYearsAsLeader: 6, exemptYearsBeforeRetirement: 5,
            cooldownYears: 3, ageCapsEnabled: false, maxAgeMale: 55, maxAgeFemale: 50, maxDistanceKm: 25,
            maxSubjectLossShare: Decimal(string: "0.5")!, rotationShare: Decimal(string: "0.10")!,
            keyShare: Decimal(string: "0.20")!, maxWishes: 5, wDirection: 10, wPreference: 2, wUnfilled: 1000,
            wQuota: 500, wKey: 500, placementYears: 3, maxGap: Decimal(string: "0.001")!),
        evaluation: Evaluation(
            rubric: [
                Dimension(key: "ethics", nameZh: "师德表现", weight: 20, source: "evaluators", veto: true),
                Dimension(key: "workload", nameZh: "教育教学工作量", weight: 20, source: "computed", veto: false),
                Dimension(key: "teaching", nameZh: "教学效果", weight: 30, source: "evaluators", veto: false),
                Dimension(key: "care", nameZh: "育人与班主任工作", weight: 15, source: "evaluators", veto: false),
                Dimension(key: "growth", nameZh: "教研与专业发展", weight: 15, source: "evaluators", veto: false),
            ],
            standardWeeklyPeriods: 14, crossSchoolFactor: Decimal(string: "1.2")!,
            crossSchoolKinds: ["part_time", "itinerant", "cluster_role", "placement"],
            rotationBonus: 3, ethicsVeto: 60, passMin: 70, basicPassMin: 60, excellentShare: Decimal(string: "0.20")!,
            excellentMin: 85, coefficientExcellent: Decimal(string: "1.2")!, coefficientPass: 1,
            coefficientBasicPass: Decimal(string: "0.5")!, coefficientFail: 0, homeroomCoef: Decimal(string: "0.1")!),
        titles: Titles(
            yearsAtLevel: [
                "second": ["master": 0, "doctorate": 0, "bachelor": 1, "associate": 2, "secondary": 3],
                "first": ["doctorate": 0, "master": 2, "bachelor": 4, "associate": 4, "secondary": 5],
                "senior": ["doctorate": 2, "master": 5, "bachelor": 5, "associate": 5, "secondary": 5],
                "full_senior": ["doctorate": 5, "master": 5, "bachelor": 5],
            ],
            probationYears: 1, gradesRuleEnabled: true, ethicsLookbackYears: 5,
            homeroomYears: ["first": 3, "senior": 5, "full_senior": 5],
            experienceRuleEnabled: true, experienceDays: 365, beijingProfile: false,
            trainingHours: 360, trainingWindowYears: 5, fullSeniorMinEducation: "bachelor"))
}
