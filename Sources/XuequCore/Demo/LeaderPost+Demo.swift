/// Who holds a post in the demo generator, and how much they teach.
extension LeaderPost {
    /// Share of women among holders (teachers without a post: 0.77).
    var femaleShare: Double {
        switch self {
        case .principal: 0.45
        case .vicePrincipal: 0.6
        case .middle: 0.7
        }
    }

    /// The youngest age, as of the reference date, of a holder.
    var minimumAge: Int {
        switch self {
        case .principal: 45
        case .vicePrincipal: 40
        case .middle: 33
        }
    }

    /// Typical weekly periods (leaders teach little).
    var periodRange: (Int, Int) {
        switch self {
        case .principal: (2, 6)
        case .vicePrincipal: (4, 10)
        case .middle: (6, 12)
        }
    }
}
