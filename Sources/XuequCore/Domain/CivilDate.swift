/// Calendar arithmetic on plain dates (no time, no zone), for validating imported dates.
public enum CivilDate {
    /// Parses `YYYY-MM-DD` or `YYYY/MM/DD` (1- or 2-digit month and day accepted) and returns the
    /// canonical `YYYY-MM-DD`, or nil for text that is not a real calendar date (2027-02-30).
    public static func normalize(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1900...2200).contains(y), (1...12).contains(m), d >= 1, d <= daysInMonth(y, m)
        else { return nil }
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
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Adds whole years to a canonical date; 29 February + n years is 28 February in a non-leap year.
    public static func addingYears(_ iso: String, _ n: Int) -> String {
        let p = iso.split(separator: "-").map { Int($0)! }
        let y = p[0] + n
        return format(y, p[1], min(p[2], daysInMonth(y, p[1])))
    }
}

import Foundation
