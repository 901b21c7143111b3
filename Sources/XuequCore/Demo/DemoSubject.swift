/// A teaching subject, with how often it is a teacher's primary subject at each level.
enum DemoSubject: Int, Sendable, CaseIterable {
    case chinese, math, english, physics, chemistry, biology, history, geography, politics
    case science, it, music, art, pe, psychology, labour

    var key: String {
        switch self {
        case .chinese: "chinese"
        case .math: "math"
        case .english: "english"
        case .physics: "physics"
        case .chemistry: "chemistry"
        case .biology: "biology"
        case .history: "history"
        case .geography: "geography"
        case .politics: "politics"
        case .science: "science"
        case .it: "it"
        case .music: "music"
        case .art: "art"
        case .pe: "pe"
        case .psychology: "psychology"
        case .labour: "labour"
        }
    }

    /// Weights at a primary school (science only here; no physics … geography).
    static let primaryWeights: [Double] = [30, 25, 12, 0, 0, 0, 0, 0, 3, 6, 3, 5, 5, 8, 1, 2]
    /// Weights at a junior or senior school.
    static let secondaryWeights: [Double] = [14, 14, 13, 7, 6, 5, 5, 5, 6, 0, 3, 3, 3, 7, 2, 1]

    /// Share of years a teacher of this subject is 班主任 (homeroom teachers are mostly 语数英).
    var homeroomShare: Double {
        switch self {
        case .chinese, .math: 0.65
        case .english: 0.4
        case .physics, .chemistry, .biology, .history, .geography, .politics: 0.3
        default: 0.08
        }
    }

    /// Typical weekly periods (main subjects fewer, minor subjects more).
    var periodRange: (Int, Int) {
        switch self {
        case .chinese, .math, .english: (10, 14)
        case .psychology: (8, 12)
        case .music, .art, .pe, .it, .labour, .science: (14, 18)
        default: (10, 16)
        }
    }
}
