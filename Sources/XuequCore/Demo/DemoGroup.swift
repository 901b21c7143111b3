/// A generated 教育集团 or 联盟 and its members with their joining days.
struct DemoGroup: Sendable {
    let code: String
    let name: String
    let kind: GroupKind
    let members: [(school: Int, joined: Int)]
}
