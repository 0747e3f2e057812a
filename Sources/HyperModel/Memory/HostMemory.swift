/// The machine memory of a host and everything that manages it: what backs the guests'
/// pages, the VMs' overhead, the free-memory state, page sharing, ballooning,
/// compression and swapping (model-facts §2).
///
/// A process that wakes every second while anything moves (allocations, balloons,
/// swapping, faults, scanning), more rarely while only page sharing scans, and at each
/// active-memory sample (`Mem.SamplePeriod`, 60 s) otherwise. Everything is computed
/// from per-VM page counts, so its cost does not grow with the memory configured.
public final class HostMemory {
    unowned(unsafe) let host: Host
    public let capacity: Int64
    public let settings: ReclaimSettings
    let sharing = PageSharing()
    /// Σ (reservation + overhead) of VMs holding resources.
    public internal(set) var reserved: Int64 = 0
    /// Σ overhead of VMs holding resources.
    var overheadBytes: Int64 = 0
    /// Machine pages holding shared contents.
    @exclusivity(unchecked) public private(set) var sharedFrames: Int64 = 0
    /// Powered-on (or paused) VMs, in creation order.
    @exclusivity(unchecked) private(set) var resident: [VM] = []
    /// The list of resident VMs asked for without reading it (a retain would wait for
    /// it): the memory clock's first stage of hints.
    func prefetchResidentList() { Prefetch.arrayHead(&resident, lines: 2) }
    public var samplePeriod: SimTime { settings.samplePeriod }
    /// Σ of the resident VMs' page matrices by column, kept up to date by every change.
    let totals = HostPageTotals.allocate()
    /// The KVM host's swap device (ESXi swaps to each VM's datastore).
    let swapDevice: IOBudget
    /// The I/O budget of the datastore its VMs' swap files are on (`VM.swapDatastore`):
    /// the host's datastores are fixed, so it is looked up once.
    private(set) lazy var swapFileBudget: IOBudget = (host.datastores.first ?? host.localDatastore).io
    private var ticking = false
    /// When the memory clock should tick this host next.
    @exclusivity(unchecked) var due = SimTime(micros: .max)
    @exclusivity(unchecked) private var buffering = false
    @exclusivity(unchecked) private var pendingLog: [(SimTime, String, String, String)] = []
    @exclusivity(unchecked) private(set) var lastTick = SimTime.zero
    @exclusivity(unchecked) var lastBalance = SimTime(micros: Int64.min / 2)
    /// Host-wide counters.
    public internal(set) var largePagesBroken = false
    /// zswap refuses new pages once full, until it shrinks below the accept threshold.
    var zswapRefusing = false
    // scratch reused by every balance (no allocation while the model runs)
    @exclusivity(unchecked) private var accountedChanges: Int64 = -1
    @exclusivity(unchecked) var lastScan = SimTime.zero
    @exclusivity(unchecked) var demands: [MemoryTargets.Demand] = []
    @exclusivity(unchecked) var targets: [Int64] = []

    /// The clock, read on worker threads during ticks: held unretained, so reading the
    /// time takes no reference count on the one object every host shares (two threads
    /// counting references on one cache line take turns at it).
    private unowned(unsafe) let sim: Simulation

    init(host: Host, capacity: Int64, profile: Profile) {
        self.host = host
        self.sim = host.datacenter.sim
        self.capacity = capacity
        self.settings = ReclaimSettings(profile: profile)
        self.swapDevice = IOBudget(kind: .ssd)
    }

    var datacenter: Datacenter { host.datacenter }
    var now: SimTime { sim.now }

    // MARK: accounting

    public var state: MemoryState { settings.machine.state }
    public var minFree: Int64 { MinFree.bytes(managed: capacity, percent: settings.minFreePercent) }
    /// Free memory at which high, clear, soft and hard begin.
    public var edges: [Int64] { settings.machine.edges(minFree: minFree) }

    /// Machine memory in use: private pages, compression caches (or the zswap pool),
    /// shared frames and overhead.
    public var used: Int64 {
        let cache = settings.compression.mode == .zswap
            ? totals.count(.zipHalf) * 2048
            : totals.count(.zipQuarter) * 1024 + totals.count(.zipHalf) * 2048
        return (totals.count(.large) + totals.count(.small) + sharedFrames) * Units.pageSize + cache + overheadBytes
    }

    public var free: Int64 { capacity - used }
    public var consumed: Int64 { used }
    var freePages: Int64 { max(0, free / Units.pageSize) }
    public var unreserved: Int64 { capacity - reserved }

