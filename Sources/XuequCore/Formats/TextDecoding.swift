/// Detects the encoding of text files and converts between bytes and `String`.
///
/// Detection order: a UTF-8 BOM, a UTF-16 BOM (LE or BE), valid UTF-8, then GB18030
/// (what Chinese Excel writes when saving plain "CSV").
public enum TextDecoding {
    /// Decodes `bytes`, detecting their encoding.
    ///
    /// - Returns: the text (byte-order mark removed) and the detected encoding.
    /// - Throws: `TextDecodingError` naming the 1-based line and the byte offset of the
    ///   first bad byte when the bytes are valid in no supported encoding.
    public static func decode(_ bytes: [UInt8]) throws(TextDecodingError) -> DecodedText {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = bytes[3...]
            if let bad = firstInvalidUTF8Offset(body) {
                throw error(in: bytes, at: bad, likely: .utf8BOM)
            }
            return DecodedText(text: String(decoding: body, as: UTF8.self), encoding: .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return try decodeUTF16(bytes, bigEndian: false)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return try decodeUTF16(bytes, bigEndian: true)
        }
        guard let utf8Bad = firstInvalidUTF8Offset(bytes[...]) else {
            return DecodedText(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8)
        }
        do {
            let converted = try IconvConverter.convert(bytes, from: "GB18030", to: "UTF-8")
            return DecodedText(text: String(decoding: converted, as: UTF8.self), encoding: .gb18030)
        } catch {
            let gbBad: Int
            switch error {
            case .invalid(let offset), .truncated(let offset): gbBad = offset
            case .unavailable: gbBad = -1
            }
            if gbBad > utf8Bad {
                throw Self.error(in: bytes, at: gbBad, likely: .gb18030)
            }
            throw Self.error(in: bytes, at: utf8Bad, likely: .utf8)
        }
    }

    /// Encodes `string` as bytes in `encoding`, adding a byte-order mark for
    /// `.utf8BOM`, `.utf16LE` and `.utf16BE`.
    ///
    /// GB18030 can represent every Unicode scalar; conversion goes through the C library's
    /// `iconv`, and a missing GB18030 converter is a broken system (a precondition failure).
    public static func encode(_ string: String, as encoding: TextEncoding) -> [UInt8] {
        switch encoding {
        case .utf8:
            return Array(string.utf8)
        case .utf8BOM:
            return [0xEF, 0xBB, 0xBF] + Array(string.utf8)
        case .utf16LE, .utf16BE:
            let bigEndian = encoding == .utf16BE
            var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
            out.reserveCapacity(2 + string.utf16.count * 2)
            for unit in string.utf16 {
                let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
                if bigEndian { out.append(high); out.append(low) } else { out.append(low); out.append(high) }
            }
            return out
        case .gb18030:
            let utf8 = Array(string.utf8)
            if utf8.isEmpty { return [] }
            do {
                return try IconvConverter.convert(utf8, from: "UTF-8", to: "GB18030")
            } catch {
                preconditionFailure("GB18030 encoding failed (\(error)); is the C library's iconv GB18030 converter installed?")
            }
        }
    }

    // MARK: - Internals

    private static func decodeUTF16(_ bytes: [UInt8], bigEndian: Bool) throws(TextDecodingError) -> DecodedText {
        let encoding: TextEncoding = bigEndian ? .utf16BE : .utf16LE
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index + 1 < bytes.count {
            let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            index += 2
        }
        // Validate surrogate pairing, reporting the byte offset of the bad unit.
        var i = 0
        while i < units.count {
            let unit = units[i]
            if UTF16.isLeadSurrogate(unit) {
                guard i + 1 < units.count, UTF16.isTrailSurrogate(units[i + 1]) else {
                    throw utf16Error(bytes, unitIndex: i, units: units, bigEndian: bigEndian, likely: encoding)
                }
                i += 2
            } else if UTF16.isTrailSurrogate(unit) {
                throw utf16Error(bytes, unitIndex: i, units: units, bigEndian: bigEndian, likely: encoding)
            } else {
                i += 1
            }
        }
        if index < bytes.count {
            // An odd trailing byte.
            throw TextDecodingError(
                line: utf16Line(units, upTo: units.count), byteOffset: index, byte: nil, likelyEncoding: encoding)
        }
        return DecodedText(text: String(decoding: units, as: UTF16.self), encoding: encoding)
    }

    private static func utf16Error(
        _ bytes: [UInt8], unitIndex: Int, units: [UInt16], bigEndian: Bool, likely: TextEncoding
    ) -> TextDecodingError {
        let offset = 2 + unitIndex * 2
        let isTruncated = unitIndex + 1 >= units.count && UTF16.isLeadSurrogate(units[unitIndex])
        return TextDecodingError(
            line: utf16Line(units, upTo: unitIndex), byteOffset: offset,
            byte: isTruncated ? nil : bytes[offset], likelyEncoding: likely)
    }

    private static func utf16Line(_ units: [UInt16], upTo end: Int) -> Int {
        var line = 1
        var i = 0
        while i < end {
            if units[i] == 0x0A {
                line += 1
            } else if units[i] == 0x0D, !(i + 1 < units.count && units[i + 1] == 0x0A) {
                line += 1
            }
            i += 1
        }
        return line
    }

    private static func error(in bytes: [UInt8], at offset: Int, likely: TextEncoding) -> TextDecodingError {
        var line = 1
        var i = 0
        while i < offset {
            if bytes[i] == 0x0A {
                line += 1
            } else if bytes[i] == 0x0D, !(i + 1 < bytes.count && bytes[i + 1] == 0x0A) {
                line += 1
            }
            i += 1
        }
        let byte: UInt8? = offset < bytes.count ? bytes[offset] : nil
        return TextDecodingError(line: line, byteOffset: offset, byte: byte, likelyEncoding: likely)
    }

    /// The offset (in the base array's indices) of the first byte that starts an invalid
    /// or truncated UTF-8 sequence, or `nil` when `bytes` are valid UTF-8.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            if i + length > end { return i }
            let b1 = bytes[i + 1]
            if b1 < lower || b1 > upper { return i }
            var j = 2
            while j < length {
                let b = bytes[i + j]
                if b < 0x80 || b > 0xBF { return i }
                j += 1
            }
            i += length
        }
        return nil
    }
}
