import Foundation
import XuequCore

/// Writes generated demo rows as one CSV file per kind (`staff.csv` …) in a folder, streaming
/// through a 1 MiB buffer so province-size data never sits in memory.
struct DemoFileSink: DemoSink {
    let folder: URL
    let writer = CSVWriter(neutralizesFormulas: false)
    var handle: FileHandle?
    var buffer: [UInt8] = []
    var counts: [(kind: String, rows: Int)] = []

    init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    mutating func begin(kind: String, header: [String]) throws {
        let url = folder.appendingPathComponent(kind + ".csv")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CLIError("cannot write \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: writer.record(header).utf8)
        counts.append((kind, 0))
    }

    mutating func row(_ fields: [String]) throws {
        buffer.append(contentsOf: writer.record(fields).utf8)
        counts[counts.count - 1].rows += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func end(kind: String) throws {
        try flush()
        try handle?.close()
        handle = nil
    }

    mutating func flush() throws {
        try handle?.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
