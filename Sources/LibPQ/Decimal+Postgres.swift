import Foundation

/// `numeric`, exactly: parsed from the decimal text (never through `Double`).
///
/// Values that `Decimal` cannot hold exactly (more than 38 significant digits, an exponent
/// out of range) and `NaN`/`Infinity` are rejected instead of being rounded.
extension Decimal: PostgresEncodable, PostgresDecodable {
    /// Plain decimal notation, e.g. `-12.5`.
    public var postgresText: String {
        // Decimal.description is locale-independent plain notation ("0.3", "-1e3" never appears).
        description
    }

    /// Parses `numeric` text exactly, or throws.
    public init(postgresText text: String) throws {
        if let value = Self.fastParse(text) {
            self = value
            return
        }
        guard let digits = PostgresNumericText(text) else {
            throw InvalidText(expected: "finite numeric")
        }
        guard digits.significantDigits <= 38 else {
            throw InvalidText(expected: "numeric of at most 38 significant digits")
        }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
              !value.isNaN,
              PostgresNumericText(value.description)?.normalized == digits.normalized
        else {
            throw InvalidText(expected: "numeric that Decimal can represent exactly")
        }
        self = value
    }

    /// Plain numeric text of at most 19 digits (`-?\d+(\.\d+)?`, what PostgreSQL prints for
    /// every score and amount), built from its integer significand: exact by construction and
    /// about twenty times faster than `Decimal(string:)` plus the exactness check. Nil for
    /// anything else, which takes the checked path.
    static func fastParse(_ text: String) -> Decimal? {
        var utf8 = text.utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        var significand: UInt64 = 0
        var digits = 0, fraction = 0
        var point = false, any = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                if point { return nil }
                point = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            any = true
            if point { fraction += 1 }
            if significand == 0 && byte == UInt8(ascii: "0") { continue }
            digits += 1
            guard digits <= 19 else { return nil }
            significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        guard any, fraction <= 100 else { return nil }
        if significand == 0 { return Decimal(0) }
        return Decimal(sign: negative ? .minus : .plus, exponent: -fraction, significand: Decimal(significand))
    }
}

/// The digits of a plain decimal number (`-?\d+(\.\d+)?`), used to check exactness.
struct PostgresNumericText: Equatable {
    /// Sign, integer digits without leading zeros, fraction without trailing zeros; "0" for zero.
    var normalized: String
    var significantDigits: Int

    init?(_ text: String) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var intPart: [UInt8] = []
        var fracPart: [UInt8] = []
        var seenPoint = false
        for b in bytes {
            if b == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                if seenPoint { fracPart.append(b) } else { intPart.append(b) }
            } else {
                return nil
            }
        }
        if intPart.isEmpty && fracPart.isEmpty { return nil }
        let intDigits = intPart.drop(while: { $0 == UInt8(ascii: "0") })
        var frac = fracPart[...]
        while frac.last == UInt8(ascii: "0") { frac = frac.dropLast() }
        let all = Array(intDigits) + Array(frac)
        let trimmed = all.drop(while: { $0 == UInt8(ascii: "0") })
        var sig = trimmed[...]
        while sig.last == UInt8(ascii: "0") { sig = sig.dropLast() }
        significantDigits = sig.count
        if trimmed.isEmpty {
            normalized = "0"
        } else {
            var s = negative ? "-" : ""
            s += intDigits.isEmpty ? "0" : String(decoding: intDigits, as: UTF8.self)
            if !frac.isEmpty { s += "." + String(decoding: frac, as: UTF8.self) }
            normalized = s
        }
    }
}
