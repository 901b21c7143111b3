/// Key-teacher level (骨干), ordered from 校级 to 特级.
enum DemoKeyLevel: Int, Sendable, Comparable {
    case school, district, municipal, subjectLeader, special

    var key: String {
        switch self {
        case .school: "school"
        case .district: "district"
        case .municipal: "municipal"
        case .subjectLeader: "subject_leader"
        case .special: "special"
        }
    }

    /// Relative frequency among key teachers (school most common, special rarest).
    static let shares: [Double] = [50, 30, 12, 6, 2]

    static func < (a: DemoKeyLevel, b: DemoKeyLevel) -> Bool { a.rawValue < b.rawValue }
}
