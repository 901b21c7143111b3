import Foundation

/// Fast text of the batch's result numbers. Foundation's `Decimal` prints and divides digit by
/// digit (about 10 µs a value here), which made its formatting and division a third of the
/// batch's CPU at 1.5 million result values. These do the same with 64- and 128-bit integers
/// when the value fits — every score, share and amount the batch writes does — and fall back to
/// `Decimal` otherwise. The text is exactly `Decimal`'s: no exponent, no trailing zeros.
enum DecimalText {
    /// Decimal places kept exactly by the integer path.
    static let scale = 8
    static let unit: Int64 = 100_000_000

    /// `value` × 10^8 as an integer, when that is exact and fits.
    static func scaled(_ value: Decimal) -> Int64? {
        guard value.isFinite, abs(value) < 90_000_000_000 else { return nil }
        var v = value, r = Decimal()
        guard NSDecimalMultiplyByPowerOf10(&r, &v, Int16(scale), .plain) == .noError else { return nil }
        let i = NSDecimalNumber(decimal: r).int64Value
        return Decimal(i) == r ? i : nil
    }

    /// The text of a value scaled by 10^8: the integer part, and the fraction without trailing zeros.
    static func text(scaled n: Int64) -> String {
        let negative = n < 0
        let m = n.magnitude
        let whole = m / UInt64(unit), fraction = m % UInt64(unit)
        var out = negative && m > 0 ? "-" : ""
        out += String(whole)
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: scale - digits.count) + digits
            while digits.last == "0" { digits.removeLast() }
            out += "." + digits
        }
        return out
    }

    /// `value` as `Decimal` prints it.
    static func text(_ value: Decimal) -> String {
        if let n = scaled(value) { return text(scaled: n) }
        return "\(value)"
    }

    /// `numerator / denominator` rounded half up to `places` (at most 8) decimals, as `Decimal`
    /// prints it: the batch's shares, means and weighted loads (never negative).
    static func ratio(_ numerator: Decimal, _ denominator: Decimal, places: Int) -> String {
        precondition(places >= 0 && places <= scale)
        if let a = scaled(numerator), let b = scaled(denominator), a >= 0, b > 0 {
            // round(a / b × 10^places), half up, in 128 bits; then back to 10^8 units
            var p: Int128 = 1
            for _ in 0..<places { p *= 10 }
            let q = (Int128(a) * p * 2 + Int128(b)) / (Int128(b) * 2)
            var up: Int128 = 1
            for _ in places..<scale { up *= 10 }
            let s = q * up
            if s <= Int128(Int64.max) { return text(scaled: Int64(s)) }
        }
        var v = numerator / denominator, r = Decimal()
        NSDecimalRound(&r, &v, places, .plain)
        return "\(r)"
    }
}
