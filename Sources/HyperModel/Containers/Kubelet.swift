/// The kubelet's node-pressure eviction (datacenter-facts §4.4; kubelet DefaultEvictionHard,
/// the "Node-pressure Eviction" page). Every `housekeeping` (10 s, the kubelet's
/// eviction monitoring period) it compares memory.available — the kernel's memory less the
/// containers' resident memory and overhead — with `evictionHard` (100 MiB). Below it, it
/// evicts one pod per pass: first pods using more memory than they request, BestEffort
/// before Burstable before Guaranteed and, within a class, the one furthest above its
/// request; then, if none is above its request, by class and usage. An evicted pod's
/// containers are killed (exit code 137) and it reports "Evicted".
extension LinuxKernel {
    static let housekeeping = SimTime.seconds(Int64(10))

    func startKubelet() {
        guard !kubeletStarted else { return }
        kubeletStarted = true
        datacenter.sim.schedule(process, at: datacenter.now + LinuxKernel.housekeeping, token: 2)
    }

    /// memory.available as the kubelet computes it for this node.
    public var memoryAvailable: Int64 { memoryCapacity - residentUsed }

    public func setEvictionHard(_ bytes: Int64) throws {
        guard bytes >= 0, bytes < memoryCapacity else {
            throw ModelError("\(description).eviction_hard \(Units.formatBytes(bytes)) is not allowed (use 0 up to the node's memory)")
        }
        evictionHard = bytes
    }

    func kubeletTick() {
        datacenter.sim.schedule(process, at: datacenter.now + LinuxKernel.housekeeping, token: 2)
        guard panickedAt == nil else { return }
        let available = memoryAvailable
        guard available < evictionHard else { return }
        let live = pods.filter { $0.evicted == nil && $0.containers.contains { $0.state.isLive } }
        func above(_ p: Pod) -> Int64 { p.memoryUsage - p.memoryRequest }
        let over = live.filter { above($0) > 0 }
        let pool = over.isEmpty ? live : over
        guard let victim = pool.min(by: { a, b in
            if a.qos.evictionRank != b.qos.evictionRank { return a.qos.evictionRank < b.qos.evictionRank }
            let ea = over.isEmpty ? a.memoryUsage : above(a), eb = over.isEmpty ? b.memoryUsage : above(b)
            return ea != eb ? ea > eb : a.name < b.name
        }) else { return }
        let why = "node memory.available \(Units.formatBytes(available)) < evictionHard \(Units.formatBytes(evictionHard)); \(victim.qos.rawValue), using \(Units.formatBytes(victim.memoryUsage)) of a \(Units.formatBytes(victim.memoryRequest)) request"
        victim.evicted = why
        datacenter.log.record(datacenter.now, "container.evict", victim.description, "evicted: \(why)")
        for k in victim.containers where k.state.isLive { end(k, state: .exited, code: 137, reason: "Evicted: \(why)") }
    }
}
