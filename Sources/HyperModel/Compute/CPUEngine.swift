/// What a host's CPU model does for the rest of the model. Two engines implement it:
/// `QuantumCPU` steps time in quanta with a scheduling policy (esx, strict, relaxed,
/// credit, cfs, round-robin, a Lua policy); `FluidCPU` shares CPU fluidly and advances by
/// events only (fair).
protocol CPUEngine: AnyObject {
    var attachedVCPUs: Int { get }
    /// Run time of all vCPUs since the start (µs), for host %used.
    var totalRun: Int64 { get }
    var trace: ScheduleTrace? { get }
    func attach(_ vm: VM, at now: SimTime)
    /// Detaches a VM's vCPUs; returns their counters up to `now`.
    func detach(_ vm: VM, at now: SimTime) -> [CPUCounters]
    /// Called after a VM's workloads changed.
    func refreshWorkloads(of vm: VM, at now: SimTime)
    /// Called after a running VM's CPU settings changed: they apply from `now`, and what
    /// its vCPUs ran and waited so far is kept.
    func reconfigure(_ vm: VM, at now: SimTime)
    /// Called after the scheduling settings of several running VMs changed at once
    /// (resource-pool delivery): every VM's apply from `now`.
    func reapplySettings(at now: SimTime)
    /// Brings accounting up to `t` (µs).
    func advance(to t: Int64)
    /// Counters of a vCPU slot up to the last accounted time.
    func counters(ofSlot s: Int32) -> CPUCounters
    /// Cache hints for the sampler's pass (Kernel/Prefetch.swift): the engine's object,
    /// then the state its next settlement reads. Nothing by default.
    func prefetchObject()
    func prefetchState()
}

extension Host {
    /// Builds the engine for the scheduler currently configured.
    func makeCPUEngine() -> CPUEngine {
        scheduler.kind == .fair ? FluidCPU(host: self) : QuantumCPU(host: self, config: scheduler)
    }
}

/// Which vCPU ran on which pCPU when: for Gantt charts of small labs. Capped, so a long
/// run cannot exhaust memory; the count of what was dropped is kept.
public final class ScheduleTrace {
    public struct Segment: Sendable, Equatable {
        public var pcpu: Int
        public var vm: String
        public var vcpu: Int
        public var start: SimTime
        public var end: SimTime
    }

    public private(set) var segments: [Segment] = []
    public private(set) var dropped = 0
    public var limit = 200_000
    private var lastOnPCPU: [Int: Int] = [:]

    func record(pcpu: Int, vm: String, vcpu: Int, start: Int64, end: Int64) {
        guard end > start else { return }
        if let i = lastOnPCPU[pcpu], segments[i].vm == vm, segments[i].vcpu == vcpu, segments[i].end.micros == start {
            segments[i].end = SimTime(micros: end)  // the same vCPU kept the pCPU
            return
        }
        if segments.count >= limit {
            dropped += 1
            return
        }
        lastOnPCPU[pcpu] = segments.count
        segments.append(Segment(pcpu: pcpu, vm: vm, vcpu: vcpu, start: SimTime(micros: start), end: SimTime(micros: end)))
    }
}

extension CPUEngine {
    func prefetchObject() { Prefetch.object(self, lines: 4) }
    func prefetchState() {}
}
