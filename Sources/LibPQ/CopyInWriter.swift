import CLibPQ

/// Writes data into a running `COPY ... FROM STDIN` (see `Connection.copyIn`).
///
/// Data is buffered and sent in 64 KiB pieces with `PQputCopyData`. Valid only inside the
/// `copyIn` body.
public final class CopyInWriter {
    /// The size of the pieces handed to libpq.
    public static let chunkSize = 64 * 1024

    private var conn: OpaquePointer?
    private var buffer: [UInt8] = []
    private let queryName: String?
    /// Bytes written so far (buffered or sent).
    public private(set) var bytesWritten = 0

    init(conn: OpaquePointer, queryName: String?) {
        self.conn = conn
        self.queryName = queryName
        buffer.reserveCapacity(CopyInWriter.chunkSize)
    }

    /// Appends raw bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(raw: $0) }
    }

    /// Appends the UTF-8 of `string`.
    public func write(_ string: String) throws {
        var s = string
        try s.withUTF8 { try write(raw: UnsafeRawBufferPointer($0)) }
    }

    /// Appends one COPY text-format line built from `fields` (nil is NULL), escaped as
    /// `CopyTextEncoder.line` does, straight into the buffer (the batch writes millions of rows).
    public func writeRow(_ fields: [String?]) throws {
        guard conn != nil else {
            throw PGError(kind: .copy, message: "CopyInWriter used outside its copyIn body", queryName: queryName)
        }
        for value in fields { field(value) }
        try endRow()
    }

    /// Fields written by `field(_:)`/`null()` so far in the current row.
    private var fieldsInRow = 0
    /// Where the current field-by-field row starts in the buffer.
    private var rowStart = 0

    /// Appends one text field to the current row, escaped for COPY's text format (backslash, tab,
    /// newline, carriage return). Rows built field by field end with `endRow()`; this avoids an
    /// array and a string per value on hot paths.
    public func field(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { bytes in
            if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.append(contentsOf: bytes)
                return
            }
            for b in bytes {
                switch b {
                case 0x5C: buffer.append(0x5C); buffer.append(0x5C)
                case 0x09: buffer.append(0x5C); buffer.append(0x74)
                case 0x0A: buffer.append(0x5C); buffer.append(0x6E)
                case 0x0D: buffer.append(0x5C); buffer.append(0x72)
                default: buffer.append(b)
                }
            }
        }
    }

    /// Appends an integer field (its decimal digits, no string made).
    public func field(_ value: Int) {
        field(Int64(value))
    }

    /// Appends an integer field (its decimal digits, no string made).
    public func field(_ value: Int64) {
        separate()
        if value < 0 { buffer.append(0x2D) }
        var m = value.magnitude
        // at most 20 digits, written backwards into a small stack buffer
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var at = 20
            repeat {
                at -= 1
                digits[at] = 0x30 + UInt8(truncatingIfNeeded: m % 10)
                m /= 10
            } while m > 0
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[at..<20]))
        }
    }

    /// Appends a boolean field (`t` or `f`).
    public func field(_ value: Bool) {
        separate()
        buffer.append(value ? 0x74 : 0x66)
    }

    /// Appends the text of `value`, or NULL for nil.
    public func field(_ value: String?) {
        if let value { field(value) } else { null() }
    }

    /// Appends NULL.
    public func null() {
        separate()
        buffer.append(0x5C)
        buffer.append(0x4E)
    }

    /// Ends the row built with `field(_:)`; sends a full chunk.
    public func endRow() throws {
        guard conn != nil else {
            throw PGError(kind: .copy, message: "CopyInWriter used outside its copyIn body", queryName: queryName)
        }
        if fieldsInRow == 0 { rowStart = buffer.count }
        buffer.append(0x0A)
        bytesWritten += buffer.count - rowStart
        fieldsInRow = 0
        if buffer.count >= CopyInWriter.chunkSize {
            try buffer.withUnsafeBytes { try send($0) }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    private func separate() {
        if fieldsInRow > 0 { buffer.append(0x09) } else { rowStart = buffer.count }
        fieldsInRow += 1
    }

    private func write(raw: UnsafeRawBufferPointer) throws {
        guard conn != nil else {
            throw PGError(kind: .copy, message: "CopyInWriter used outside its copyIn body", queryName: queryName)
        }
        bytesWritten += raw.count
        var rest = raw[...]
        // Fill the buffer to a whole chunk, send it, then send whole chunks straight from the input.
        if !buffer.isEmpty {
            let take = min(CopyInWriter.chunkSize - buffer.count, rest.count)
            buffer.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if buffer.count == CopyInWriter.chunkSize {
                try buffer.withUnsafeBytes { try send($0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        while rest.count >= CopyInWriter.chunkSize {
            try send(UnsafeRawBufferPointer(rebasing: rest.prefix(CopyInWriter.chunkSize)))
            rest = rest.dropFirst(CopyInWriter.chunkSize)
        }
        buffer.append(contentsOf: rest)
    }

    /// Sends whatever is buffered.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    func invalidate() {
        conn = nil
        buffer = []
    }

    private func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard let conn else { return }
        guard !bytes.isEmpty else { return }
        let rc = PQputCopyData(conn, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard rc == 1 else {
            throw PGError(kind: .copy,
                          message: "PQputCopyData failed: \(String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines())",
                          queryName: queryName)
        }
    }
}
