import Foundation
import Testing
@testable import XuequStore

/// The batch's fast number text is exactly Foundation's `Decimal` text, rounded the same way.
@Suite("DecimalText")
struct DecimalTextTests {
    static func slowRatio(_ a: Decimal, _ b: Decimal, _ places: Int) -> String {
        var v = a / b, r = Decimal()
        NSDecimalRound(&r, &v, places, .plain)
        return "\(r)"
    }

    @Test("values print as Decimal prints them")
    func values() {
        for text in ["0", "1", "100", "85.5", "0.000001", "12.345678", "99999.99", "1.50", "0.10", "-3.25", "1234567.00000001"] {
            let d = Decimal(string: text)!
            #expect(DecimalText.text(d) == "\(d)", "\(text)")
        }
        #expect(DecimalText.text(Decimal(string: "1.5")!) == "1.5")
        #expect(DecimalText.text(Decimal(string: "0.000000001")!) == "0.000000001")  // beyond 8 places: the slow path
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let d = Decimal(sign: .plus, exponent: -Int.random(in: 0...8, using: &generator),
                            significand: Decimal(Int64.random(in: 0...9_999_999_999, using: &generator)))
            #expect(DecimalText.text(d) == "\(d)")
        }
    }

    @Test("ratios round half up like NSDecimalRound(.plain)")
    func ratios() {
        #expect(DecimalText.ratio(1, 3, places: 6) == "0.333333")
        #expect(DecimalText.ratio(2, 3, places: 6) == "0.666667")
        #expect(DecimalText.ratio(Decimal(string: "0.00005")!, 1, places: 4) == "0.0001")  // the half goes up
        #expect(DecimalText.ratio(Decimal(string: "0.00004999")!, 1, places: 4) == "0")
        #expect(DecimalText.ratio(5, 5, places: 6) == "1")
        #expect(DecimalText.ratio(Decimal(string: "179.5")!, 2, places: 6) == "89.75")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let a = Decimal(sign: .plus, exponent: -Int.random(in: 0...2, using: &generator),
                            significand: Decimal(Int64.random(in: 0...50_000_000, using: &generator)))
            let b = Decimal(Int64.random(in: 1...400, using: &generator))
            let places = Int.random(in: 0...6, using: &generator)
            #expect(DecimalText.ratio(a, b, places: places) == Self.slowRatio(a, b, places), "\(a) / \(b) at \(places)")
        }
    }

    @Test("sums in scaled integers, nil when a value or the sum does not fit")
    func sums() {
        #expect(DecimalText.scaledSum([Decimal(string: "1.5")!, Decimal(string: "2.25")!, 0]) == 375_000_000)
        #expect(DecimalText.scaledSum([Decimal]()) == 0)
        #expect(DecimalText.scaledSum([Decimal(string: "0.000000001")!]) == nil)  // beyond 8 places
        #expect(DecimalText.scaledSum([Decimal(80_000_000_000), Decimal(80_000_000_000)]) == nil)  // the sum overflows
        #expect(DecimalText.ratio(scaled: 150_000_000, 300_000_000, places: 6) == "0.5")
        #expect(DecimalText.ratio(scaled: -1, 300_000_000, places: 6) == nil)
    }
}
