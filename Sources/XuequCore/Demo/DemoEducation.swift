/// Highest education (学历), ordered.
enum DemoEducation: Int, Sendable, Comparable {
    case secondary, associate, bachelor, master, doctorate

    var key: String {
        switch self {
        case .secondary: "secondary"
        case .associate: "associate"
        case .bachelor: "bachelor"
        case .master: "master"
        case .doctorate: "doctorate"
        }
    }

    /// Typical age at graduation, i.e. at first employment.
    func graduationAge(_ rng: inout DemoRandom) -> Int {
        switch self {
        case .secondary: rng.int(19, 20)
        case .associate: 21
        case .bachelor: rng.int(22, 23)
        case .master: 25
        case .doctorate: 28
        }
    }

    static func < (a: DemoEducation, b: DemoEducation) -> Bool { a.rawValue < b.rawValue }
}