    /// Configured memory of powered-on VMs per byte of host memory.
    public var overcommit: Double {
        var configured: Int64 = 0
        host.vms.forEachUnretained { vm in if vm.state.holdsResources { configured += vm.memory } }
        return Double(configured) / Double(capacity)
    }

    /// Guest memory saved by sharing: pages mapped shared minus the frames holding them.
    public var sharedSaved: Int64 { (totals.count(.shared) - sharedFrames) * Units.pageSize }

    /// Bytes a VM's compressed pages take: its cache slots (ESX), or its part of the
    /// zswap pool, where same-filled pages cost nothing and zbud packs two per page.
    func cacheBytes(of vm: VM) -> Int64 { cacheBytes(of: vm.guest) }

    @inline(__always)
    func cacheBytes(of g: GuestMemory) -> Int64 {
        settings.compression.mode == .zswap ? g.pages.count(.zipHalf) * 2048 : g.cacheBytes
    }

    /// Machine memory charged to a VM: private pages, cache, its part of shared frames.
    func charged(_ vm: VM) -> Int64 { charged(vm.guest) }

    func charged(_ g: GuestMemory) -> Int64 {
        let cache = settings.compression.mode == .zswap ? g.pages.count(.zipHalf) * 2048 : g.cacheBytes
        return g.privatePages + (cache + Units.pageSize - 1) / Units.pageSize + Int64(g.sharedCharge.rounded())
    }

    /// Recomputes shared frames and each VM's share of them — only when shared or image
    /// pages changed since the last time.
    func account() {
        guard totals.sharingChanges != accountedChanges || sharing.regrouped else { return }
        accountedChanges = totals.sharingChanges
        sharedFrames = sharing.account(resident)
    }

    // MARK: VMs

    func attach(_ vm: VM, resuming: Bool) {
        resident.append(vm)
        vm.guest.pages.link(to: totals)
        vm.guest.running = true
        reserved += vm.memAllocation.reservation + vm.overheadReservation
        overheadBytes += vm.overheadReservation
        sharing.regroup(resident, settings: settings.sharing)
        startGuest(vm, resuming: resuming)
        account()
        updateState()
        ensureTicking()
        wakeEverySecond()
    }

    /// What the guest does at power-on: Xen populates the domain (minus its boot
    /// balloon); Windows zeroes all its memory.
    private func startGuest(_ vm: VM, resuming: Bool) {
        let g = vm.guest
        if resuming {
            g.restoreAllResident(large: settings.sharing.largePages)
            // its applications go on allocating where they stopped (a suspend or a
            // migration's switchover took them off this host's list)
            for w in vm.workloads.compactMap({ $0 as? MemoryWorkload }) where w.isAllocating && !g.allocating.contains(where: { $0 === w }) {
                g.allocating.append(w)
            }
            g.allocatingCount = g.allocating.count
            return
        }
        if let target = vm.xenTarget, target < g.configured {
            g.inflateBalloon((g.configured - target) / Units.pageSize, paging: 0)
            g.balloonTargetPages = g.balloonPages
        }
        if !settings.lazyAllocation { g.populateAll() }
        if g.image.zeroesMemoryAtBoot {
            var budget = freePages
            g.zeroAtBoot(g.untouchedPages, largePages: settings.sharing.largePages, budget: &budget)
        }
    }

    func detach(_ vm: VM, keepGuest: Bool) {
        guard vm.state.holdsResources else {
            if !keepGuest { vm.guest.reset() }
            return
        }
        resident.removeAll { $0 === vm }
        vm.guest.pages.link(to: nil)
        reserved -= vm.memAllocation.reservation + vm.overheadReservation
        overheadBytes -= vm.overheadReservation
        vm.guest.allocating.removeAll()
        vm.guest.allocatingCount = 0
        vm.guest.running = false
        if !keepGuest { vm.guest.reset() }
        sharing.regroup(resident, settings: settings.sharing)
        account()
        updateState()
    }

    // MARK: guest actions

    func guestTouch(_ vm: VM, _ bytes: Int64, zero: Double = 0, mix: Compressibility = .typical) {
        let n = Units.pages(bytes) / Units.pageSize
        var budget = allocationBudget(for: vm)
        let written = vm.guest.allocate(n, zero: zero, mix: mix, largePages: settings.sharing.largePages, budget: &budget)
        account()
        var note = ""
        if written < n {
            vm.guest.pendingPages += n - written
            note = "; \(Units.formatBytes((n - written) * Units.pageSize)) waits for free machine memory"
            ensureTicking()
            wakeEverySecond()
        }
        log("guest.memory", vm.description,
                              "guest touched \(Units.formatBytes(bytes)): consumed \(Units.formatBytes(vm.consumed))\(note)")
        updateState()
    }

