import Foundation

extension Policy {
    /// One problem with a policy document: the field's path and why.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let path: String
        public let message: Message
        public var description: String { "\(path): \(message.en)" }
    }

    static let crossSchoolKindKeys: Set<String> = ["part_time", "itinerant", "cluster_role", "placement"]
    static let titleTargets: Set<String> = ["second", "first", "senior", "full_senior"]

    /// Every rule a policy must satisfy; empty when it is usable.
    public func problems() -> [Problem] {
        var out: [Problem] = []
        func check(_ ok: Bool, _ path: String, _ zh: String, _ en: String) {
            if !ok { out.append(Problem(path: path, message: Message(zh: zh, en: en))) }
        }
        func range<T: Comparable>(_ v: T, _ r: ClosedRange<T>, _ path: String) {
            check(r.contains(v), path, "应在 \(r.lowerBound)–\(r.upperBound) 之间", "must be from \(r.lowerBound) to \(r.upperBound)")
        }
        let a = assignments
        range(a.maxWeeklyPeriods, 1...60, "assignments.maxWeeklyPeriods")
        range(a.travelKmh, 1...200, "assignments.travelKmh")
        range(a.travelBufferMinutes, 0...120, "assignments.travelBufferMinutes")
        range(a.maxCampusChangesPerDay, 0...10, "assignments.maxCampusChangesPerDay")

        let r = rotation
        check(CivilDate.normalize("2000-" + r.referenceDate) != nil && r.referenceDate.count == 5,
              "rotation.referenceDate", "应为 MM-DD 格式的日期", "must be a date written MM-DD")
        for (v, p) in [(r.minYearsAtSchool, "minYearsAtSchool"), (r.minYearsAsLeader, "minYearsAsLeader"),
                       (r.exemptYearsBeforeRetirement, "exemptYearsBeforeRetirement"), (r.cooldownYears, "cooldownYears")] {
            range(v, 0...30, "rotation." + p)
        }
        range(r.maxAgeMale, 30...70, "rotation.maxAgeMale")
        range(r.maxAgeFemale, 30...70, "rotation.maxAgeFemale")
        range(r.maxDistanceKm, 0...500, "rotation.maxDistanceKm")
        for (v, p) in [(r.maxSubjectLossShare, "maxSubjectLossShare"), (r.rotationShare, "rotationShare"), (r.keyShare, "keyShare")] {
            range(v, 0...1, "rotation." + p)
        }
        range(r.maxWishes, 0...20, "rotation.maxWishes")
        for (v, p) in [(r.wDirection, "wDirection"), (r.wPreference, "wPreference"), (r.wUnfilled, "wUnfilled"),
                       (r.wQuota, "wQuota"), (r.wKey, "wKey")] {
            range(v, 0...1_000_000, "rotation." + p)
        }
        // a stored placement lasts at most three years (0003's check on assignment)
        range(r.placementYears, 1...3, "rotation.placementYears")
        check(r.maxGap > 0 && r.maxGap <= Decimal(string: "0.1")!, "rotation.maxGap", "应大于 0 且不超过 0.1", "must be above 0 and at most 0.1")

        let e = evaluation
        let keys = e.rubric.map(\.key)
        check(Set(keys).count == keys.count, "evaluation.rubric", "维度的 key 不能重复", "dimension keys must be unique")
        let total = e.rubric.reduce(Decimal(0)) { $0 + $1.weight }
        check(total == 100, "evaluation.rubric", "各维度权重之和应为 100（现为 \(total)）", "the weights must add up to 100 (they add up to \(total))")
        for (i, d) in e.rubric.enumerated() {
            range(d.weight, 0...100, "evaluation.rubric[\(i)].weight")
            check(["evaluators", "computed"].contains(d.source), "evaluation.rubric[\(i)].source",
                  "应为 evaluators 或 computed", "must be evaluators or computed")
            check(d.source != "computed" || d.key == "workload", "evaluation.rubric[\(i)].source",
                  "只有 workload（工作量）维度可以由系统计算", "only the workload dimension is computed")
        }
        check(keys.contains("ethics"), "evaluation.rubric", "缺少师德维度（ethics）", "the ethics dimension is missing")
        check(Set(e.crossSchoolKinds).isSubset(of: Self.crossSchoolKindKeys), "evaluation.crossSchoolKinds",
              "只能是 part_time、itinerant、cluster_role、placement", "only part_time, itinerant, cluster_role, placement")
        range(e.standardWeeklyPeriods, 1...40, "evaluation.standardWeeklyPeriods")
        range(e.crossSchoolFactor, 0...5, "evaluation.crossSchoolFactor")
        range(e.rotationBonus, 0...20, "evaluation.rotationBonus")
        for (v, p) in [(e.ethicsVeto, "ethicsVeto"), (e.passMin, "passMin"), (e.basicPassMin, "basicPassMin"), (e.excellentMin, "excellentMin")] {
            range(v, 0...100, "evaluation." + p)
        }
        check(e.basicPassMin <= e.passMin && e.passMin <= e.excellentMin, "evaluation.passMin",
              "应满足 basicPassMin ≤ passMin ≤ excellentMin", "needs basicPassMin ≤ passMin ≤ excellentMin")
        range(e.excellentShare, 0...1, "evaluation.excellentShare")
        for (v, p) in [(e.coefficientExcellent, "coefficientExcellent"), (e.coefficientPass, "coefficientPass"),
                       (e.coefficientBasicPass, "coefficientBasicPass"), (e.coefficientFail, "coefficientFail"), (e.homeroomCoef, "homeroomCoef")] {
            range(v, 0...10, "evaluation." + p)
        }

        let t = titles
        for (target, byEducation) in t.yearsAtLevel.sorted(by: { $0.key < $1.key }) {
            check(Self.titleTargets.contains(target), "titles.yearsAtLevel.\(target)",
                  "目标职称应为 second、first、senior、full_senior", "the target must be second, first, senior or full_senior")
            for (education, years) in byEducation.sorted(by: { $0.key < $1.key }) {
                check(EducationLevel(rawValue: education) != nil, "titles.yearsAtLevel.\(target).\(education)",
                      "未知学历；可用：\(EducationLevel.acceptedList)", "unknown education; use \(EducationLevel.acceptedList)")
                range(years, 0...20, "titles.yearsAtLevel.\(target).\(education)")
            }
        }
        for (target, years) in t.homeroomYears.sorted(by: { $0.key < $1.key }) {
            check(Self.titleTargets.contains(target), "titles.homeroomYears.\(target)",
                  "目标职称应为 second、first、senior、full_senior", "the target must be second, first, senior or full_senior")
            range(years, 0...30, "titles.homeroomYears.\(target)")
        }
        range(t.probationYears, 0...5, "titles.probationYears")
        range(t.ethicsLookbackYears, 0...20, "titles.ethicsLookbackYears")
        range(t.experienceDays, 0...3650, "titles.experienceDays")
        range(t.trainingHours, 0...2000, "titles.trainingHours")
        range(t.trainingWindowYears, 1...20, "titles.trainingWindowYears")
        check(EducationLevel(rawValue: t.fullSeniorMinEducation) != nil, "titles.fullSeniorMinEducation",
              "未知学历；可用：\(EducationLevel.acceptedList)", "unknown education; use \(EducationLevel.acceptedList)")
        return out
    }
}
