/// A dimension a school holding a share of the teacher's load has not scored yet.
public struct MissingScore: Sendable, Equatable, Hashable {
    public var schoolID: Int
    public var dimension: String

    public init(schoolID: Int, dimension: String) {
        self.schoolID = schoolID
        self.dimension = dimension
    }
}
