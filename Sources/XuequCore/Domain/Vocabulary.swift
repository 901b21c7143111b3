/// 学段 of a school.
public enum SchoolStage: String, Term {
    case primary, junior, senior
    case nineYear = "nine_year", twelveYear = "twelve_year", completeMiddle = "complete_middle"

    public var zh: String {
        switch self {
        case .primary: "小学"
        case .junior: "初中"
        case .senior: "高中"
        case .nineYear: "九年一贯"
        case .twelveYear: "十二年一贯"
        case .completeMiddle: "完全中学"
        }
    }
    public var en: String {
        switch self {
        case .primary: "primary"
        case .junior: "junior secondary"
        case .senior: "senior secondary"
        case .nineYear: "nine-year"
        case .twelveYear: "twelve-year"
        case .completeMiddle: "complete secondary"
        }
    }
    public var aliases: [String] {
        switch self {
        case .nineYear: ["九年一贯制"]
        case .twelveYear: ["十二年一贯制"]
        default: []
        }
    }
    /// The certificate stages this school covers (九年一贯 = 小学 + 初中 …).
    public var covers: [CertStage] {
        switch self {
        case .primary: [.primary]
        case .junior: [.junior]
        case .senior: [.senior]
        case .nineYear: [.primary, .junior]
        case .twelveYear: [.primary, .junior, .senior]
        case .completeMiddle: [.junior, .senior]
        }
    }
}

/// A stage a teacher's certificate covers.
public enum CertStage: String, Term {
    case primary, junior, senior
    public var zh: String { switch self { case .primary: "小学"; case .junior: "初中"; case .senior: "高中" } }
    public var en: String { switch self { case .primary: "primary"; case .junior: "junior"; case .senior: "senior" } }
}

/// 办学层级: 1 strongest.
public enum SchoolTier: String, Term {
    case strong = "1", ordinary = "2", weak = "3"
    public var zh: String { switch self { case .strong: "优质"; case .ordinary: "普通"; case .weak: "薄弱" } }
    public var en: String { switch self { case .strong: "strong"; case .ordinary: "ordinary"; case .weak: "weak" } }
    public var number: Int { Int(rawValue)! }
}

public enum Gender: String, Term {
    case male, female
    public var zh: String { self == .male ? "男" : "女" }
    public var en: String { rawValue }
}

/// 学历.
public enum EducationLevel: String, Term {
    case secondary, associate, bachelor, master, doctorate
    public var zh: String {
        switch self {
        case .secondary: "中专/中师"
        case .associate: "大专"
        case .bachelor: "本科"
        case .master: "硕士"
        case .doctorate: "博士"
        }
    }
    public var en: String {
        switch self {
        case .secondary: "secondary vocational"
        case .associate: "associate"
        case .bachelor: "bachelor"
        case .master: "master"
        case .doctorate: "doctorate"
        }
    }
    public var aliases: [String] {
        switch self {
        case .secondary: ["中专", "中师", "中专中师"]
        case .associate: ["专科"]
        case .bachelor: ["大学本科", "学士"]
        case .master: ["研究生", "硕士研究生"]
        case .doctorate: ["博士研究生"]
        }
    }
}

