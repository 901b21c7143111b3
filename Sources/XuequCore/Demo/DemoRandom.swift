/// A seeded xoshiro256** generator: the same seed always yields the same sequence, on every
/// platform, so demo output is byte-identical for identical parameters.
struct DemoRandom: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeds the state from SplitMix64, as the xoshiro authors recommend.
    init(seed: UInt64) {
        var x = seed
        s0 = DemoRandom.splitMix(&x)
        s1 = DemoRandom.splitMix(&x)
        s2 = DemoRandom.splitMix(&x)
        s3 = DemoRandom.splitMix(&x)
    }

    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A well-mixed sub-seed of `seed` for stream `stream` (districts, people, …).
    static func subSeed(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        var x = seed ^ (stream &* 0xD6E8_FEB8_6659_FD93)
        _ = splitMix(&x)
        return splitMix(&x)
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    mutating func next() -> UInt64 {
        let result = DemoRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = DemoRandom.rotl(s3, 45)
        return result
    }

    /// Uniform in `0..<n` (n > 0), by multiply-high.
    mutating func int(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in the closed range; an empty-looking range (upper < lower) yields `lower`.
    mutating func int(_ lower: Int, _ upper: Int) -> Int {
        upper <= lower ? lower : lower + int(upper - lower + 1)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An index chosen with the given (unnormalised) weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var u = unit() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }

    /// A case chosen with the weights `weight` gives the cases, in `allCases` order.
    mutating func weighted<T: CaseIterable>(_ weight: (T) -> Double) -> T {
        let cases = Array(T.allCases)
        return cases[weighted(cases.map(weight))]
    }

    /// A number of extra years, geometric with continuation probability `p`, at most `cap`.
    mutating func geometric(_ p: Double, cap: Int) -> Int {
        var n = 0
        while n < cap && chance(p) { n += 1 }
        return n
    }

    mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i > 0 {
            let j = int(i + 1)
            a.swapAt(i, j)
            i -= 1
        }
    }

    /// `n` category indices in shuffled order whose counts follow `shares` as closely as possible
    /// (largest remainder), so small districts still get the intended mix.
    mutating func quota(_ shares: [Double], _ n: Int) -> [Int] {
        let total = shares.reduce(0, +)
        var counts = shares.map { Int(($0 / total * Double(n)).rounded(.down)) }
        var rest = n - counts.reduce(0, +)
        let order = shares.indices.sorted { a, b in
            let ra = shares[a] / total * Double(n) - Double(counts[a])
            let rb = shares[b] / total * Double(n) - Double(counts[b])
            return ra != rb ? ra > rb : a < b
        }
        var k = 0
        while rest > 0 {
            counts[order[k % order.count]] += 1
            rest -= 1
            k += 1
        }
        var out: [Int] = []
        out.reserveCapacity(n)
        for (i, c) in counts.enumerated() { out += Array(repeating: i, count: c) }
        shuffle(&out)
        return out
    }

    /// `n` cases in shuffled order whose counts follow the shares `share` gives the cases (see
    /// `quota(_:_:)`).
    mutating func quota<T: CaseIterable>(_ share: (T) -> Double, _ n: Int) -> [T] {
        let cases = Array(T.allCases)
        return quota(cases.map(share), n).map { cases[$0] }
    }
}
