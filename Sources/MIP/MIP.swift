import CLibCBC
import Foundation

/// A mixed-integer linear program: columns (variables) with bounds and objective coefficients, and
/// rows (linear constraints). Minimised. Built by the caller, solved by `CBC.solve`.
public struct MIPModel: Sendable {
    public struct Column: Sendable {
        public var name: String
        public var lower: Double
        public var upper: Double
        public var objective: Double
        public var integer: Bool
    }

    public enum Sense: Sendable { case lessOrEqual, greaterOrEqual, equal }

    public struct Row: Sendable {
        public var name: String
        public var terms: [(column: Int, coefficient: Double)]
        public var sense: Sense
        public var rhs: Double
    }

    public private(set) var columns: [Column] = []
    public private(set) var rows: [Row] = []

    public init() {}

    /// Adds a variable and returns its index. Names must be LP-safe (letters, digits, `_`).
    @discardableResult
    public mutating func addColumn(_ name: String, lower: Double = 0, upper: Double, objective: Double, integer: Bool) -> Int {
        columns.append(Column(name: name, lower: lower, upper: upper, objective: objective, integer: integer))
        return columns.count - 1
    }

    /// Adds a constraint Σ coefficient × column (sense) rhs.
    public mutating func addRow(_ name: String, _ terms: [(column: Int, coefficient: Double)], _ sense: Sense, _ rhs: Double) {
        rows.append(Row(name: name, terms: terms, sense: sense, rhs: rhs))
    }

    public var nonZeros: Int { rows.reduce(0) { $0 + $1.terms.count } }
    public var integerColumns: Int { columns.filter(\.integer).count }
}

/// What the solver proved.
public struct MIPSolution: Sendable {
    public enum Status: String, Sendable {
        /// The objective is optimal (within the relative gap asked for, reported in `gap`).
        case optimal
        /// Stopped by the time limit with a feasible solution; `gap` says how far it may be from optimal.
        case feasible
        case infeasible
        /// Stopped without any feasible solution.
        case noSolution = "no_solution"
    }
    public let status: Status
    public let objective: Double
    /// The best lower bound CBC proved.
    public let bound: Double
    /// (objective − bound) / max(|objective|, 1e-9); 0 when proven optimal.
    public let gap: Double
    public let values: [Double]
    public let seconds: Double
}

public enum CBCError: Error, CustomStringConvertible {
    case writeFailed(String)
    /// libCbcSolver could not be loaded (not installed, or too old).
    case unavailable(String)
    public var description: String {
        switch self {
        case .writeFailed(let path): "could not write the model to \(path)"
        case .unavailable(let why): "the CBC solver is not available (\(why)); install it: apt-get install coinor-libcbc3"
        }
    }
}

/// COIN-OR CBC through its C interface. One thread and CBC's fixed default seed: the same model
/// always gives the same solution.
public enum CBC {
    /// CBC's version, or nil when the library cannot be loaded.
    public static var version: String? {
        guard case .success(let cbc) = CBCLibrary.shared, let text = cbc.getVersion() else { return nil }
        return String(cString: text)
    }

    /// Throws `CBCError.unavailable` when libCbcSolver cannot be loaded.
    public static func requireLibrary() throws {
        _ = try CBCLibrary.shared.get()
    }

    /// CBC keeps some state outside its model objects (seen as a wrong "no solution" for an
    /// infeasible model solved while another model was solving): one solve at a time.
    static let lock = NSLock()

    static func load(_ model: MIPModel, into lib: CBCLibrary) -> UnsafeMutableRawPointer {
        let cbc = lib.newModel()!
        // column-major matrix for loadProblem
        var perColumn = [[(row: Int32, value: Double)]](repeating: [], count: model.columns.count)
        for (r, row) in model.rows.enumerated() {
            for term in row.terms where term.coefficient != 0 { perColumn[term.column].append((Int32(r), term.coefficient)) }
        }
        var start: [CoinBigIndex] = [0]
        var index: [Int32] = []
        var value: [Double] = []
        for entries in perColumn {
            for e in entries {
                index.append(e.row)
                value.append(e.value)
            }
            start.append(CoinBigIndex(index.count))
        }
        let collb = model.columns.map(\.lower), colub = model.columns.map(\.upper), obj = model.columns.map(\.objective)
        let infinity = Double.greatestFiniteMagnitude
        let rowlb = model.rows.map { $0.sense == .lessOrEqual ? -infinity : $0.rhs }
        let rowub = model.rows.map { $0.sense == .greaterOrEqual ? infinity : $0.rhs }
        lib.loadProblem(cbc, Int32(model.columns.count), Int32(model.rows.count), start, index, value, collb, colub, obj, rowlb, rowub)
        for (i, column) in model.columns.enumerated() {
            lib.setColName(cbc, Int32(i), column.name)
            if column.integer { lib.setInteger(cbc, Int32(i)) }
        }
        for (i, row) in model.rows.enumerated() { lib.setRowName(cbc, Int32(i), row.name) }
        lib.setObjSense(cbc, 1)  // minimise
        return cbc
    }

