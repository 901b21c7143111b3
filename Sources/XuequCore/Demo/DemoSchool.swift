/// A generated school with the slice of the district's staff numbers that belong to it.
struct DemoSchool: Sendable {
    let code: String
    let cluster: Int?
    let name: String
    let stage: SchoolStage
    let tier: SchoolTier
    let rural: Bool
    let latMicro: Int
    let lonMicro: Int
    /// A second campus (code `B`), if any; the main campus `A` is at the school's coordinates.
    var campusB: (name: String, latMicro: Int, lonMicro: Int)?
    /// Index (0-based, within the district) of the first staff member whose home school this is.
    var staffStart = 0
    var staffCount = 0
    var vicePrincipals = 1
    var middleManagers = 2
    /// False for the second school of a 一长执两校 pair: its principal is the partner's.
    var hasOwnPrincipal = true
    /// For the first school of a pair: the other school its principal also leads.
    var alsoLeads: Int?
}
