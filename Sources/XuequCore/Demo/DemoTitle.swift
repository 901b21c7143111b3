/// Professional title (职称), ordered from 三级 to 正高级.
enum DemoTitle: Int, Sendable, Comparable {
    case third, second, first, senior, fullSenior

    var key: String {
        switch self {
        case .third: "third"
        case .second: "second"
        case .first: "first"
        case .senior: "senior"
        case .fullSenior: "full_senior"
        }
    }

    static func < (a: DemoTitle, b: DemoTitle) -> Bool { a.rawValue < b.rawValue }
}
