import XuequCore

/// An assignment refused by the rules of domain §4: every broken rule, each naming the conflict.
public struct AssignmentRefusal: Error, Sendable {
    public let problems: [(rule: String, message: Message)]
}
