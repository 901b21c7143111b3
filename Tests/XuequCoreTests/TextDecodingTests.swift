import Testing
@testable import XuequCore

@Suite struct TextDecodingTests {
    let sample = "工号,姓名\n0001,张三\n"

    @Test func plainUTF8IsDetected() throws {
        let decoded = try TextDecoding.decode(Array(sample.utf8))
        #expect(decoded == DecodedText(text: sample, encoding: .utf8))
    }

    @Test func utf8BOMIsDetectedAndStripped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(sample.utf8)
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded.encoding == .utf8BOM)
        #expect(decoded.text == sample)
        #expect(decoded.text.unicodeScalars.first != "\u{FEFF}")
    }

    @Test func hardCodedGB18030BytesDecode() throws {
        // "0001,张三\n" in GB18030: 张 = D5 C5, 三 = C8 FD.
        let bytes: [UInt8] = [0x30, 0x30, 0x30, 0x31, 0x2C, 0xD5, 0xC5, 0xC8, 0xFD, 0x0A]
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded == DecodedText(text: "0001,张三\n", encoding: .gb18030))
    }

    @Test func encoderProducesKnownGB18030Bytes() {
        #expect(TextDecoding.encode("张三", as: .gb18030) == [0xD5, 0xC5, 0xC8, 0xFD])
        #expect(TextDecoding.encode("", as: .gb18030) == [])
    }

    @Test func gb18030RoundTripOfChineseCSV() throws {
        let bytes = TextDecoding.encode(sample, as: .gb18030)
        #expect(bytes != Array(sample.utf8))
        #expect(TextDecoding.firstInvalidUTF8Offset(bytes[...]) != nil)
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded == DecodedText(text: sample, encoding: .gb18030))
    }

    @Test func gb18030FourByteSequencesRoundTrip() throws {
        // U+20BB7 (𠮷) and € need GB18030's four-byte forms.
        let text = "𠮷,€,é\n"
        let bytes = TextDecoding.encode(text, as: .gb18030)
        let decoded = try TextDecoding.decode(bytes)
        #expect(decoded.text == text)
        #expect(decoded.encoding == .gb18030)
    }

    @Test func utf8BOMEncodingStartsWithBOM() {
        #expect(TextDecoding.encode("a", as: .utf8BOM) == [0xEF, 0xBB, 0xBF, 0x61])
        #expect(TextDecoding.encode("a", as: .utf8) == [0x61])
    }

    @Test func utf16WithBOMRoundTrips() throws {
        let le = TextDecoding.encode("工号\t张三\r\n", as: .utf16LE)
        #expect(Array(le.prefix(4)) == [0xFF, 0xFE, 0xE5, 0x5D])  // 工 = U+5DE5
        #expect(try TextDecoding.decode(le) == DecodedText(text: "工号\t张三\r\n", encoding: .utf16LE))
        let be = TextDecoding.encode("𠮷a", as: .utf16BE)
        #expect(be == [0xFE, 0xFF, 0xD8, 0x42, 0xDF, 0xB7, 0x00, 0x61])
        #expect(try TextDecoding.decode(be) == DecodedText(text: "𠮷a", encoding: .utf16BE))
    }

    @Test func utf16LoneSurrogateIsReported() {
        // BOM, "a\n", then a lone trail surrogate DC00.
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x00, 0xDC]
        #expect(throws: TextDecodingError(line: 2, byteOffset: 6, byte: 0x00, likelyEncoding: .utf16LE)) {
            try TextDecoding.decode(bytes)
        }
    }

    @Test func invalidBytesReportLineAndOffset() {
        // 0xFF is invalid in both UTF-8 and GB18030; it is on line 3 at offset 11.
        let bytes = Array("a,b\nc,d\r\ne,".utf8) + [0xFF] + Array("\n".utf8)
        do {
            _ = try TextDecoding.decode(bytes)
            Issue.record("expected a decoding error")
        } catch {
            #expect(error.line == 3)
            #expect(error.byteOffset == 11)
            #expect(error.byte == 0xFF)
            #expect(error.description.contains("line 3"))
            #expect(error.description.contains("0xFF"))
        }
    }

    @Test func badByteInGB18030FileIsReportedWhereGB18030Fails() {
        // Valid GB18030 Chinese on lines 1-2, then a stray 0x80 on line 3.
        let good = TextDecoding.encode("工号,姓名\n0001,张三\n", as: .gb18030)
        let bytes = good + [0x30, 0x80, 0x0A]
        do {
            _ = try TextDecoding.decode(bytes)
            Issue.record("expected a decoding error")
        } catch {
            #expect(error.likelyEncoding == .gb18030)
            #expect(error.line == 3)
            #expect(error.byteOffset == good.count + 1)
        }
    }

    @Test func badByteInUTF8FileIsReportedAsUTF8() {
        let good = Array("工号,姓名\n0001,张三\n0002,李四\n".utf8)
        let bytes = good + [0xC3, 0x28]  // C3 needs a continuation byte
        do {
            _ = try TextDecoding.decode(bytes)
            Issue.record("expected a decoding error")
        } catch {
            #expect(error.likelyEncoding == .utf8)
            #expect(error.line == 4)
            #expect(error.byteOffset == good.count)
        }
    }

    @Test func invalidUTF8OffsetsAreFound() {
        #expect(TextDecoding.firstInvalidUTF8Offset([0x61, 0xE5, 0xBC][...]) == 1)  // truncated
        #expect(TextDecoding.firstInvalidUTF8Offset([0xED, 0xA0, 0x80][...]) == 0)  // surrogate
        #expect(TextDecoding.firstInvalidUTF8Offset([0xC0, 0x80][...]) == 0)  // overlong
        #expect(TextDecoding.firstInvalidUTF8Offset(Array("张三𠮷".utf8)[...]) == nil)
    }

    @Test func emptyInputIsUTF8() throws {
        #expect(try TextDecoding.decode([]) == DecodedText(text: "", encoding: .utf8))
    }
}
