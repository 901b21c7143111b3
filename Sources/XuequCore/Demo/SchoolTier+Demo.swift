/// How the demo generator mixes and sizes schools of each tier.
extension SchoolTier {
    /// Share (%) of a generated district's schools: 25 / 50 / 25.
    var schoolShare: Double { self == .ordinary ? 50 : 25 }

    /// Relative staff size (strong schools are larger, weak ones smaller).
    var staffSizeFactor: Double {
        switch self {
        case .strong: 1.15
        case .ordinary: 1.0
        case .weak: 0.8
        }
    }
}
