/// How the demo generator mixes and sizes schools of each stage.
extension SchoolStage {
    /// Share (%) of a generated district's schools: 50 / 20 / 10 / 8 / 4 / 8.
    var schoolShare: Double {
        switch self {
        case .primary: 50
        case .junior: 20
        case .senior: 10
        case .nineYear: 8
        case .twelveYear: 4
        case .completeMiddle: 8
        }
    }

    /// Relative staff size (senior and complete schools are larger).
    var staffSizeFactor: Double {
        switch self {
        case .primary: 0.85
        case .junior: 0.95
        case .senior: 1.3
        case .nineYear: 1.2
        case .twelveYear: 1.7
        case .completeMiddle: 1.45
        }
    }

    /// ``covers`` as a certificate bit set (see ``CertStage/bit``).
    var certificateBits: Int { covers.reduce(0) { $0 | $1.bit } }
}
