/// Max-min proportional sharing among siblings (model-facts §1.1 "Entitlement formula"):
/// child i gets clamp(λ·S_i, lo_i, hi_i) with λ chosen so the children together get the
/// capacity C, or hi_i each when that is less than C (CPU nobody wants is not handed out;
/// the caller sees the rest unused).
///
/// Each round takes λ = C_rem / ΣS_open over the children not yet fixed, and fixes the
/// violators on the side the total errs: if the children over their upper bound give
/// back at least as much as those under their lower bound need, the final λ can only be
/// larger, so the over ones end at hi; otherwise it can only be smaller, so the under
/// ones end at lo. Every round fixes at least one child, and a child is visited a few
/// times in practice. Works in caller-owned columns (the children of a node are
/// consecutive there): no allocation.
enum WaterFill {
    /// Fills `out[first..<first+count]` and returns the water level λ: what one share was
    /// worth in the division, or nil when every child got its upper bound (no contention).
    @inline(__always)
    static func divide(_ capacity: Double, first: Int, count: Int,
                       shares: UnsafeMutablePointer<Double>, lo: UnsafeMutablePointer<Double>,
                       hi: UnsafeMutablePointer<Double>, out: UnsafeMutablePointer<Double>,
                       open: UnsafeMutablePointer<Bool>) -> Double? {
        let end = first + count
        guard count > 0 else { return nil }
        var wanted = 0.0, floor = 0.0
        for i in first..<end {
            wanted += hi[i]
            floor += lo[i]
        }
        if wanted <= capacity {
            for i in first..<end { out[i] = hi[i] }
            return nil
        }
        if floor >= capacity {
            // reservations more than the node got (admission control keeps this from
            // happening except when hosts fail): scale them down alike
            let f = floor > 0 ? capacity / floor : 0
            for i in first..<end { out[i] = lo[i] * f }
            return 0
        }
        var left = capacity
        var openShares = 0.0
        for i in first..<end {
            open[i] = true
            openShares += shares[i]
        }
        var remaining = count
        var lambda = 0.0
        while remaining > 0 {
            guard openShares > 0 else {
                // only zero-share children left: their floors, and the rest unused
                for i in first..<end where open[i] {
                    out[i] = lo[i]
                    open[i] = false
                }
                return lambda
            }
            lambda = left / openShares
            var over = 0.0, under = 0.0
            for i in first..<end where open[i] {
                let x = lambda * shares[i]
                if x > hi[i] { over += x - hi[i] } else if x < lo[i] { under += lo[i] - x }
            }
            if over <= 0 && under <= 0 {
                for i in first..<end where open[i] {
                    out[i] = lambda * shares[i]
                    open[i] = false
                }
                return lambda
            }
            let fixHigh = over >= under
            for i in first..<end where open[i] {
                let x = lambda * shares[i]
                if fixHigh ? x > hi[i] : x < lo[i] {
                    let v = fixHigh ? hi[i] : lo[i]
                    out[i] = v
                    left -= v
                    openShares -= shares[i]
                    open[i] = false
                    remaining -= 1
                }
            }
            if openShares < 1e-9 { openShares = 0 }
        }
        return lambda
    }
}
