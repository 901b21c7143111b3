import Foundation
import XuequCore

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
        guard var parts = DecimalParts.parts(of: value) else { return nil }
        var shift = parts.exponent + scale
        // trailing zeros of the significand make up for places beyond the eighth
        while shift < 0 && parts.significand != 0 && parts.significand % 10 == 0 {
            parts.significand /= 10
            shift += 1
        }
        guard shift >= 0 || parts.significand == 0 else { return nil }
        var n = parts.significand
        for _ in 0..<max(0, shift) {
            let (product, overflow) = n.multipliedReportingOverflow(by: 10)
            guard !overflow, product < UInt128(9_000_000_000_000_000_000) else { return nil }
            n = product
        }
        guard n < UInt128(9_000_000_000_000_000_000) else { return nil }
        return parts.negative ? -Int64(n) : Int64(n)
    }

    /// The text of a value scaled by 10^8: the integer part, and the fraction without trailing zeros.
    static func text(scaled n: Int64) -> String {
        // at most a sign, 19 digits and a point: built backwards in a fixed buffer
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var m = n.magnitude
            var at = 24
            var fraction = m % UInt64(unit)
            m /= UInt64(unit)
            if fraction > 0 {
                var places = scale
                while fraction % 10 == 0 { fraction /= 10; places -= 1 }
                for _ in 0..<places {
                    at -= 1
                    buffer[at] = UInt8(ascii: "0") + UInt8(fraction % 10)
                    fraction /= 10
                }
                at -= 1
                buffer[at] = UInt8(ascii: ".")
            }
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            if n < 0 {
                at -= 1
                buffer[at] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[at..<24]), as: UTF8.self)
        }
    }

    /// `value` as `Decimal` prints it.
    static func text(_ value: Decimal) -> String {
        DecimalParts.text(value)
    }

    /// `numerator / denominator` rounded half up to `places` (at most 8) decimals, as `Decimal`
    /// prints it: the batch's shares, means and weighted loads (never negative).
    static func ratio(_ numerator: Decimal, _ denominator: Decimal, places: Int) -> String {
        precondition(places >= 0 && places <= scale)
        if let a = scaled(numerator), let b = scaled(denominator), let text = ratio(scaled: a, b, places: places) { return text }
        var v = numerator / denominator, r = Decimal()
        NSDecimalRound(&r, &v, places, .plain)
        return "\(r)"
    }

    /// `a / b` of two values scaled by 10^8, rounded half up to `places` decimals; nil when a < 0,
    /// b ≤ 0 or the result does not fit (the caller falls back to `Decimal`).
    static func ratio(scaled a: Int64, _ b: Int64, places: Int) -> String? {
        guard a >= 0, b > 0 else { return nil }
        // round(a / b × 10^places), half up, in 128 bits; then back to 10^8 units
        var p: Int128 = 1
        for _ in 0..<places { p *= 10 }
        let q = (Int128(a) * p * 2 + Int128(b)) / (Int128(b) * 2)
        var up: Int128 = 1
        for _ in places..<scale { up *= 10 }
        let s = q * up
        return s <= Int128(Int64.max) ? text(scaled: Int64(s)) : nil
    }

    /// The sum of values as one scaled by 10^8, when every value and the sum fit.
    static func scaledSum<S: Sequence>(_ values: S) -> Int64? where S.Element == Decimal {
        var total: Int64 = 0
        for value in values {
            guard let n = scaled(value) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(n)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }
}
