/// An application that allocates `size` at `rate` and keeps `active` of it in use.
/// Stopping it frees its memory inside the guest (the free list grows); the host
/// cannot tell, so consumed memory stays (the lecture's browser example).
public final class MemoryWorkload: Workload {
    public let size: Int64
    public let active: Int64
    /// Bytes per second the application allocates and writes.
    public let rate: Double
    /// Bytes allocated so far.
    public internal(set) var allocated: Int64 = 0

    public init(size: Int64, active: Int64? = nil, rate: Double = Double(Units.GiB)) throws {
        guard size > 0 else { throw ModelError("workload.memory: size \(Units.formatBytes(size)) must be more than 0") }
        let active = active ?? size
        guard active >= 0, active <= size else {
            throw ModelError(
                "workload.memory: active \(Units.formatBytes(active)) is not allowed (use 0 to size \(Units.formatBytes(size)))")
        }
        guard rate > 0, rate.isFinite else { throw ModelError("workload.memory: rate must be more than 0 bytes/s") }
        self.size = Units.pages(size)
        self.active = Units.pages(active)
        self.rate = rate
        super.init(kind: "memory")
    }

    public override var summary: String {
        "memory{size=\(Units.formatBytes(size)), active=\(Units.formatBytes(active))}"
    }

    public var isAllocating: Bool { isRunning && allocated < size }

    /// The working set this application keeps active now.
    var workingSet: Int64 { min(active, allocated) }
}
