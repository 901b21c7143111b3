#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thin wrapper around the C library's `iconv`, converting whole buffers.
enum IconvConverter {
    /// Why a conversion stopped.
    enum Failure: Error, Equatable {
        /// `iconv_open` refused the pair of encodings.
        case unavailable(from: String, to: String)
        /// The input byte at `offset` starts an invalid sequence.
        case invalid(offset: Int)
        /// The input ends in the middle of a sequence starting at `offset`.
        case truncated(offset: Int)
    }

    /// Converts `input` from one encoding to another, returning the converted bytes.
    static func convert(_ input: [UInt8], from: String, to: String) throws(Failure) -> [UInt8] {
        guard let cd = iconv_open(to, from), cd != iconv_t(bitPattern: -1) else {
            throw .unavailable(from: from, to: to)
        }
        defer { iconv_close(cd) }

        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 2 + 16)
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var failure: Failure?

        var mutableInput = input
        mutableInput.withUnsafeMutableBufferPointer { inBuffer in
            chunk.withUnsafeMutableBufferPointer { outBuffer in
                let inBase = inBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var inPointer: UnsafeMutablePointer<CChar>? = inBase
                var inLeft = inBuffer.count
                let outBase = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var flushing = false
                while true {
                    var outPointer: UnsafeMutablePointer<CChar>? = outBase
                    var outLeft = chunkSize
                    let result: Int
                    if flushing {
                        result = iconv(cd, nil, nil, &outPointer, &outLeft)
                    } else {
                        result = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                    }
                    let savedErrno = errno
                    let produced = chunkSize - outLeft
                    output.append(contentsOf: UnsafeBufferPointer(start: outBuffer.baseAddress, count: produced))
                    if result != -1 {
                        if flushing { return }
                        flushing = true
                        continue
                    }
                    switch savedErrno {
                    case E2BIG:
                        continue
                    case EINVAL:
                        failure = .truncated(offset: inBuffer.count - inLeft)
                        return
                    default:
                        failure = .invalid(offset: inBuffer.count - inLeft)
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
