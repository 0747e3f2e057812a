/// What the guest OS has done with its memory, by counts of bytes (whole 4 KiB pages),
/// never per page, so a 64 GiB VM costs a few words.
///
/// The host backs a guest page when the guest first writes it (lazy allocation). When the
/// guest frees memory the page goes to the guest's free list: the host cannot see that
/// list, so the page stays backed and counted as consumed (model-facts §2.1).
public final class GuestMemory {
    public let configured: Int64
    /// Guest-physical bytes ever written since boot: backed by machine memory.
    public private(set) var touched: Int64 = 0
    /// Bytes the guest OS and its applications hold.
    public private(set) var used: Int64 = 0
    /// Bytes the workloads keep actively using.
    var workingSet: Int64 = 0
    /// Bytes touched since the last active-memory sample.
    var recentlyTouched: Int64 = 0
    public let estimator = ActiveEstimator()

    init(configured: Int64) { self.configured = configured }

    /// Freed by the guest but still backed: the guest's free list.
    public var freeList: Int64 { touched - used }
    /// Never written since boot.
    public var untouched: Int64 { configured - touched }

    /// Allocates and writes `bytes`: free-list pages are reused first, then new pages are
    /// touched (and backed by the host). Returns the bytes newly backed.
    @discardableResult
    func touch(_ bytes: Int64) -> Int64 {
        let n = Units.pages(bytes)
        let reused = min(n, freeList)
        let fresh = n - reused
        touched += fresh
        used += n
        recentlyTouched += n
        return fresh
    }

    func free(_ bytes: Int64) { used -= Units.pages(bytes) }

    /// What can still be allocated before the guest runs out of memory.
    public var available: Int64 { configured - used }

    /// Rebooting or powering off discards the guest's memory.
    func reset() {
        touched = 0
        used = 0
        workingSet = 0
        recentlyTouched = 0
        estimator.reset()
    }

    /// Takes one active-memory sample (every `Mem.SamplePeriod`).
    func sampleActive() {
        let observed = min(used, workingSet + recentlyTouched)
        recentlyTouched = 0
        estimator.sample(observed, ceiling: touched)
    }
}

/// The VMkernel's estimate of a VM's active memory: sampled each period and smoothed so
/// that it rises fast and falls slowly — the larger of the current sample, a fast and a
/// slow moving average (Waldspurger OSDI'02 §5.3; model-facts §2.3). The sampling itself
/// is modelled by its expected value (the fraction of touched pages), without sampling
/// noise, so labs get stable numbers.
public final class ActiveEstimator {
    /// Weight of a new sample in the fast and slow averages.
    public var fastGain = 0.5
    public var slowGain = 0.25
    public private(set) var fast: Double = 0
    public private(set) var slow: Double = 0
    public private(set) var value: Int64 = 0

    func sample(_ observed: Int64, ceiling: Int64) {
        let x = Double(observed)
        fast += (x - fast) * fastGain
        slow += (x - slow) * slowGain
        let estimate = max(x, fast, slow)
        value = min(ceiling, Units.pages(Int64(estimate.rounded())))
    }

    func reset() {
        fast = 0
        slow = 0
        value = 0
    }
}
