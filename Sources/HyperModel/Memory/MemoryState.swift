/// The host's free-memory states (model-facts §2.4), best first. Each enables more
/// reclamation: high — break large pages only below it; clear — large pages broken and
/// page sharing called actively; soft — ballooning; hard — compression and swapping,
/// ballooning stops; low — VMs above their target are also blocked from allocating.
public enum MemoryState: Int, CaseIterable, Comparable, Sendable {
    case high, clear, soft, hard, low

    public var name: String { String(describing: self) }

    public static func < (a: MemoryState, b: MemoryState) -> Bool { a.rawValue < b.rawValue }
}

/// How the published thresholds are read (the sources conflict, §2.4 and §8).
public enum ThresholdReading: String, CaseIterable, Sendable {
    /// Each threshold is the lower edge of its state: high ≥ 4·minFree, clear ≥ 1,
    /// soft ≥ 0.64, hard ≥ 0.32, low below (Epping, Denneman, esxtop output). Default.
    case a = "A"
    /// "clear below 100 %, soft below 64 %, hard below 32 %, low below 16 %".
    case b = "B"

    /// Lower edges of high, clear, soft and hard, as multiples of minFree.
    var edges: [Double] {
        switch self {
        case .a: return [4.0, 1.0, 0.64, 0.32]
        case .b: return [1.0, 0.64, 0.32, 0.16]
        }
    }
}

public enum MinFree {
    /// vSphere 5.0+ sliding scale on VMkernel-managed memory: 6 % of the first 4 GB,
    /// 4 % of the next 8, 2 % of the next 16, 1 % of the rest (130,607 MB → 1,920 MB).
    /// With `percent`, the ESX ≤ 4.1 rule: that fixed share of memory (6 %).
    public static func bytes(managed: Int64, percent: Double? = nil) -> Int64 {
        if let p = percent { return Int64((Double(managed) * p / 100).rounded()) }
        let mb = Double(managed) / Double(Units.MiB)
        let bands: [(size: Double, rate: Double)] = [(4096, 0.06), (8192, 0.04), (16384, 0.02), (.infinity, 0.01)]
        var left = mb
        var free = 0.0
        for band in bands where left > 0 {
            let part = min(left, band.size)
            free += part * band.rate
            left -= part
        }
        return Int64((free * Double(Units.MiB)).rounded())
    }
}

/// The state machine with hysteresis: a state is entered as soon as free memory falls
/// below the lower edge of the state above, and left upward only once free memory is
/// a margin above that edge and the state has lasted a balance period, so reclamation
/// does not flap at a boundary while guests keep allocating.
public struct MemoryStateMachine: Sendable {
    public private(set) var state = MemoryState.high
    public var reading = ThresholdReading.a
    /// The upward margin, as a fraction of the edge (5 % by default, §2.4 [M]).
    public var hysteresis = 0.05
    /// The least time in a state before leaving it upward (`Mem.BalancePeriod`, [M]).
    public var dwell = SimTime.seconds(Int64(15))
    private var enteredAt = SimTime.zero

    /// The free memory at which each state begins, in bytes (high, clear, soft, hard).
    public func edges(minFree: Int64) -> [Int64] {
        reading.edges.map { Int64(($0 * Double(minFree)).rounded()) }
    }

    /// The state free memory alone would give, without hysteresis.
    public func nominal(free: Int64, minFree: Int64) -> MemoryState {
        let e = edges(minFree: minFree)
        for (i, edge) in e.enumerated() where free >= edge { return MemoryState(rawValue: i)! }
        return .low
    }

    /// Moves to the state for `free` at time `now`; returns true when it changed.
    mutating func update(free: Int64, minFree: Int64, now: SimTime) -> Bool {
        let n = nominal(free: free, minFree: minFree)
        var next = state
        if n > state {
            next = n
        } else if n < state && now.micros - enteredAt.micros >= dwell.micros {
            // climb only to states whose edge is cleared by the margin
            let e = edges(minFree: minFree)
            next = state
            while next > .high, Double(free) >= Double(e[next.rawValue - 1]) * (1 + hysteresis) {
                next = MemoryState(rawValue: next.rawValue - 1)!
            }
        }
        guard next != state else { return false }
        state = next
        enteredAt = now
        return true
    }

    mutating func reset() { state = .high }
}
