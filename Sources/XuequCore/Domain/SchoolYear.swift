/// A school year `Y`: September 1 of Y to August 31 of Y+1. Written `2024` or `2024-2025`.
public enum SchoolYear {
    /// Parses `2024`, `2024-2025`, `2024—2025` or `2024/2025`; nil when not a school year in 1950…2100.
    public static func parse(_ text: String) -> Int? {
        let t = text.trimmedSpaces
        let parts = t.split(whereSeparator: { "-/—–".contains($0) }).map(String.init)
        guard let first = parts.first, first.count == 4, let y = Int(first), (1950...2100).contains(y) else { return nil }
        if parts.count == 1 { return y }
        guard parts.count == 2, let y2 = Int(parts[1]), y2 == y + 1 else { return nil }
        return y
    }
}

