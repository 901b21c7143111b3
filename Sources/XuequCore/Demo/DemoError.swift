/// Why the demo generator refused its parameters.
public enum DemoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter is out of range; the text names it and the accepted range.
    case invalidParameter(String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .invalidParameter(let text): "invalid demo parameter: \(text)"
        }
    }
}
