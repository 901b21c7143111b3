/// A generated 学区.
struct DemoCluster: Sendable {
    let code: String
    let name: String
    let latMicro: Int
    let lonMicro: Int
}
