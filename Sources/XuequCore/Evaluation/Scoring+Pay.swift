extension Scoring {
    /// Splits `pool` fen in proportion to the shares by the largest-remainder method: every amount is
    /// floor(pool × share / Σ shares), and the fen left over go one each to the largest remainders,
    /// ties by staff number in code-point order. The amounts add up to the pool exactly. Nil when
    /// every share is 0. Exact integer arithmetic throughout: the shares are scaled to whole numbers
    /// over their common denominator, and pool × share is taken at 256 bits.
    static func largestRemainder(pool: Int64, shares: [(staffNo: String, share: Rational)]) -> [Int64]? {
        precondition(pool >= 0, "a negative pool is not allocated")
        let denominator = shares.reduce(Int128(1)) { lcm, entry in
            lcm / Rational.gcd(lcm, entry.share.denominator) * entry.share.denominator
        }
        let scaled = shares.map { $0.share.numerator * (denominator / $0.share.denominator) }
        let sum = scaled.reduce(0, +)
        guard sum > 0 else { return nil }

        var amounts: [Int64] = []
        var remainders: [Int128] = []
        for weight in scaled {
            // pool × weight / sum ≤ pool, so the quotient fits
            let (quotient, remainder) = sum.dividingFullWidth(Int128(pool).multipliedFullWidth(by: weight))
            amounts.append(Int64(quotient))
            remainders.append(remainder)
        }
        let leftover = Int(pool - amounts.reduce(0, +))
        let order = shares.indices.sorted { i, j in
            remainders[i] != remainders[j]
                ? remainders[i] > remainders[j] : codePointPrecedes(shares[i].staffNo, shares[j].staffNo)
        }
        for index in order.prefix(leftover) { amounts[index] += 1 }
        return amounts
    }
}
