import Foundation

/// The evaluation rules of domain.md §6 and §9 as a pure function: dimension scores, totals, grades,
/// 优秀 quotas and incentive pay for every teacher of a period, without a database.
public enum Scoring {
    /// Scores, grades and pays every teacher, unit by unit.
    ///
    /// - Parameters:
    ///   - teachers: one entry per teacher evaluated in the period.
    ///   - pools: the incentive pool per assessment unit (school id), in fen; a unit without an
    ///     entry has no pool and gets no amounts. A negative pool is not allocated.
    ///   - rules: the district's evaluation policy for the year.
    /// - Returns: the teachers by staff number (code-point order) and every unit that has a teacher
    ///   or a pool, by school id.
    /// - Precondition: every decimal is finite and fits a fraction of 128-bit integers, as the
    ///   schema's NUMERIC columns and a checked policy do.
    public static func score(_ teachers: [ScoringTeacher], pools: [Int: Int64], rules: Policy.Evaluation) -> ScoringOutcome {
        let exactRules = ScoringRules(rules)
        var assessments = teachers.map(exactRules.assess)
        let members = Dictionary(grouping: assessments.indices) { assessments[$0].score.unitSchoolID }
        let unitIDs = Set(members.keys).union(pools.keys).sorted()
        let units = unitIDs.map { unit in
            settle(unit: unit, members: members[unit] ?? [], assessments: &assessments, pool: pools[unit], rules: exactRules)
        }
        let ordered = assessments.map(\.score).sorted { a, b in
            a.staffNo != b.staffNo ? codePointPrecedes(a.staffNo, b.staffNo) : a.staffID < b.staffID
        }
        return ScoringOutcome(teachers: ordered, units: units)
    }

    /// The assessment unit each teacher is graded in, as `score` decides it (the host of their
    /// longest 交流轮岗 placement in the period, otherwise their home school), by staff id.
    public static func units(of teachers: [ScoringTeacher], rules: Policy.Evaluation) -> [Int64: Int] {
        let exactRules = ScoringRules(rules)
        return Dictionary(teachers.map { ($0.staffID, exactRules.assess($0).score.unitSchoolID) }, uniquingKeysWith: { a, _ in a })
    }

    /// Code-point order of two texts (`COLLATE "C"`), which is the byte order of their UTF-8; Swift's
    /// own `<` on strings compares by Unicode canonical equivalence instead.
    static func codePointPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
