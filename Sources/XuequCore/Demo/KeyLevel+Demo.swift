/// How often the demo generator gives each key-teacher level.
extension KeyLevel {
    /// Relative frequency among key teachers (school most common, special rarest).
    var keyTeacherShare: Double {
        switch self {
        case .school: 50
        case .district: 30
        case .municipal: 12
        case .subjectLeader: 6
        case .special: 2
        }
    }
}
