/// Employment status as the demo generator's histories need it.
extension EmploymentStatus {
    /// Left or retired: the career has ended.
    var hasEnded: Bool { self == .left || self == .retired }
}
