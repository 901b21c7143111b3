/// Employment status (在岗, 病假 …).
enum DemoStatus: Int, Sendable {
    case active, sick, maternity, seconded, left, retired

    var key: String {
        switch self {
        case .active: "active"
        case .sick: "sick"
        case .maternity: "maternity"
        case .seconded: "seconded"
        case .left: "left"
        case .retired: "retired"
        }
    }

    /// Left or retired: the career has ended.
    var hasEnded: Bool { self == .left || self == .retired }
}
