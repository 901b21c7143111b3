/// Receives the generated rows, one file kind at a time.
///
/// For each kind the generator calls `begin` once, then `row` for every row (fields in header
/// order, already in their CSV text form but not CSV-escaped), then `end`. Kinds come in
/// dependency order, see ``DemoKind``.
public protocol DemoSink {
    /// Starts the file `kind` (a name from docs/csv-formats.md, e.g. `"staff"`) with its header.
    mutating func begin(kind: String, header: [String]) throws
    /// One data row; `fields.count` equals the header's count.
    mutating func row(_ fields: [String]) throws
    /// Ends the file `kind`.
    mutating func end(kind: String) throws
}