    func guestWrite(_ vm: VM, _ bytes: Int64, over kind: PageKind) {
        var budget = freePages
        let n = vm.guest.write(Units.pages(bytes) / Units.pageSize, over: kind, budget: &budget)
        account()
        log("guest.memory", vm.description,
                              "guest wrote \(Units.formatBytes(n * Units.pageSize)) of \(kind) pages (copy-on-write for shared ones)")
        updateState()
        wakeEverySecond()
    }

    /// Machine pages a VM may take now: none while it is blocked in the low state.
    func allocationBudget(for vm: VM) -> Int64 { isBlocked(vm) ? 0 : freePages }

    /// In the low state VMs above their target may not allocate (model-facts §2.4).
    func isBlocked(_ vm: VM) -> Bool { isBlocked(vm.guest) }
    func isBlocked(_ g: GuestMemory) -> Bool { state == .low && settings.usesTargets && charged(g) > g.targetPages }

    func start(_ w: MemoryWorkload) {
        w.vm!.guest.allocating.append(w)
        w.vm!.guest.allocatingCount = w.vm!.guest.allocating.count
        workloadsChanged(w.vm!)
        wakeEverySecond()
    }

    func workloadsChanged(_ vm: VM) {
        vm.guest.workingSetPages = vm.workloads.compactMap { ($0 as? MemoryWorkload)?.workingSet }.reduce(0, +) / Units.pageSize
        vm.guest.syncWorkingSet()
        vm.guest.allocating.removeAll { !$0.isAllocating }
        vm.guest.allocatingCount = vm.guest.allocating.count
        wakeEverySecond()
    }

    // MARK: ticking

    /// Starts ticking (if it was not) at the next whole second.
    func ensureTicking() {
        guard !ticking else { return }
        ticking = true
        lastTick = now
        lastScan = now
        datacenter.memoryClock.wake(self, at: nextSecond())
    }

    /// A sleeping ticker is woken for the next second.
    func wakeEverySecond() {
        guard ticking else { return ensureTicking() }
        datacenter.memoryClock.wake(self, at: nextSecond())
    }

    /// A reclamation setting changed: targets are recomputed and reclaimers move at the
    /// next second.
    func settingsChanged() {
        lastBalance = SimTime(micros: Int64.min / 2)
        if !resident.isEmpty { wakeEverySecond() }
    }

    private func nextSecond() -> SimTime { SimTime(micros: (now.micros / 1_000_000 + 1) * 1_000_000) }

    /// Ticks once at `t` (called by the memory clock, maybe on a worker thread) and notes
    /// when to tick next.
    func runTick(at t: SimTime) {
        due = SimTime(micros: .max)
        buffering = true
        defer { buffering = false }
        let busy = tick(at: t, seconds: max(1, Double(t.micros - lastTick.micros) / 1e6))
        lastTick = t
        if t.micros % samplePeriod.micros == 0 {
            for vm in resident where vm.state == .on { vm.guest.sampleActive() }
        }
        let period = samplePeriod.micros
        let nextSample = SimTime(micros: (t.micros / period + 1) * period)
        var next: SimTime
        switch busy {
        case .moving: next = t + .seconds(Int64(1))
        case .scanning: next = min(t + .seconds(Int64(10)), nextSample)
        case .idle:
            guard resident.contains(where: { $0.state == .on }) else {
                ticking = false
                return
            }
            next = nextSample
        }
        due = min(due, next)
    }

    /// Hosts that share a datastore's swap budget, or call a balloon policy written in
    /// Lua, tick on the clock's thread, one after the other.
    var mustTickSerially: Bool {
        settings.balloon.policy != nil || host.datastores.contains { $0.hosts.count > 1 }
    }

    /// Records an event: during a tick into this host's buffer (the clock appends the
    /// buffers in host order), otherwise straight to the log.
    func log(_ kind: String, _ subject: String, _ message: String) {
        if buffering {
            pendingLog.append((now, kind, subject, message))
        } else {
            datacenter.log.record(now, kind, subject, message)
        }
    }

    func flushLog() {
        for e in pendingLog { datacenter.log.record(e.0, e.1, e.2, e.3) }
        pendingLog.removeAll(keepingCapacity: true)
    }

    enum Activity { case idle, scanning, moving }
}
