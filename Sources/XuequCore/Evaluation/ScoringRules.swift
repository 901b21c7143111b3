import Foundation

/// The policy's evaluation numbers as exact fractions, read once per run.
struct ScoringRules: Sendable {
    /// The rubric, in its order.
    let rubric: [Policy.Dimension]
    /// Each rubric dimension's weight, aligned with `rubric`.
    let weights: [Rational]
    /// The keys whose exact scores break ties among 优秀 candidates, in order: the veto dimensions
    /// in rubric order, then `teaching` when the rubric has it.
    let tieBreakerKeys: [String]
    let standardWeeklyPeriods: Rational
    let rotationBonus: Decimal
    let rotationBonusExact: Rational
    let ethicsVeto: Rational
    let passMin: Rational
    let basicPassMin: Rational
    let excellentShare: Rational
    let excellentMin: Rational
    let homeroomCoef: Decimal
    private let coefficientExcellent: Decimal
    private let coefficientPass: Decimal
    private let coefficientBasicPass: Decimal
    private let coefficientFail: Decimal

    init(_ rules: Policy.Evaluation) {
        rubric = rules.rubric
        weights = rules.rubric.map { Self.exact($0.weight, "weight of \($0.key)") }
        tieBreakerKeys = rules.rubric.filter(\.veto).map(\.key) + rules.rubric.map(\.key).filter { $0 == "teaching" }
        standardWeeklyPeriods = Rational(rules.standardWeeklyPeriods)
        rotationBonus = rules.rotationBonus
        rotationBonusExact = Self.exact(rules.rotationBonus, "rotationBonus")
        ethicsVeto = Self.exact(rules.ethicsVeto, "ethicsVeto")
        passMin = Self.exact(rules.passMin, "passMin")
        basicPassMin = Self.exact(rules.basicPassMin, "basicPassMin")
        excellentShare = Self.exact(rules.excellentShare, "excellentShare")
        excellentMin = Self.exact(rules.excellentMin, "excellentMin")
        homeroomCoef = rules.homeroomCoef
        coefficientExcellent = rules.coefficientExcellent
        coefficientPass = rules.coefficientPass
        coefficientBasicPass = rules.coefficientBasicPass
        coefficientFail = rules.coefficientFail
    }

    /// total × the grade's coefficient × (1 + homeroomCoef for a 班主任), exact.
    func payShare(total: Decimal, grade: Grade, homeroom: Bool) -> Decimal {
        total * coefficient(grade) * (homeroom ? 1 + homeroomCoef : 1)
    }

    /// The grade's pay coefficient.
    func coefficient(_ grade: Grade) -> Decimal {
        switch grade {
        case .excellent: coefficientExcellent
        case .pass: coefficientPass
        case .basicPass: coefficientBasicPass
        case .fail: coefficientFail
        }
    }

    /// The exact value of a decimal input. Inputs are finite decimals well inside 128-bit fractions
    /// (the schema's NUMERIC columns and a checked policy always are); anything else is a broken
    /// caller, and stops the run rather than score with a wrong number.
    static func exact(_ value: Decimal, _ what: @autoclosure () -> String) -> Rational {
        guard let exact = Rational(exactly: value) else {
            preconditionFailure("\(what()) = \(value) is not a finite decimal within 128-bit fractions")
        }
        return exact
    }
}
