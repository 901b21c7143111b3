/// An exact fraction of 128-bit integers, kept reduced with a positive denominator.
///
/// The scoring compares combined scores exactly: ethics 60 from two schools holding 1/3 and 2/3 of a
/// teacher's load is 60, not 59.999…, which `Decimal` division cannot promise. Every decimal input
/// converts into a `Rational` without loss (`init(exactly:)`), the rules run on fractions, and only
/// the stored results are rounded back to decimals.
///
/// The magnitudes of the scoring (scores to 100, loads of some thousand period-days) stay far inside
/// 128 bits; comparisons never overflow, and arithmetic beyond 128 bits traps rather than lie.
struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The reduced numerator; carries the sign.
    let numerator: Int128
    /// The reduced denominator, always positive.
    let denominator: Int128

    static let zero = Rational(0)
    static let one = Rational(1)

    /// `numerator / denominator`, reduced; the denominator must not be 0.
    init(_ numerator: Int128, _ denominator: Int128) {
        precondition(denominator != 0, "a fraction with denominator 0")
        let divisor = Self.gcd(numerator, denominator)
        let sign: Int128 = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    /// A whole number.
    init(_ value: Int) {
        numerator = Int128(value)
        denominator = 1
    }

    var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    var isZero: Bool { numerator == 0 }

    /// The largest whole number not above the value.
    var floor: Int128 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The greatest common divisor of the magnitudes, at least 1.
    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var x = a.magnitude, y = b.magnitude
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : Int128(x)
    }

    static func + (a: Rational, b: Rational) -> Rational {
        let g = gcd(a.denominator, b.denominator)
        return Rational(a.numerator * (b.denominator / g) + b.numerator * (a.denominator / g), a.denominator / g * b.denominator)
    }

    static func - (a: Rational, b: Rational) -> Rational {
        a + Rational(-b.numerator, b.denominator)
    }

    static func * (a: Rational, b: Rational) -> Rational {
        // cross-reduce first so the products stay small
        let g1 = gcd(a.numerator, b.denominator), g2 = gcd(b.numerator, a.denominator)
        return Rational((a.numerator / g1) * (b.numerator / g2), (a.denominator / g2) * (b.denominator / g1))
    }

    /// Division; the divisor must not be 0.
    static func / (a: Rational, b: Rational) -> Rational {
        precondition(!b.isZero, "division by a zero fraction")
        return a * Rational(b.denominator, b.numerator)
    }

    static func < (a: Rational, b: Rational) -> Bool {
        // a/b < c/d ⇔ a·d < c·b with positive denominators, compared on the 256-bit products
        let left = a.numerator.multipliedFullWidth(by: b.denominator)
        let right = b.numerator.multipliedFullWidth(by: a.denominator)
        return left.high != right.high ? left.high < right.high : left.low < right.low
    }
}
