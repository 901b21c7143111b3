import ArgumentParser
import XuequCore

/// An error with one line meant for the person at the terminal.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// A date option checked before anything reaches the database: nil stays nil; otherwise the
/// canonical YYYY-MM-DD, or a refusal naming the option (2027-02-30 is not a date).
func checkedDate(_ value: String?, option: String, _ lang: Language) throws -> String? {
    guard let value else { return nil }
    guard let date = CivilDate.normalize(value), (1900...2100).contains(Int(date.prefix(4)) ?? 0) else {
        throw CLIError(lang.pick("\(option) 不是有效日期（YYYY-MM-DD）：\(value)", "\(option) is not a valid date (YYYY-MM-DD): \(value)"))
    }
    return date
}

/// A school or plan year option: 1990…2100, the years the database accepts, refused by the
/// argument parser (with the option's name) before anything runs.
func parseYear(_ text: String) throws -> Int {
    guard let year = Int(text.trimmingCharacters(in: .whitespaces)), (1990...2100).contains(year) else {
        throw ValidationError("年份应在 1990 到 2100 之间 / a year between 1990 and 2100, not \"\(text)\"")
    }
    return year
}
