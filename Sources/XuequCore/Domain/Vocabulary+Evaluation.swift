/// The kinds of Xuequ users (domain.md §1); each is a PostgreSQL group role `xuequ_<key>`.
public enum AppRole: String, Term {
    case hr, clusterOffice = "cluster_office", principal, auditor, batch
    public var zh: String {
        switch self {
        case .hr: "区教委人事科"
        case .clusterOffice: "学区管理中心"
        case .principal: "校长"
        case .auditor: "督导"
        case .batch: "夜间批处理"
        }
    }
    public var en: String {
        switch self {
        case .hr: "district HR"
        case .clusterOffice: "学区 office"
        case .principal: "principal"
        case .auditor: "auditor"
        case .batch: "nightly batch"
        }
    }
    public var aliases: [String] {
        switch self {
        case .hr: ["人事科", "district-hr"]
        case .clusterOffice: ["学区", "cluster-office", "cluster"]
        case .principal: ["副校长", "vice-principal", "vice_principal"]
        case .auditor: ["审计"]
        case .batch: ["nightly"]
        }
    }
    /// The PostgreSQL group role whose members act as this kind of user.
    public var groupRole: String { "xuequ_" + rawValue }
}

/// An evaluation period's state: scores are entered while open; closed stops edits; released lets
/// teachers (and principals) see the results.
public enum EvaluationPeriodStatus: String, Term {
    case open, closed, released
    public var zh: String {
        switch self {
        case .open: "录入中"
        case .closed: "已截止"
        case .released: "已公布"
        }
    }
    public var en: String { rawValue }
}

/// How a nightly run ended.
public enum NightlyStatus: String, Term {
    case running, succeeded, partial, failed, abandoned
    public var zh: String {
        switch self {
        case .running: "运行中"
        case .succeeded: "成功"
        case .partial: "部分完成"
        case .failed: "失败"
        case .abandoned: "中断"
        }
    }
    public var en: String { rawValue }
}

extension Grade: Term {
    public var zh: String {
        switch self {
        case .excellent: "优秀"
        case .pass: "合格"
        case .basicPass: "基本合格"
        case .fail: "不合格"
        }
    }
    public var en: String {
        switch self {
        case .excellent: "excellent (优秀)"
        case .pass: "pass (合格)"
        case .basicPass: "basic pass (基本合格)"
        case .fail: "fail (不合格)"
        }
    }
}

extension ScoringStatus: Term {
    public var zh: String {
        switch self {
        case .graded: "已评定"
        case .incomplete: "缺评"
        case .noWorkload: "无工作量"
        }
    }
    public var en: String {
        switch self {
        case .graded: "graded"
        case .incomplete: "incomplete"
        case .noWorkload: "no workload"
        }
    }
}
