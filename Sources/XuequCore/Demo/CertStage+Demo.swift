/// Certificate stages as bits, so the demo generator can keep a person's certificates in an `Int`.
extension CertStage {
    /// This stage's bit: primary 1, junior 2, senior 4.
    var bit: Int {
        switch self {
        case .primary: 1
        case .junior: 2
        case .senior: 4
        }
    }

    /// Every stage's bit.
    static let allBits = allCases.reduce(0) { $0 | $1.bit }

    /// The `primary;junior;senior` text of a bit set, stages in declaration order.
    static func text(ofBits bits: Int) -> String {
        allCases.filter { bits & $0.bit != 0 }.map(\.rawValue).joined(separator: ";")
    }
}
