import CLibPQ

/// The one place `PGresult`s are freed.
enum PGResult {
    static func clear(_ result: OpaquePointer) {
        PQclear(result)
    }
}
