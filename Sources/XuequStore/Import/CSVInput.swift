import Foundation
import XuequCore

/// A CSV file read from disk: decoded (UTF-8 with or without BOM, or GB18030), split into records
/// that remember their line numbers.
struct CSVInput {
    struct Failure: Error {
        let line: Int
        let message: Message
    }

    let header: [String]
    let records: [(line: Int, fields: [String])]
    /// `UTF-8`, `UTF-8 (BOM)` or `GB18030`.
    let encoding: String

    static func read(path: String) throws -> CSVInput {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(line: 0, message: Message(zh: "无法读取文件", en: "cannot read the file"))
        }
        let decoded: DecodedText
        do {
            decoded = try TextDecoding.decode([UInt8](data))
        } catch {
            throw Failure(line: error.line, message: Message(zh: "文件既不是 UTF-8 也不是 GB18030 编码（第 \(error.byteOffset) 字节）",
                                                            en: "the file is neither UTF-8 nor GB18030 (byte \(error.byteOffset))"))
        }
        var rows: [CSVRecord]
        do {
            rows = try CSVReader.parse(decoded.text)
        } catch {
            let zh = error.kind == .unterminatedQuote ? "第 \(error.field) 个字段的引号（\"）没有闭合"
                : "第 \(error.field) 个字段在结束引号后还有文字（字段内的引号要写成 \"\"）"
            throw Failure(line: error.line, message: Message(zh: "CSV 格式错误：" + zh, en: "malformed CSV: \(error.description)"))
        }
        guard !rows.isEmpty else {
            throw Failure(line: 0, message: Message(zh: "文件是空的", en: "the file is empty"))
        }
        let header = rows.removeFirst()
        rows.removeAll { $0.isBlank }  // Excel leaves rows of bare commas at the end
        return CSVInput(header: header.fields, records: rows.map { ($0.line, $0.fields) },
                        encoding: Self.name(of: decoded.encoding))
    }

    static func name(of encoding: TextEncoding) -> String {
        switch encoding {
        case .utf8: "UTF-8"
        case .utf8BOM: "UTF-8 (BOM)"
        case .gb18030: "GB18030"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        }
    }
}
