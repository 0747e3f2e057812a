/// An application that allocates `size` at `rate` and keeps `active` of it in use.
/// Stopping it frees its memory inside the guest (the free list grows); the host
/// cannot tell, so consumed memory stays (the lecture's browser example).
public final class MemoryWorkload: Workload {
    public let size: Int64
    public let active: Int64
    /// Bytes per second the application allocates and writes.
    public let rate: Double
    /// Fraction of its pages left all zeros (shareable within the VM).
    public let zero: Double
    /// How its data compresses.
    public let mix: Compressibility
    /// Bytes per second it keeps rewriting in its active set (what live migration resends).
    public let dirty: Double
    /// Bytes allocated so far.
    public internal(set) var allocated: Int64 = 0
    /// It wanted more than the host could give last time (logged once per stall).
    var stalled = false
    /// Until when its demand has been counted, and the bytes owed (less than a page, or
    /// nothing after a stall).
    var allocatedUntil: SimTime?
    var owed = 0.0

    public init(size: Int64, active: Int64? = nil, rate: Double = Double(Units.GiB), zero: Double = 0,
                mix: Compressibility = .typical, dirty: Double = 0) throws {
        guard dirty >= 0, dirty.isFinite else { throw ModelError("workload.memory: dirty must be 0 bytes/s or more") }
        self.dirty = dirty
        guard size > 0 else { throw ModelError("workload.memory: size \(Units.formatBytes(size)) must be more than 0") }
        let active = active ?? size
        guard active >= 0, active <= size else {
            throw ModelError(
                "workload.memory: active \(Units.formatBytes(active)) is not allowed (use 0 to size \(Units.formatBytes(size)))")
        }
        guard rate > 0, rate.isFinite else { throw ModelError("workload.memory: rate must be more than 0 bytes/s") }
        guard zero >= 0, zero <= 1 else { throw ModelError("workload.memory: zero \(zero) is not allowed (use a fraction from 0 to 1)") }
        guard mix.quarter >= 0, mix.half >= 0, mix.quarter + mix.half <= 1 else {
            throw ModelError("workload.memory: compressible fractions \(mix.quarter) + \(mix.half) are not allowed (each 0 to 1, together at most 1)")
        }
        self.size = Units.pages(size)
        self.active = Units.pages(active)
        self.rate = rate
        self.zero = zero
        self.mix = mix
        super.init(kind: "memory")
    }

    public override var summary: String {
        "memory{size=\(Units.formatBytes(size)), active=\(Units.formatBytes(active))}"
    }

    public var isAllocating: Bool { isRunning && allocated < size }

    /// The working set this application keeps active now.
    var workingSet: Int64 { min(active, allocated) }
}
