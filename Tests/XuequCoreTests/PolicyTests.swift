import Foundation
import Testing
@testable import XuequCore

@Suite("Policy document")
struct PolicyTests {
    @Test("the defaults are the numbers of domain.md and pass every check")
    func defaults() {
        let p = Policy.defaults
        #expect(p.problems().isEmpty)
        #expect(p.assignments.maxWeeklyPeriods == 20)
        #expect(p.rotation.rotationShare == Decimal(string: "0.10"))
        #expect(p.rotation.minYearsAtSchool == 6)
        #expect(p.evaluation.rubric.map(\.weight) == [20, 20, 30, 15, 15])
        #expect(p.evaluation.passMin == 70 && p.evaluation.basicPassMin == 60 && p.evaluation.excellentMin == 85)
        #expect(p.titles.yearsAtLevel["first"]?["master"] == 2)
        #expect(p.titles.yearsAtLevel["full_senior"]?["associate"] == nil)
    }

    @Test("export then import gives the same policy, decimals exact")
    func roundTrip() throws {
        var p = Policy.defaults
        p.rotation.rotationShare = Decimal(string: "0.125")!
        let text = PolicyDocument.encode(p)
        #expect(text.contains("\"rotationShare\" : 0.125"))
        #expect(try PolicyDocument.decode(Array(text.utf8)) == p)
    }

    @Test("weights that do not add up to 100 are refused with the sum")
    func weights() throws {
        var p = Policy.defaults
        p.evaluation.rubric[2].weight = 35
        let failure = try #require(throws: PolicyDocument.Failure.self) {
            try PolicyDocument.decode(Array(PolicyDocument.encode(p).utf8))
        }
        #expect(failure.problems.map(\.path) == ["evaluation.rubric"])
        #expect(failure.problems[0].message.zh.contains("现为 105"))
    }

    @Test("a misspelt key is named both as missing and as unknown; a wrong type names its path")
    func strictReading() throws {
        let text = PolicyDocument.encode(.defaults)
        let misspelt = text.replacingOccurrences(of: "\"maxWishes\"", with: "\"maxWishs\"")
        let failure = try #require(throws: PolicyDocument.Failure.self) { try PolicyDocument.decode(Array(misspelt.utf8)) }
        #expect(failure.problems.map(\.path) == ["rotation.maxWishes", "rotation.maxWishs"])
        let extra = text.replacingOccurrences(of: "\"maxWishes\"", with: "\"colour\" : 1, \"maxWishes\"")
        let unknown = try #require(throws: PolicyDocument.Failure.self) { try PolicyDocument.decode(Array(extra.utf8)) }
        #expect(unknown.problems.map(\.path) == ["rotation.colour"])
        let typed = text.replacingOccurrences(of: "\"travelKmh\" : 20", with: "\"travelKmh\" : \"fast\"")
        let wrong = try #require(throws: PolicyDocument.Failure.self) { try PolicyDocument.decode(Array(typed.utf8)) }
        #expect(wrong.problems.map(\.path) == ["assignments.travelKmh"])
        let broken = try #require(throws: PolicyDocument.Failure.self) { try PolicyDocument.decode(Array("{".utf8)) }
        #expect(broken.problems.map(\.path) == ["(document)"])
    }

    @Test("out-of-range values and unknown education keys are refused with their paths")
    func ranges() {
        var p = Policy.defaults
        p.rotation.keyShare = Decimal(string: "1.5")!
        p.rotation.referenceDate = "02-30"
        p.evaluation.passMin = 90
        p.titles.yearsAtLevel["senior"]?["phd"] = 2
        let paths = p.problems().map(\.path)
        #expect(paths == ["rotation.referenceDate", "rotation.keyShare", "evaluation.passMin", "titles.yearsAtLevel.senior.phd"])
    }

    @Test("flattened fields carry paths and exact values")
    func flattened() {
        let items = Dictionary(uniqueKeysWithValues: Policy.defaults.flattened().map { ($0.path, $0.value) })
        #expect(items["rotation.rotationShare"] == "0.1")
        #expect(items["rotation.ageCapsEnabled"] == "false")
        #expect(items["evaluation.rubric[0].nameZh"] == "师德表现")
        #expect(items["titles.yearsAtLevel.second.bachelor"] == "1")
        #expect(items["evaluation.crossSchoolKinds"] == "part_time, itinerant, cluster_role, placement")
    }
}
