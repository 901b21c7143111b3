/// Gender as the demo generator's careers need it.
extension Gender {
    /// Statutory retirement age: 60 for men, 55 for women.
    var retirementAge: Int { self == .female ? 55 : 60 }
}
