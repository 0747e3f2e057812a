/// A seeded, deterministic random source (xoshiro256**). Streams are split per object by
/// a label, never by creation order of unrelated objects or by dictionary order, so
/// adding one VM does not change the random numbers of another.
public struct SimRandom: Sendable {
    public let seed: UInt64
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        s0 = SimRandom.splitmix(&sm)
        s1 = SimRandom.splitmix(&sm)
        s2 = SimRandom.splitmix(&sm)
        s3 = SimRandom.splitmix(&sm)
    }

    /// An independent stream for `label` (e.g. "vm/web01/thread/2"), from the seed alone.
    public func split(_ label: String) -> SimRandom {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for b in label.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        var mix = seed ^ h
        return SimRandom(seed: SimRandom.splitmix(&mix))
    }

    private static func splitmix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9e37_79b9_7f4a_7c15
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = SimRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = SimRandom.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1), 53 bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in [0, bound) without modulo bias.
    public mutating func next(below bound: Int64) -> Int64 {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int64(r % b) }
        }
    }

    /// Uniform in [lo, hi].
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * nextDouble() }
}