    /// Solver settings beyond the gap and the time limit, by CBC's own parameter names (e.g.
    /// `cuts off`): models whose LP relaxation is nearly integral solve faster without cut
    /// generation, preprocessing and strong branching.
    public struct Tuning: Sendable {
        public var parameters: [(String, String)]
        public init(_ parameters: [(String, String)]) { self.parameters = parameters }
        public static let standard = Tuning([])
        /// For assignment-like models: cuts, preprocessing and strong branching off (on the
        /// 885,000-column rotation model: 100 s → 47 s to a proven optimum).
        public static let assignmentLike = Tuning([("cuts", "off"), ("preprocess", "off"), ("strong", "0")])
    }

    /// Solves to optimality within `relativeGap` (0.001 = 0.1%), or until `maxSeconds`.
    /// Throws `CBCError.unavailable` when libCbcSolver cannot be loaded.
    public static func solve(_ model: MIPModel, relativeGap: Double = 0.001, maxSeconds: Double = 600,
                             tuning: Tuning = .standard) throws -> MIPSolution {
        let lib = try CBCLibrary.shared.get()
        lock.lock()
        defer { lock.unlock() }
        let started = Date()
        let cbc = load(model, into: lib)
        defer { lib.deleteModel(cbc) }
        lib.setLogLevel(cbc, 0)
        lib.setParameter(cbc, "threads", "1")
        for (name, value) in tuning.parameters { lib.setParameter(cbc, name, value) }
        lib.setAllowableFractionGap(cbc, relativeGap)
        lib.setMaximumSeconds(cbc, maxSeconds)
        _ = lib.solve(cbc)
        let seconds = Date().timeIntervalSince(started)
        let finished = lib.status(cbc) == 0 && lib.isSecondsLimitReached(cbc) == 0
        if lib.isProvenInfeasible(cbc) != 0 || (finished && lib.numberSavedSolutions(cbc) == 0 && lib.isProvenOptimal(cbc) == 0) {
            // a search that finished without any solution proved there is none
            return MIPSolution(status: .infeasible, objective: .nan, bound: .nan, gap: .nan, values: [], seconds: seconds)
        }
        let n = model.columns.count
        guard n > 0, let pointer = lib.getColSolution(cbc), lib.numberSavedSolutions(cbc) > 0 || lib.isProvenOptimal(cbc) != 0 else {
            return MIPSolution(status: n == 0 ? .optimal : .noSolution, objective: 0, bound: 0, gap: 0, values: [], seconds: seconds)
        }
        let values = (0..<n).map { pointer[$0] }
        let objective = lib.getObjValue(cbc)
        let bound = min(lib.getBestPossibleObjValue(cbc), objective)
        let gap = max(0, objective - bound) / max(abs(objective), 1e-9)
        // CBC calls a search that stopped at the allowed gap "proven optimal"; say optimal only
        // when the bound meets the objective, otherwise "feasible" with the proven gap
        let optimal = lib.isProvenOptimal(cbc) != 0 && gap < 1e-9
        return MIPSolution(status: optimal ? .optimal : .feasible, objective: objective, bound: bound,
                           gap: optimal ? 0 : gap, values: values, seconds: seconds)
    }

    /// Writes the model in LP format (CBC adds the `.lp` suffix when missing).
    public static func writeLP(_ model: MIPModel, to path: String) throws {
        let lib = try CBCLibrary.shared.get()
        lock.lock()
        defer { lock.unlock() }
        let cbc = load(model, into: lib)
        defer { lib.deleteModel(cbc) }
        let base = path.hasSuffix(".lp") ? String(path.dropLast(3)) : path
        lib.writeLp(cbc, base)
        guard FileManager.default.fileExists(atPath: base + ".lp") else { throw CBCError.writeFailed(path) }
    }
}
