import Foundation

extension Policy {
    /// What each field means, for `xuequ policy show` (path → Chinese, English).
    public static let labels: [String: (zh: String, en: String)] = [
        "assignments.maxWeeklyPeriods": ("每周总课时上限（本校 + 跨校）", "max periods per week, home + cross-school"),
        "assignments.travelKmh": ("校区间交通速度（公里/小时）", "travel speed between campuses, km/h"),
        "assignments.travelBufferMinutes": ("每次换校区另加的分钟数", "minutes added to each campus change"),
        "assignments.maxCampusChangesPerDay": ("每天最多换校区次数", "max campus changes per day"),
        "rotation.referenceDate": ("轮岗资格基准日（月-日）", "eligibility reference date (MM-DD)"),
        "rotation.minYearsAtSchool": ("在同一学校连续任教满（年）", "min full years at the current school"),
        "rotation.minYearsAsLeader": ("校长、副校长在同一学校任职满（年）", "min years in post for (vice) principals"),
        "rotation.exemptYearsBeforeRetirement": ("距退休不足（年）者免于轮岗", "exempt within this many years of retirement"),
        "rotation.cooldownYears": ("交流轮岗结束后免于再轮岗（年）", "years after a placement before rotating again"),
        "rotation.ageCapsEnabled": ("启用北京 2016 年龄上限", "Beijing-2016 age caps on"),
        "rotation.maxAgeMale": ("男教师年龄上限", "age cap, men"),
        "rotation.maxAgeFemale": ("女教师年龄上限", "age cap, women"),
        "rotation.maxDistanceKm": ("交流学校最远距离（公里）", "max distance to the host school, km"),
        "rotation.maxSubjectLossShare": ("同校同学科最多流出比例", "max share of a school's subject group that may leave"),
        "rotation.rotationShare": ("每校轮岗比例（占符合条件者）", "share of eligible teachers to rotate per school"),
        "rotation.keyShare": ("轮岗者中骨干教师比例", "share of key teachers among movers"),
        "rotation.maxWishes": ("志愿学校最多个数", "max wished schools"),
        "rotation.wDirection": ("权重：流向较强学校", "weight: moving to a stronger school"),
        "rotation.wPreference": ("权重：志愿顺序", "weight: wish rank"),
        "rotation.wUnfilled": ("权重：未满足的岗位", "weight: unfilled opening"),
        "rotation.wQuota": ("权重：未达轮岗比例", "weight: quota shortfall"),
        "rotation.wKey": ("权重：骨干比例不足", "weight: key-teacher shortfall"),
        "rotation.placementYears": ("交流轮岗期限（年）", "placement length, years"),
        "rotation.maxGap": ("最优性间隙上限", "max optimality gap"),
        "evaluation.rubric": ("考核维度与权重", "rubric dimensions and weights"),
        "evaluation.standardWeeklyPeriods": ("标准周课时", "standard periods per week"),
        "evaluation.crossSchoolFactor": ("跨校课时折算系数", "cross-school period factor"),
        "evaluation.crossSchoolKinds": ("计入跨校工作量的类型", "kinds counted as cross-school work"),
        "evaluation.rotationBonus": ("交流轮岗加分", "rotation bonus"),
        "evaluation.ethicsVeto": ("师德一票否决线", "ethics veto below"),
        "evaluation.passMin": ("合格分数线", "合格 from"),
        "evaluation.basicPassMin": ("基本合格分数线", "基本合格 from"),
        "evaluation.excellentShare": ("优秀比例上限", "max share of 优秀"),
        "evaluation.excellentMin": ("优秀最低分", "优秀 needs at least"),
        "evaluation.coefficientExcellent": ("奖励性绩效系数：优秀", "pay coefficient 优秀"),
        "evaluation.coefficientPass": ("奖励性绩效系数：合格", "pay coefficient 合格"),
        "evaluation.coefficientBasicPass": ("奖励性绩效系数：基本合格", "pay coefficient 基本合格"),
        "evaluation.coefficientFail": ("奖励性绩效系数：不合格", "pay coefficient 不合格"),
        "evaluation.homeroomCoef": ("班主任绩效加成", "homeroom pay bonus"),
        "titles.yearsAtLevel": ("现职称任职年限（按目标职称、学历）", "years at the current level, by target and education"),
        "titles.probationYears": ("本科见习期（年）", "probation years (本科 → 二级)"),
        "titles.gradesRuleEnabled": ("要求任现职以来年度考核均合格以上", "every annual grade since the title ≥ 合格"),
        "titles.ethicsLookbackYears": ("师德问题回溯年限", "ethics look-back, years"),
        "titles.homeroomYears": ("班主任年限要求（按目标职称）", "homeroom years needed, by target"),
        "titles.experienceRuleEnabled": ("要求农村或薄弱学校任教经历", "rural or weak-school experience rule on"),
        "titles.experienceDays": ("农村或薄弱学校任教天数", "days of rural or weak-school teaching"),
        "titles.beijingProfile": ("北京口径：交流轮岗全部计入", "Beijing profile: any placement counts"),
        "titles.trainingHours": ("继续教育学时要求", "continuing-education hours needed"),
        "titles.trainingWindowYears": ("继续教育学时统计年限", "continuing-education window, years"),
        "titles.fullSeniorMinEducation": ("正高级最低学历", "min education for 正高级"),
    ]

    /// The document as (path, value) pairs in key order: `rotation.minYearsAtSchool = 6`,
    /// `evaluation.rubric[0].weight = 20`.
    public func flattened() -> [(path: String, value: String)] {
        guard let tree = try? JSONDecoder().decode(JSONValue.self, from: Data(PolicyDocument.encode(self).utf8)) else { return [] }
        var out: [(String, String)] = []
        func walk(_ node: JSONValue, _ path: String) {
            switch node {
            case .object(let object):
                for key in object.keys.sorted() { walk(object[key]!, path.isEmpty ? key : path + "." + key) }
            case .array(let array):
                let strings = array.compactMap { if case .string(let s) = $0 { s } else { nil } }
                if strings.count == array.count {
                    out.append((path, strings.joined(separator: ", ")))
                } else {
                    for (i, element) in array.enumerated() { walk(element, "\(path)[\(i)]") }
                }
            case .string(let s): out.append((path, s))
            case .number(let n): out.append((path, "\(n)"))
            case .bool(let b): out.append((path, b ? "true" : "false"))
            case .null: out.append((path, "null"))
            }
        }
        walk(tree, "")
        return out
    }
}

/// Any JSON value, numbers kept exact.
enum JSONValue: Decodable {
    case object([String: JSONValue]), array([JSONValue]), string(String), number(Decimal), bool(Bool), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Decimal.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}
