/// The machine memory of a host: what backs the guests' touched pages and the VMs'
/// overhead, and what is reserved for admission control.
///
/// Every second while memory workloads allocate it lets them; every `samplePeriod` it
/// samples the active memory of each VM (Mem.SamplePeriod = 60 s, model-facts §2.3).
/// When nothing allocates it sleeps until the next sample.
public final class HostMemory: SimProcess {
    unowned(unsafe) let host: Host
    public let capacity: Int64
    /// Machine memory backing guest pages and overhead.
    public private(set) var backed: Int64 = 0
    /// Σ (reservation + overhead) of VMs holding resources.
    public private(set) var reserved: Int64 = 0
    public var samplePeriod = SimTime.seconds(Int64(60))
    private var processID: Int32 = -1
    private var ticking = false
    private var generation: Int64 = 0
    private var allocating: [MemoryWorkload] = []

    init(host: Host, capacity: Int64) {
        self.host = host
        self.capacity = capacity
    }

    public var free: Int64 { capacity - backed }
    public var consumed: Int64 { backed }
    public var unreserved: Int64 { capacity - reserved }
    /// Configured memory of powered-on VMs per byte of host memory.
    public var overcommit: Double {
        Double(host.vms.filter { $0.state.holdsResources }.reduce(0) { $0 + $1.memory }) / Double(capacity)
    }

    // MARK: VMs

    func attach(_ vm: VM) {
        backed += vm.guest.touched + vm.overheadReservation
        reserved += vm.memAllocation.reservation + vm.overheadReservation
        ensureTicking()
    }

    func detach(_ vm: VM, keepGuest: Bool) {
        guard vm.state.holdsResources else {
            if !keepGuest { vm.guest.reset() }
            return
        }
        backed -= vm.guest.touched + vm.overheadReservation
        reserved -= vm.memAllocation.reservation + vm.overheadReservation
        allocating.removeAll { $0.vm === vm }
        if !keepGuest { vm.guest.reset() }
    }

    func guestTouch(_ vm: VM, _ bytes: Int64) throws {
        let fresh = max(0, Units.pages(bytes) - vm.guest.freeList)
        guard fresh <= free else {
            throw ModelError(
                "guest:touch: \(vm.description) needs \(Units.formatBytes(fresh)) of new machine memory but \(host.name) has only \(Units.formatBytes(free)) free")
        }
        backed += vm.guest.touch(bytes)
        host.datacenter.log.record(host.datacenter.now, "guest.memory", vm.description,
                                   "guest touched \(Units.formatBytes(bytes)): \(Units.formatBytes(fresh)) newly backed, consumed \(Units.formatBytes(vm.guest.touched))")
    }

    func start(_ w: MemoryWorkload) {
        allocating.append(w)
        workloadsChanged(w.vm!)
        wakeEverySecond()
    }

    /// A sleeping ticker (waiting for the next sample) is woken for the next second.
    private func wakeEverySecond() {
        guard ticking else { return ensureTicking() }
        let now = host.datacenter.now.micros
        let next = (now / 1_000_000 + 1) * 1_000_000
        generation += 1
        host.datacenter.sim.schedule(processID, at: SimTime(micros: next), token: generation)
    }

    func workloadsChanged(_ vm: VM) {
        vm.guest.workingSet = vm.workloads.compactMap { ($0 as? MemoryWorkload)?.workingSet }.reduce(0, +)
        allocating.removeAll { !$0.isAllocating }
    }

    // MARK: ticking

    private func ensureTicking() {
        guard !ticking else { return }
        if processID < 0 { processID = host.datacenter.sim.register(self) }
        ticking = true
        let now = host.datacenter.now.micros
        let next = (now / 1_000_000 + 1) * 1_000_000
        generation += 1
        host.datacenter.sim.schedule(processID, at: SimTime(micros: next), token: generation)
    }

    public func fire(token: Int64, sim: Simulation) {
        guard token == generation else { return }  // superseded by an earlier wake-up
        let now = sim.now
        for w in allocating { allocate(w, now: now) }
        allocating.removeAll { !$0.isAllocating }
        if now.micros % samplePeriod.micros == 0 {
            for vm in host.vms where vm.state == .on { vm.guest.sampleActive() }
        }
        if !allocating.isEmpty {
            sim.schedule(processID, at: now + .seconds(Int64(1)), token: generation)
        } else if host.vms.contains(where: { $0.state == .on }) {
            let period = samplePeriod.micros
            sim.schedule(processID, at: SimTime(micros: (now.micros / period + 1) * period), token: generation)
        } else {
            ticking = false
        }
    }

    private func allocate(_ w: MemoryWorkload, now: SimTime) {
        guard let vm = w.vm, vm.state == .on else { return }
        let target = min(w.size, Units.pages(Int64(w.rate * (now - w.started).seconds)))
        var delta = target - w.allocated
        guard delta > 0 else { return }
        delta = min(delta, vm.guest.available)
        let fresh = max(0, delta - vm.guest.freeList)
        if fresh > free {
            delta -= fresh - free
            host.datacenter.log.record(now, "memory.short", vm.description,
                                       "\(w.summary) stalls: \(host.name) has no free machine memory")
        }
        guard delta > 0 else { return }
        backed += vm.guest.touch(delta)
        w.allocated += delta
        vm.guest.workingSet = vm.workloads.compactMap { ($0 as? MemoryWorkload)?.workingSet }.reduce(0, +)
    }
}
