/// Calendar arithmetic on plain dates (no time, no zone), for validating imported dates.
public enum CivilDate {
    /// Parses `YYYY-MM-DD` or `YYYY/MM/DD` (1- or 2-digit month and day accepted) and returns the
    /// canonical `YYYY-MM-DD`, or nil for text that is not a real calendar date (2027-02-30).
    public static func normalize(_ text: String) -> String? {
        // parsed on bytes: an import checks millions of dates
        var parts: [Int] = []
        var value = 0, digits = 0
        var separator: UInt8 = 0
        for byte in text.trimmedSpaces.utf8 {
            switch byte {
            case 0x30...0x39:
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                if digits > 4 { return nil }
            case 0x2D, 0x2F, 0x2E:  // - / .
                if separator == 0 { separator = byte } else if separator != byte { return nil }
                guard digits > 0 else { return nil }
                parts.append(value)
                if parts.count == 1 && digits != 4 { return nil }
                if parts.count > 1 && digits > 2 { return nil }
                value = 0
                digits = 0
            default:
                return nil
            }
        }
        guard digits > 0, digits <= 2, parts.count == 2 else { return nil }
        let y = parts[0], m = parts[1], d = value
        guard (1900...2200).contains(y), (1...12).contains(m), d >= 1, d <= daysInMonth(y, m) else { return nil }
        return format(y, m, d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func format(_ y: Int, _ m: Int, _ d: Int) -> String {
        // built from bytes: generators and imports format millions of dates
        let bytes: [UInt8] = [
            UInt8(48 + y / 1000 % 10), UInt8(48 + y / 100 % 10), UInt8(48 + y / 10 % 10), UInt8(48 + y % 10), 45,
            UInt8(48 + m / 10 % 10), UInt8(48 + m % 10), 45, UInt8(48 + d / 10 % 10), UInt8(48 + d % 10),
        ]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Adds whole years to a canonical date; 29 February + n years is 28 February in a non-leap year.
    public static func addingYears(_ iso: String, _ n: Int) -> String {
        let p = iso.split(separator: "-").map { Int($0)! }
        let y = p[0] + n
        return format(y, p[1], min(p[2], daysInMonth(y, p[1])))
    }
}

