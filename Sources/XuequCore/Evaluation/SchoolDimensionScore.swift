import Foundation

/// The evaluator scores one school gave a teacher on one rubric dimension, aggregated.
public struct SchoolDimensionScore: Sendable, Equatable {
    public var schoolID: Int
    /// The rubric dimension's key (`ethics`, `teaching`, …).
    public var dimension: String
    /// The sum of the evaluators' one-decimal scores.
    public var sum: Decimal
    /// How many evaluators scored; 0 means the school has not scored the dimension.
    public var count: Int

    public init(schoolID: Int, dimension: String, sum: Decimal, count: Int) {
        self.schoolID = schoolID
        self.dimension = dimension
        self.sum = sum
        self.count = count
    }
}