/// 职称, ordered from the lowest.
public enum TitleLevel: String, Term, Comparable {
    case third, second, first, senior
    case fullSenior = "full_senior"
    public var zh: String {
        switch self {
        case .third: "三级"
        case .second: "二级"
        case .first: "一级"
        case .senior: "高级"
        case .fullSenior: "正高级"
        }
    }
    public var en: String {
        switch self {
        case .third: "third grade"
        case .second: "second grade"
        case .first: "first grade"
        case .senior: "senior"
        case .fullSenior: "full senior"
        }
    }
    public var aliases: [String] {
        switch self {
        case .third: ["三级教师"]
        case .second: ["二级教师"]
        case .first: ["一级教师"]
        case .senior: ["高级教师"]
        case .fullSenior: ["正高级教师"]
        }
    }
    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// 骨干教师 level, ordered from the lowest.
public enum KeyLevel: String, Term, Comparable {
    case school, district, municipal
    case subjectLeader = "subject_leader", special
    public var zh: String {
        switch self {
        case .school: "校级骨干"
        case .district: "区级骨干"
        case .municipal: "市级骨干"
        case .subjectLeader: "学科带头人"
        case .special: "特级教师"
        }
    }
    public var en: String {
        switch self {
        case .school: "school key teacher"
        case .district: "district key teacher"
        case .municipal: "municipal key teacher"
        case .subjectLeader: "subject leader"
        case .special: "special-grade teacher"
        }
    }
    public var aliases: [String] {
        switch self {
        case .school: ["校级"]
        case .district: ["区级"]
        case .municipal: ["市级"]
        case .subjectLeader: []
        case .special: ["特级"]
        }
    }
    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// 任职状态.
public enum EmploymentStatus: String, Term {
    case active, sick, maternity, seconded, left, retired
    public var zh: String {
        switch self {
        case .active: "在岗"
        case .sick: "病假"
        case .maternity: "产假"
        case .seconded: "借调"
        case .left: "离职"
        case .retired: "退休"
        }
    }
    public var en: String {
        switch self {
        case .active: "active"
        case .sick: "sick leave"
        case .maternity: "maternity leave"
        case .seconded: "seconded"
        case .left: "left"
        case .retired: "retired"
        }
    }
}

/// 职务 held at a school.
public enum LeaderPost: String, Term {
    case principal
    case vicePrincipal = "vice_principal"
    case middle
    public var zh: String { switch self { case .principal: "校长"; case .vicePrincipal: "副校长"; case .middle: "中层" } }
    public var en: String { switch self { case .principal: "principal"; case .vicePrincipal: "vice principal"; case .middle: "middle manager" } }
    public var aliases: [String] { self == .middle ? ["中层干部"] : [] }
}

/// 教育集团 or 联盟.
public enum GroupKind: String, Term {
    case group, alliance
    public var zh: String { self == .group ? "教育集团" : "联盟" }
    public var en: String { self == .group ? "education group" : "alliance" }
    public var aliases: [String] { self == .group ? ["集团"] : ["教育联盟"] }
}

/// The four kinds of cross-school work (domain §4).
public enum AssignmentKind: String, Term {
    case partTime = "part_time", itinerant
    case clusterRole = "cluster_role", placement
    public var zh: String {
        switch self {
        case .partTime: "跨校兼课"
        case .itinerant: "走教"
        case .clusterRole: "学区兼职"
        case .placement: "交流轮岗"
        }
    }
    public var en: String {
        switch self {
        case .partTime: "part-time teaching"
        case .itinerant: "itinerant teaching"
        case .clusterRole: "学区 role"
        case .placement: "full-time placement"
        }
    }
    public var aliases: [String] { self == .placement ? ["轮岗", "交流"] : [] }
}

/// Where an assignment is in its life: proposed → approved → active → ended, or cancelled/rejected.
public enum AssignmentStatus: String, Term {
    case proposed, approved, active, ended, cancelled, rejected
    public var zh: String {
        switch self {
        case .proposed: "待批准"
        case .approved: "已批准"
        case .active: "进行中"
        case .ended: "已结束"
        case .cancelled: "已取消"
        case .rejected: "已驳回"
        }
    }
    public var en: String { rawValue }
}

/// A day of the timetable week; the key is ISO's number (1 = Monday … 7 = Sunday).
public enum Weekday: String, Term {
    case monday = "1", tuesday = "2", wednesday = "3", thursday = "4", friday = "5", saturday = "6", sunday = "7"
    public var zh: String {
        ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][number - 1]
    }
    public var en: String {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][number - 1]
    }
    public var aliases: [String] {
        let n = number - 1
        return [["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][n],
                ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][n],
                ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][n]]
            + (self == .sunday ? ["星期天", "周天"] : [])
    }
    public var number: Int { Int(rawValue)! }
}

/// A teacher's standing for a rotation plan year (domain.md §5).
public enum RotationOutcome: String, Term {
    case eligible
    case exempt
    case notEligible = "not_eligible"
    public var zh: String {
        switch self {
        case .eligible: "应交流"
        case .exempt: "豁免"
        case .notEligible: "不符合条件"
        }
    }
    public var en: String {
        switch self {
        case .eligible: "eligible"
        case .exempt: "exempt"
        case .notEligible: "not eligible"
        }
    }
}

/// The rule that decided a teacher's rotation standing, in the order domain.md §9 checks them.
public enum RotationRule: String, Term {
    case status, manual, retirement, cooldown, years
    case leaderYears = "leader_years"
    case age
    public var zh: String {
        switch self {
        case .status: "任职状态"
        case .manual: "人事科豁免"
        case .retirement: "临近退休"
        case .cooldown: "轮岗后冷却期"
        case .years: "本校任教年限"
        case .leaderYears: "本校任职年限"
        case .age: "年龄上限"
        }
    }
    public var en: String {
        switch self {
        case .status: "status"
        case .manual: "HR exemption"
        case .retirement: "near retirement"
        case .cooldown: "cooldown after a placement"
        case .years: "years at the school"
        case .leaderYears: "years in post"
        case .age: "age cap"
        }
    }
}
