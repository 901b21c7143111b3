/// Fixed vocabularies of the demo generator: Beijing districts, 东城's 学区, place and person names.
enum DemoCatalog {
    /// A real Beijing district: code, name, centre, school spread (km), rural share.
    struct District: Sendable {
        let code: String
        let name: String
        let lat: Double
        let lon: Double
        let radiusKm: Double
        let ruralShare: Double
    }

    /// 东城区 first, then the other Beijing districts by code.
    static let districts: [District] = [
        District(code: "110101", name: "东城区", lat: 39.928, lon: 116.416, radiusKm: 6, ruralShare: 0.05),
        District(code: "110102", name: "西城区", lat: 39.912, lon: 116.366, radiusKm: 6, ruralShare: 0.05),
        District(code: "110105", name: "朝阳区", lat: 39.921, lon: 116.486, radiusKm: 10, ruralShare: 0.08),
        District(code: "110106", name: "丰台区", lat: 39.858, lon: 116.287, radiusKm: 9, ruralShare: 0.1),
        District(code: "110107", name: "石景山区", lat: 39.906, lon: 116.223, radiusKm: 6, ruralShare: 0.05),
        District(code: "110108", name: "海淀区", lat: 39.959, lon: 116.298, radiusKm: 10, ruralShare: 0.08),
        District(code: "110109", name: "门头沟区", lat: 39.940, lon: 116.102, radiusKm: 12, ruralShare: 0.4),
        District(code: "110111", name: "房山区", lat: 39.736, lon: 116.143, radiusKm: 15, ruralShare: 0.4),
        District(code: "110112", name: "通州区", lat: 39.909, lon: 116.657, radiusKm: 12, ruralShare: 0.3),
        District(code: "110113", name: "顺义区", lat: 40.130, lon: 116.654, radiusKm: 12, ruralShare: 0.35),
        District(code: "110114", name: "昌平区", lat: 40.221, lon: 116.231, radiusKm: 15, ruralShare: 0.3),
        District(code: "110115", name: "大兴区", lat: 39.727, lon: 116.341, radiusKm: 14, ruralShare: 0.35),
        District(code: "110116", name: "怀柔区", lat: 40.316, lon: 116.632, radiusKm: 14, ruralShare: 0.45),
        District(code: "110117", name: "平谷区", lat: 40.141, lon: 117.121, radiusKm: 12, ruralShare: 0.45),
        District(code: "110118", name: "密云区", lat: 40.377, lon: 116.843, radiusKm: 15, ruralShare: 0.5),
        District(code: "110119", name: "延庆区", lat: 40.457, lon: 115.975, radiusKm: 14, ruralShare: 0.5),
    ]

    /// 东城区's eight 学区 from the seed report: code, name, approximate centre.
    static let dongchengClusters: [(code: String, name: String, lat: Double, lon: Double)] = [
        ("DC-HPL", "和平里", 39.957, 116.418),
        ("DC-ADD", "安定东", 39.947, 116.408),
        ("DC-BD", "北东", 39.937, 116.432),
        ("DC-JD", "景东", 39.925, 116.404),
        ("DC-DCJ", "东朝建", 39.918, 116.432),
        ("DC-DCQ", "东崇前", 39.896, 116.410),
        ("DC-LT", "龙体", 39.880, 116.440),
        ("DC-TY", "天永", 39.872, 116.405),
    ]

    /// Street and neighbourhood names of 东城区 for school names.
    static let dongchengPlaces: [String] = [
        "和平里", "地坛", "安外", "交道口", "景山", "东四", "史家", "崇文门", "天坛", "龙潭",
        "永定门", "前门", "府学胡同", "灯市口", "东直门", "北新桥", "朝阳门", "建国门", "东华门", "体育馆路",
        "广渠门", "花市", "光明", "幸福街", "板厂", "雍和宫", "黑芝麻胡同", "分司厅", "北池子", "南锣鼓巷",
        "东交民巷", "西总布", "东单", "金宝街", "青年湖", "新中街", "东四十条", "美术馆", "王府井", "景泰",
        "革新里", "法华寺", "东花市", "汇文", "培新", "回民", "草厂", "东高房", "织染局", "遂安伯",
    ]

    /// Generic place names for the other districts.
    static let genericPlaces: [String] = [
        "阳光", "长安", "新华", "育才", "明德", "光华", "文昌", "振华", "启明", "春晖",
        "育英", "博文", "翠微", "清河", "花园", "银河", "永丰", "太平", "和平", "红星",
        "向阳", "东方", "南湖", "北苑", "西山", "星火", "金台", "丰收", "白云", "玉泉",
        "万泉", "双榆树", "六里屯", "团结湖", "望京", "芳草地", "垂杨柳", "劲松", "方庄", "卢沟桥",
        "古城", "八角", "田村", "苹果园", "良乡", "窦店", "梨园", "永乐", "仁和", "马坡",
    ]

    /// Common surnames, most frequent first.
    static let surnames: [String] = [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
        "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
        "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
        "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    ]

    /// Given-name characters, mostly female.
    static let femaleGiven: [String] = [
        "静", "丽", "敏", "婷", "娜", "芳", "艳", "雪", "颖", "琳", "晶", "慧", "璐", "欣", "悦",
        "怡", "佳", "雨", "萌", "洁", "倩", "玲", "燕", "霞", "丹", "莉", "兰", "红", "梅", "瑶",
        "彤", "宁", "思", "涵", "文", "秀", "英", "华", "娟", "萍",
    ]

    /// Given-name characters, mostly male.
    static let maleGiven: [String] = [
        "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "斌", "宇",
        "浩", "博", "鑫", "峰", "亮", "建", "林", "华", "东", "波", "志", "俊", "晨", "凯", "海",
        "国", "文", "龙", "飞", "毅", "振", "新", "成", "永", "立",
    ]

    /// Continuing-education courses (no commas: they end up in CSV cells).
    static let courses: [String] = [
        "新课标研修", "班主任培训", "信息技术应用能力提升", "师德师风专题培训", "学科教研活动",
        "心理健康教育培训", "作业设计与评价", "大单元教学设计", "跨学科主题学习", "教育科研方法",
        "骨干教师研修", "双减政策解读", "课堂教学评价", "家校共育专题",
        "安全教育培训", "劳动教育实践", "人工智能教育应用",
    ]

    /// 师德 violation descriptions.
    static let ethicsDescriptions: [String] = [
        "违规有偿补课", "违规收受家长礼品", "体罚学生", "言行失范", "在校外培训机构兼职",
    ]

    /// Short evaluators' comments (no commas: they end up in CSV cells).
    static let evaluationComments: [String] = [
        "教学扎实", "班主任工作突出", "积极参与学区教研", "课堂教学效果好", "关爱学生", "师德表现良好",
        "教研成果突出", "工作认真负责", "作业设计有创新", "家校沟通及时", "专业成长明显",
    ]

    /// The comment of a low ethics score, when it has one.
    static let ethicsConcernComment = "师德方面需改进"

    /// Chinese numeral for 1…999 in the Beijing school style (第五 / 第二十五 / 第一六六).
    static func numeral(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        if n >= 100 {
            return String(n).map { digits[Int(String($0))!] }.joined()
        }
        if n < 10 { return digits[n] }
        let tens = n / 10
        let ones = n % 10
        return (tens == 1 ? "" : digits[tens]) + "十" + (ones == 0 ? "" : digits[ones])
    }

    /// Ordinal prefix for repeated place names: "", "第二", "第三" …
    static func repeatSuffix(_ k: Int) -> String { k == 0 ? "" : "第" + numeral(k + 1) }
}
