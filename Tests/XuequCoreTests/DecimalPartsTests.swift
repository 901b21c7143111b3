import Foundation
import Testing
@testable import XuequCore

/// `DecimalParts` reads `Decimal`'s storage; these pin it to `Decimal`'s own public answers.
@Suite("DecimalParts")
struct DecimalPartsTests {
    static func randomDecimal(_ g: inout SystemRandomNumberGenerator) -> Decimal {
        switch Int.random(in: 0..<4, using: &g) {
        case 0:  // what the batch reads: scores and hours with a few places
            return Decimal(sign: Bool.random(using: &g) ? .minus : .plus, exponent: -Int.random(in: 0...8, using: &g),
                           significand: Decimal(UInt64.random(in: 0...99_999_999_999, using: &g)))
        case 1:  // computed: quotients with many digits
            return Decimal(Int.random(in: 1...1_000_000, using: &g)) / Decimal(Int.random(in: 1...997, using: &g))
        case 2:  // large and small exponents
            return Decimal(sign: .plus, exponent: Int.random(in: -40...30, using: &g),
                           significand: Decimal(UInt64.random(in: 0...UInt64.max, using: &g)))
        default:  // sums of decimals
            return Decimal(string: "0.1")! * Decimal(Int.random(in: -500...500, using: &g)) + Decimal(string: "12.345")!
        }
    }

    @Test("the layout check holds on this Foundation, and the fast path agrees with the public one")
    func partsAgree() {
        #expect(DecimalParts.layoutHolds)
        #expect(DecimalParts.parts(of: Decimal(string: "-1234.5678")!) == .init(negative: true, significand: 12_345_678, exponent: -4))
        #expect(DecimalParts.parts(of: 0) == .init(negative: false, significand: 0, exponent: 0))
        #expect(DecimalParts.parts(of: .nan) == nil)
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let d = Self.randomDecimal(&g)
            #expect(DecimalParts.fast(d) == DecimalParts.slow(d), "\(d)")
        }
    }

    @Test("text is Decimal's description")
    func text() {
        for s in ["0", "1", "-1", "87.5", "87.50", "0.005", "-0.000001", "100", "123456789.987654321", "1e25", "1e-30"] {
            let d = Decimal(string: s)!
            #expect(DecimalParts.text(d) == d.description, "\(s)")
        }
        #expect(DecimalParts.text(Decimal(string: "87.50")!) == "87.5")
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let d = Self.randomDecimal(&g)
            #expect(DecimalParts.text(d) == d.description)
        }
    }

    @Test("Rational(exactly:) through the parts equals the value")
    func rational() {
        #expect(Rational(exactly: Decimal(string: "-12.50")!) == Rational(-25, 2))
        #expect(Rational(exactly: Decimal(string: "1e3")!) == Rational(1000, 1))
        #expect(Rational(exactly: Decimal(string: "0.000001")!) == Rational(1, 1_000_000))
        var g = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let n = Int64.random(in: -10_000_000...10_000_000, using: &g), places = Int.random(in: 0...6, using: &g)
            let d = Decimal(sign: n < 0 ? .minus : .plus, exponent: -places, significand: Decimal(n.magnitude))
            var p: Int128 = 1
            for _ in 0..<places { p *= 10 }
            #expect(Rational(exactly: d) == Rational(Int128(n), p), "\(d)")
        }
    }
}
