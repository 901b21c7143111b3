import Foundation

extension Rational {
    /// The exact value of a finite decimal, or nil for NaN and for values beyond 128-bit fractions.
    init?(exactly decimal: Decimal) {
        // significand × 10^exponent, read from the decimal's storage (not its text)
        guard let parts = DecimalParts.parts(of: decimal), parts.significand <= UInt128(Int128.max) else { return nil }
        var whole = Int128(parts.significand)
        var denominator: Int128 = 1
        for _ in 0..<parts.exponent.magnitude {
            if parts.exponent < 0 {
                let (scaled, overflow) = denominator.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                denominator = scaled
            } else {
                let (scaled, overflow) = whole.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                whole = scaled
            }
        }
        self.init(parts.negative ? -whole : whole, denominator)
    }

    /// The value rounded half away from zero ("half-up") to `places` decimals, as a decimal.
    func decimal(places: Int) -> Decimal {
        let rounded = roundedNumerator(places: places)
        let magnitude = rounded.magnitude
        // a UInt128 as a decimal, exactly: high × 2^64 + low
        let twoTo64 = Decimal(UInt64.max) + 1
        let significand = Decimal(UInt64(truncatingIfNeeded: magnitude >> 64)) * twoTo64
            + Decimal(UInt64(truncatingIfNeeded: magnitude))
        return Decimal(sign: rounded < 0 ? .minus : .plus, exponent: -places, significand: significand)
    }

    /// The value rounded half away from zero to `places` decimals, still exact.
    func rounded(places: Int) -> Rational {
        Rational(roundedNumerator(places: places), Self.powerOfTen(places))
    }

    /// round(value × 10^places), halves away from zero.
    private func roundedNumerator(places: Int) -> Int128 {
        let scaled = numerator.magnitude * Self.powerOfTen(places).magnitude
        let denominator = self.denominator.magnitude
        // floor(|x| / d + 1/2) = floor((2|x| + d) / 2d)
        let halfUp = Int128((2 * scaled + denominator) / (2 * denominator))
        return numerator < 0 ? -halfUp : halfUp
    }

    private static func powerOfTen(_ exponent: Int) -> Int128 {
        (0..<max(0, exponent)).reduce(1) { value, _ in value * 10 }
    }
}
