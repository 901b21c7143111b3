/// How the demo generator draws a person's education.
extension EducationLevel {
    /// Position from the lowest (secondary 0 … doctorate 4), as `TitleLevel.rank`.
    var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// 本科及以上.
    var isBachelorOrAbove: Bool { rank >= Self.bachelor.rank }

    /// Weights of the levels, in ``allCases`` order, for staff of an age: more masters among the young.
    static func staffWeights(age: Int) -> [Double] {
        age < 35 ? youngStaffWeights : age < 45 ? middleAgedStaffWeights : olderStaffWeights
    }

    private static let youngStaffWeights: [Double] = [1, 4, 57, 35, 3]
    private static let middleAgedStaffWeights: [Double] = [2, 9, 69, 18, 2]
    private static let olderStaffWeights: [Double] = [7, 20, 65, 7, 1]

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
}
