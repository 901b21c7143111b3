import CLibCBC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The functions of CBC's C interface that `CBC` uses, looked up in `libCbcSolver` with `dlopen`
/// the first time a model is solved. Linking it instead made every command load CBC and its
/// dependencies (LAPACK, BLAS, gfortran, Clp, Cgl, Osi, CoinUtils: about 5 ms of each start),
/// though only `rotation plan` solves anything; and a host without CBC could not start `xuequ`.
struct CBCLibrary: @unchecked Sendable {
    typealias Model = UnsafeMutableRawPointer
    let getVersion: @convention(c) () -> UnsafePointer<CChar>?
    let newModel: @convention(c) () -> Model?
    let deleteModel: @convention(c) (Model?) -> Void
    let loadProblem: @convention(c) (Model?, Int32, Int32, UnsafePointer<CoinBigIndex>?, UnsafePointer<Int32>?, UnsafePointer<Double>?,
                                     UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafePointer<Double>?,
                                     UnsafePointer<Double>?) -> Void
    let setColName: @convention(c) (Model?, Int32, UnsafePointer<CChar>?) -> Void
    let setRowName: @convention(c) (Model?, Int32, UnsafePointer<CChar>?) -> Void
    let setObjSense: @convention(c) (Model?, Double) -> Void
    let setInteger: @convention(c) (Model?, Int32) -> Void
    let setLogLevel: @convention(c) (Model?, Int32) -> Void
    let setParameter: @convention(c) (Model?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void
    let setAllowableFractionGap: @convention(c) (Model?, Double) -> Void
    let setMaximumSeconds: @convention(c) (Model?, Double) -> Void
    let solve: @convention(c) (Model?) -> Int32
    let status: @convention(c) (Model?) -> Int32
    let isSecondsLimitReached: @convention(c) (Model?) -> Int32
    let isProvenInfeasible: @convention(c) (Model?) -> Int32
    let isProvenOptimal: @convention(c) (Model?) -> Int32
    let numberSavedSolutions: @convention(c) (Model?) -> Int32
    let getColSolution: @convention(c) (Model?) -> UnsafePointer<Double>?
    let getObjValue: @convention(c) (Model?) -> Double
    let getBestPossibleObjValue: @convention(c) (Model?) -> Double
    let writeLp: @convention(c) (Model?, UnsafePointer<CChar>?) -> Void

    /// The sonames tried in order: Debian's runtime package, then the development symlink.
    static let names = ["libCbcSolver.so.3", "libCbcSolver.so"]

    /// The library, loaded once; the error says what is missing and how to install it.
    static let shared: Result<CBCLibrary, CBCError> = load(names)

    static func load(_ names: [String]) -> Result<CBCLibrary, CBCError> {
        var reasons: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            do {
                return .success(try CBCLibrary(handle: handle))
            } catch {
                return .failure(error)
            }
        }
        return .failure(.unavailable(reasons.joined(separator: "; ")))
    }

    private init(handle: UnsafeMutableRawPointer) throws(CBCError) {
        // the function type comes from the property each symbol is assigned to
        func symbol<F>(_ name: String) throws(CBCError) -> F {
            guard let pointer = dlsym(handle, name) else { throw CBCError.unavailable("\(name) is missing from libCbcSolver") }
            return unsafeBitCast(pointer, to: F.self)
        }
        getVersion = try symbol("Cbc_getVersion")
        newModel = try symbol("Cbc_newModel")
        deleteModel = try symbol("Cbc_deleteModel")
        loadProblem = try symbol("Cbc_loadProblem")
        setColName = try symbol("Cbc_setColName")
        setRowName = try symbol("Cbc_setRowName")
        setObjSense = try symbol("Cbc_setObjSense")
        setInteger = try symbol("Cbc_setInteger")
        setLogLevel = try symbol("Cbc_setLogLevel")
        setParameter = try symbol("Cbc_setParameter")
        setAllowableFractionGap = try symbol("Cbc_setAllowableFractionGap")
        setMaximumSeconds = try symbol("Cbc_setMaximumSeconds")
        solve = try symbol("Cbc_solve")
        status = try symbol("Cbc_status")
        isSecondsLimitReached = try symbol("Cbc_isSecondsLimitReached")
        isProvenInfeasible = try symbol("Cbc_isProvenInfeasible")
        isProvenOptimal = try symbol("Cbc_isProvenOptimal")
        numberSavedSolutions = try symbol("Cbc_numberSavedSolutions")
        getColSolution = try symbol("Cbc_getColSolution")
        getObjValue = try symbol("Cbc_getObjValue")
        getBestPossibleObjValue = try symbol("Cbc_getBestPossibleObjValue")
        writeLp = try symbol("Cbc_writeLp")
    }
}
