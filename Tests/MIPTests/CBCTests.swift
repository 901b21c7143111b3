import Foundation
@testable import MIP
import Testing

@Suite("CBC through its C interface")
struct CBCTests {
    /// Three teachers, two openings of one place each (both must be filled), each teacher at most
    /// once: the optimum is teacher 0 → opening 0 and teacher 2 → opening 1, 1 + 3 = 4; any
    /// other choice costs at least 1 + 8 = 9 or 4 + 3 = 7.
    @Test("a small assignment problem solves to its known optimum")
    func assignment() throws {
        let cost: [[Double]] = [[1, 9], [4, 8], [7, 3]]
        var m = MIPModel()
        var x: [[Int]] = []
        for t in 0..<3 {
            x.append((0..<2).map { j in m.addColumn("x_\(t)_\(j)", upper: 1, objective: cost[t][j], integer: true) })
        }
        for t in 0..<3 { m.addRow("once_\(t)", x[t].map { ($0, 1) }, .lessOrEqual, 1) }
        for j in 0..<2 { m.addRow("fill_\(j)", (0..<3).map { (x[$0][j], 1) }, .equal, 1) }
        let s = try CBC.solve(m)
        #expect(s.status == .optimal)
        #expect(s.objective == 4)
        #expect(s.gap == 0)
        let chosen = (0..<3).flatMap { t in (0..<2).filter { s.values[x[t][$0]] > 0.5 }.map { "\(t)→\($0)" } }
        #expect(chosen == ["0→0", "2→1"])
    }

    @Test("an infeasible model says so; a model can be written as LP for another solver")
    func infeasibleAndLP() throws {
        var m = MIPModel()
        let a = m.addColumn("a", upper: 1, objective: 1, integer: true)
        m.addRow("need_two", [(a, 1)], .greaterOrEqual, 2)
        #expect(try CBC.solve(m).status == .infeasible)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xuequ-\(UUID().uuidString).lp").path
        try CBC.writeLP(m, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("need_two"))
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("the library is loaded at run time; a missing one is a clear error, not a failed start")
    func loading() throws {
        try CBC.requireLibrary()
        #expect(CBC.version?.isEmpty == false)
        guard case .failure(let error) = CBCLibrary.load(["libCbcSolver-does-not-exist.so"]) else {
            Issue.record("a missing library loaded")
            return
        }
        #expect(error.description.contains("coinor-libcbc3"))
        #expect(error.description.contains("libCbcSolver-does-not-exist.so"))
    }
}
