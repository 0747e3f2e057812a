/// The VMkernel's estimate of a VM's active memory: sampled each period and smoothed so
/// that it rises fast and falls slowly — the larger of the current sample, a fast and a
/// slow moving average (Waldspurger OSDI'02 §5.3; model-facts §2.3). The sampling itself
/// is modelled by its expected value (the fraction of touched pages), without sampling
/// noise, so labs get stable numbers.
public struct ActiveEstimator {
    // a value inside its guest's object, not an object of its own: the sampler, the
    // entitlement pass and DPM read `value` for every VM, and a separate object was one
    // more cache miss each time (4.7 % of a datacenter day)
    /// Weight of a new sample in the fast and slow averages.
    public var fastGain = 0.5
    public var slowGain = 0.25
    public private(set) var fast: Double = 0
    public private(set) var slow: Double = 0
    public private(set) var value: Int64 = 0

    mutating func sample(_ observed: Int64, ceiling: Int64) {
        let x = Double(observed)
        fast += (x - fast) * fastGain
        slow += (x - slow) * slowGain
        let estimate = max(x, fast, slow)
        value = min(ceiling, Units.pages(Int64(estimate.rounded())))
    }

    mutating func reset() {
        fast = 0
        slow = 0
        value = 0
    }
}
