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
