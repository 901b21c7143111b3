/// A leadership post at a school.
enum DemoPost: Int, Sendable {
    case principal, vicePrincipal, middle

    var key: String {
        switch self {
        case .principal: "principal"
        case .vicePrincipal: "vice_principal"
        case .middle: "middle"
        }
    }
}
