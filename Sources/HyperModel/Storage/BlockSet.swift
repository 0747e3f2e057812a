/// A set of disk blocks as sorted, disjoint half-open intervals. Guests write new data
/// sequentially and rewrite by cycling over what they wrote, so every layer of a disk
/// (base, snapshot deltas) holds a handful of intervals whatever its size: counts,
/// unions and overlaps are exact and cost nothing per block.
public struct BlockSet: Equatable, Sendable {
    public private(set) var ranges: [Range<Int64>] = []
    public private(set) var count: Int64 = 0

    public init() {}

    public init(_ r: Range<Int64>) { insert(r) }

    public var isEmpty: Bool { count == 0 }

    /// How many blocks of `r` are not in the set yet.
    public func missing(in r: Range<Int64>) -> Int64 {
        var covered: Int64 = 0
        for x in ranges where x.lowerBound < r.upperBound && r.lowerBound < x.upperBound {
            covered += min(x.upperBound, r.upperBound) - max(x.lowerBound, r.lowerBound)
        }
        return Int64(r.count) - covered
    }

    public mutating func insert(_ r: Range<Int64>) {
        guard !r.isEmpty else { return }
        var lo = r.lowerBound, hi = r.upperBound
        var kept: [Range<Int64>] = []
        kept.reserveCapacity(ranges.count + 1)
        var placed = false
        for x in ranges {
            if x.upperBound < lo {
                kept.append(x)
            } else if hi < x.lowerBound {
                if !placed { kept.append(lo..<hi); placed = true }
                kept.append(x)
            } else {
                lo = min(lo, x.lowerBound)
                hi = max(hi, x.upperBound)
            }
        }
        if !placed { kept.append(lo..<hi) }
        ranges = kept
        count = ranges.reduce(0) { $0 + Int64($1.count) }
    }

    public mutating func formUnion(_ other: BlockSet) {
        for r in other.ranges { insert(r) }
    }

    /// Keeps only blocks below `limit` (a revert shrinks what holds data).
    public mutating func truncate(to limit: Int64) {
        ranges = ranges.compactMap { r in r.lowerBound >= limit ? nil : r.lowerBound..<min(r.upperBound, limit) }
        count = ranges.reduce(0) { $0 + Int64($1.count) }
    }
}
