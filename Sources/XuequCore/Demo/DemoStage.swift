/// A school's stage (学段), with the certificate stages it covers as a bit set
/// (1 = primary, 2 = junior, 4 = senior).
enum DemoStage: Int, Sendable, CaseIterable {
    case primary, junior, senior, nineYear, twelveYear, completeMiddle

    var key: String {
        switch self {
        case .primary: "primary"
        case .junior: "junior"
        case .senior: "senior"
        case .nineYear: "nine_year"
        case .twelveYear: "twelve_year"
        case .completeMiddle: "complete_middle"
        }
    }

    var covers: Int {
        switch self {
        case .primary: 1
        case .junior: 2
        case .senior: 4
        case .nineYear: 3
        case .twelveYear: 7
        case .completeMiddle: 6
        }
    }

    /// Share of schools of this stage: 50 / 20 / 10 / 8 / 4 / 8 %.
    static let shares: [Double] = [50, 20, 10, 8, 4, 8]

    /// Relative staff size (senior and complete schools are larger).
    var sizeFactor: Double {
        switch self {
        case .primary: 0.85
        case .junior: 0.95
        case .senior: 1.3
        case .nineYear: 1.2
        case .twelveYear: 1.7
        case .completeMiddle: 1.45
        }
    }

    /// `primary;junior;senior` text of a certificate bit set.
    static func certText(_ bits: Int) -> String {
        var parts: [String] = []
        if bits & 1 != 0 { parts.append("primary") }
        if bits & 2 != 0 { parts.append("junior") }
        if bits & 4 != 0 { parts.append("senior") }
        return parts.joined(separator: ";")
    }
}
