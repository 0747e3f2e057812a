/// A datastore's random I/O as desktops see it (datacenter-facts §5): a capacity in IOPS,
/// the demand of every desktop on it, and the latency that gives.
///
/// Model [M] (docs/vdi.md): reads and writes cost the same I/O; the datastore delivers
/// min(demand, capacity) and every desktop on it gets the same fraction f = delivered ÷
/// demand, so a boot or login phase needing `iops × duration` I/Os lasts duration ÷ f;
/// latency = base ÷ (1 − u) for a utilization u = demand ÷ capacity below 0.99 (an M/M/1
/// queue, as the datastores' write latency), and beyond that 100 × base × u ÷ 0.99 (the
/// queue grows with the excess: Little's law with each desktop's I/Os outstanding).
public struct DatastoreIO: Sendable {
    public var capacityIOPS: Double
    public internal(set) var demandIOPS = 0.0
    public internal(set) var deliveredIOPS = 0.0
    public internal(set) var latencyMs: Double
    /// ∫ f dt: seconds of full-speed I/O every desktop on it has had.
    var progress = 0.0
    var saturated = false

    init(_ ds: Datastore) {
        capacityIOPS = ds.kind.readIOPS
        latencyMs = ds.kind.baseLatencyMs
    }

    static func latency(base: Double, utilization u: Double) -> Double {
        u < 0.99 ? base / (1 - u) : 100 * base * u / 0.99
    }

    /// One step of `seconds` with `demand` IOPS asked.
    mutating func step(demand: Double, seconds: Double, base: Double) {
        demandIOPS = demand
        deliveredIOPS = min(demand, capacityIOPS)
        let f = demand > 0 ? deliveredIOPS / demand : 1
        progress += f * seconds
        latencyMs = DatastoreIO.latency(base: base, utilization: demand / capacityIOPS)
    }
}
