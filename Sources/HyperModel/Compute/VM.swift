/// The power state of a VM.
public enum PowerState: String, Sendable {
    case off, on, suspended, paused

    /// Powered-on and paused VMs hold their reservations and memory.
    var holdsResources: Bool { self == .on || self == .paused }
}

/// A virtual machine: its configuration, its guest, and what it does.
public final class VM {
    public let name: String
    // changed only between events, by `reconfigure` (Compute/Reconfigure.swift)
    @exclusivity(unchecked) public internal(set) var vcpus: Int
    /// Configured (provisioned) memory, in bytes.
    @exclusivity(unchecked) public internal(set) var memory: Int64
    /// Its place in `Datacenter.vms` (-1 for the host's own processes); next to the
    /// fields the sampler reads, so the alarms' pass finds it in cache.
    var index = -1
    public let guestOS: String
    public let tools: Bool
    // changed only between events (a setting edited while the VM runs); the model reads
    // them in its hot loops, which must not pay for exclusivity checks
    @exclusivity(unchecked) public internal(set) var cpuAllocation: CPUAllocation
    @exclusivity(unchecked) public internal(set) var memAllocation: MemoryAllocation
    public internal(set) unowned(unsafe) var host: Host
    // read for every VM at every sample (and by the engines); written only by power
    // operations between events: no exclusivity checks
    @exclusivity(unchecked) public internal(set) var state: PowerState = .off
    public let guest: GuestMemory
    /// The guest's kernel once it runs containers (Containers/KernelAccess.swift).
    var guestKernel: LinuxKernel? {
        get { rare?.guestKernel }
        set { if newValue != nil || rare != nil { rareState.guestKernel = newValue } }
    }
    @exclusivity(unchecked) public private(set) var workloads: [Workload] = [] {
        didSet { hasDiskWorkloads = workloads.contains { $0 is DiskWorkload } }
    }
    /// A disk workload is among `workloads`: the sampler looks for disks being written
    /// only then, instead of visiting every workload of every VM at every sample.
    private(set) var hasDiskWorkloads = false
    public let metrics: VMMetrics
    let random: SimRandom
    @exclusivity(unchecked) var cpuSlots: [Int32] = []
    /// Per-vCPU time from earlier power cycles.
    @exclusivity(unchecked) var cpuHistory: [CPUCounters]
    private var workloadCount = 0
    /// Virtual disks, in creation order.
    public internal(set) var disks: [VirtualDisk] = []
    /// The datastore holding the VM's configuration files (its first disk's, or the host's).
    public internal(set) var home: Datastore!
    /// The question a paused VM asks (out of space), until it is answered.
    public internal(set) var question: String? {
        get { rare?.question }
        set { if newValue != nil || rare != nil { rareState.question = newValue } }
    }
    /// Snapshots, oldest first.
    public internal(set) var snapshots: [Snapshot] {
        get { rare?.snapshots ?? [] }
        set { if !newValue.isEmpty || rare != nil { rareState.snapshots = newValue } }
    }
    /// The configuration it was created with (clones copy it).
    public let spec: VMSpec
    /// The host running its FT secondary, when Fault Tolerance is on.
    public internal(set) var ftSecondary: Host? {
        get { rare?.ftSecondary }
        set { if newValue != nil || rare != nil { rareState.ftSecondary = newValue } }
    }
    public internal(set) var ftLegacy: Bool {
        get { rare?.ftLegacy ?? false }
        set { if newValue || rare != nil { rareState.ftLegacy = newValue } }
    }
    /// When it went down with a failed host (for HA's restart and its downtime).
    public internal(set) var lostAt: SimTime? {
        get { rare?.lostAt }
        set { if newValue != nil || rare != nil { rareState.lostAt = newValue } }
    }
    /// The last live migration, if any.
    public internal(set) var migration: Migration? {
        get { rare?.migration }
        set { if newValue != nil || rare != nil { rareState.migration = newValue } }
    }
    /// A template cannot be powered on; clone it.
    public internal(set) var isTemplate = false
    /// Its resource pool: the root of its cluster or standalone host unless placed in
    /// one (nil only for a host's own processes).
    public internal(set) unowned(unsafe) var pool: ResourcePool?
    /// What its pool tree's last solve entitles it to (MHz, bytes): see `Entitlements`.
    public internal(set) var cpuEntitlementMHz = 0.0
    public internal(set) var memEntitlement: Int64 = 0
    /// How the host delivers the tree (`PoolDelivery`): shares and a limit the scheduler
    /// uses instead of the VM's own; nil = its own settings.
    var poolShares: Int64?
    var poolLimitMHz: Double?
    /// The memory shares the host's allocation targets use in a pool tree.
    var poolMemShares: Double?
    /// When VMware Tools run (the guest has booted) after the last power-on or resume
    /// (Pools/VAppGuest.swift); meaningful while it is on.
    var toolsReadyAt = SimTime.zero
    /// The CPU features the guest saw at power-on, kept until it powers off: its cluster's
    /// EVC baseline, else its host's generation (DRS/EVC.swift). Nil while never powered on.
    public internal(set) var cpuFeatures: CPUGeneration?
    /// What most VMs never have (a question, snapshots, FT, a migration, a guest kernel),
    /// in an object made when one is first set: an idle VM's state stays small (issue 17:
    /// under 4 KB per VM without series).
    private var rare: VMRareState?
    private var rareState: VMRareState {
        if let r = rare { return r }
        let r = VMRareState()
        rare = r
        return r
    }

    init(host: Host, spec: VMSpec) {
        self.host = host
        self.name = spec.name
        self.vcpus = spec.vcpus
        self.memory = Units.pages(spec.memory)
        self.guestOS = spec.guest
        self.tools = spec.tools
        self.cpuAllocation = spec.cpu
        self.memAllocation = spec.mem
        self.spec = spec
        self.guest = GuestMemory(configured: Swift.max(spec.memory, spec.mem.max ?? 0), image: GuestImage(name: spec.guest),
                                 mem: spec.mem, tools: spec.tools)
        self.random = host.datacenter.random.split("vm/\(spec.name)")
        self.cpuHistory = Array(repeating: CPUCounters(), count: spec.vcpus)
        self.metrics = VMMetrics(vcpus: spec.vcpus, statistics: host.datacenter.statistics)
        metrics.series.owner = "VM(\(spec.name))"
    }

    /// Stands for the host's own processes (`Host.run`), not a VM of the lab.
    var isHostProcesses = false

    public var description: String { isHostProcesses ? "\(host.description) processes" : "VM(\(name))" }
    var datacenter: Datacenter { host.datacenter }
    var now: SimTime { host.datacenter.now }

    public var cpuShares: Int64 { cpuAllocation.shares.cpuShares(vcpus: vcpus) }
    public var memShares: Int64 { memAllocation.shares.memoryShares(configured: memory) }
    /// Overhead memory the host reserves for this VM while it is powered on.
    /// A microVM's VMM declares its own (`VMSpec.overhead`).
    public var overheadReservation: Int64 { spec.overhead ?? Overhead.bytes(configured: memory, vcpus: vcpus) }

    // MARK: power

    /// Powers the VM on if admission control allows it; otherwise nothing changes and the
    /// error says which resource is short. In a cluster with DRS on, DRS places it first
    /// (`DRS.placeAtPowerOn`: in manual mode it only recommends a host).
    public func powerOn() throws {
        if state == .off, !isTemplate, let drs = host.clusterMembership?.drsIfEnabled, try drs.placeAtPowerOn(self) { return }
        try powerOnHere()
    }

    /// Powers the VM on on its registered host.
    func powerOnHere() throws {
        guard state == .off else {
            throw ModelError("power_on: \(description) is \(state.rawValue)\(state == .suspended ? " (use resume)" : "")")
        }
        guard !isTemplate else { throw ModelError("power_on: \(description) is a template; deploy a VM from it with clone") }
        if let d = disks.first(where: { !$0.ready }) {
            let bw = d.datastore.writeBandwidth
            let what = d.preparing == "copied" ? "full clone" : "eager-zeroed thick"
            throw ModelError("power_on: \(description) cannot power on while \(d.name)-flat.vmdk is being \(d.preparing) (\(what): \(Units.formatBytes(d.preparationTotal - d.zeroingLeft)) of \(Units.formatBytes(d.preparationTotal)) done, about \(Units.formatSeconds(Double(d.zeroingLeft) / bw)) left at \(Units.formatBytes(Int64(bw)))/s)")
        }
        try start(operation: "power_on", verb: "power on",
                  logged: "powered on on \(host.name): \(Admission.summary(of: self, on: host))")
    }

    /// An HA failover restart on its (new) host: HA's admission control keeps room for
    /// it and does not apply to it; DRS does not place it.
    func powerOnForHA() throws {
        try start(operation: "power_on", verb: "power on", logged: "restarted by HA on \(host.name): \(Admission.summary(of: self, on: host))",
                  haAdmission: false)
    }

    /// Admits the VM (or refuses with nothing changed) and starts it running.
    private func start(operation: String, verb: String, logged: @autoclosure () -> String, haAdmission: Bool = true) throws {
        try cpuAllocation.check(for: host.scheduler.kind, vm: self)
        if let refusal = Admission.refusal(for: self, on: host, haAdmission: haAdmission) {
            datacenter.log.record(now, "admission", description, "\(verb) refused: \(refusal)")
            throw ModelError("\(operation): \(description) cannot \(verb): \(refusal)")
        }
        let message = logged()
        let resuming = state == .suspended
        state = .on
        bootStarted(resuming: resuming)
        // the tree is solved again before time next advances, so the VM and its
        // neighbours are delivered their share of it from the start
        pool?.root.solver.markPending()
        host.cpu.attach(self, at: now)
        host.memory.attach(self, resuming: resuming)
        host.memory.createSwapFile(for: self)
        datacenter.log.record(now, "vm.power", description, message)
    }

    /// Powers the VM off: its workloads stop and the guest's memory is discarded.
    public func powerOff() throws {
        guard state != .off else { throw ModelError("power_off: \(description) is already off") }
        guestKernel?.guestGoingDown(code: 143, reason: "\(name) powered off")
        question = nil
        stopWorkloads()
        if state == .on { stopRunning() }
        host.memory.deleteSwapFile(of: self)
        host.memory.detach(self, keepGuest: false)
        state = .off
        datacenter.log.record(now, "vm.power", description, "powered off")
        host.vmLeft()
    }

    /// Suspends the VM: it stops running and its memory is written out, so the host frees
    /// it; the guest keeps its state for `resume`.
    public func suspend() throws {
        guard state == .on else { throw ModelError("suspend: \(description) is \(state.rawValue); only a powered-on VM can be suspended") }
        try refusePassthroughDevices("suspend")
        stopRunning()
        host.memory.deleteSwapFile(of: self)
        host.memory.detach(self, keepGuest: true)
        state = .suspended
        datacenter.log.record(now, "vm.power", description, "suspended: \(Units.formatBytes(guest.touched)) of guest memory saved, host memory released")
        host.vmLeft()
    }

    public func resume() throws {
        guard state == .suspended else { throw ModelError("resume: \(description) is \(state.rawValue); only a suspended VM can be resumed") }
        if let why = cpuRefusal(on: host) { throw ModelError("resume: \(description) cannot resume on \(host.name): \(why)") }
        try start(operation: "resume", verb: "resume", logged: "resumed: \(Units.formatBytes(guest.touched)) of guest memory restored")
    }

    func releaseCPU() {
        let counters = host.cpu.detach(self, at: now)
        for (i, c) in counters.enumerated() { cpuHistory[i] = cpuHistory[i] + c }
    }

    /// Leaves the pCPUs for good (not a migration's switch-over): no CPU use from now on.
    func stopRunning() {
        releaseCPU()
        metrics.stoppedRunning()
    }

    // MARK: workloads

    /// Starts `workload` in the guest. The VM must be powered on.
    public func run(_ workload: Workload) throws {
        guard state == .on else { throw ModelError("run: \(description) is \(state.rawValue); power it on first") }
        if let net = workload as? NetworkWorkload {
            guard net.vm == nil else { throw ModelError("run: this network workload already runs on \(net.vm!.description); create a new one") }
            try net.start(on: self)
        }
        if let disk = workload as? DiskWorkload, disk.disk >= disks.count {
            throw ModelError("run: \(description) has \(disks.count) disk\(disks.count == 1 ? "" : "s"); \(workload.summary) writes to disk \(disk.disk + 1)")
        }
        guard workload.vm == nil else {
            throw ModelError("run: this \(workload.kind) workload already runs on \(workload.vm!.description); create a new one")
        }
        if let mem = workload as? MemoryWorkload, mem.size > guest.available + GuestMemory.bytes(guest.pageablePages) {
            throw ModelError(
                "run: \(workload.summary) needs \(Units.formatBytes(mem.size)) but the guest of \(description) has only \(Units.formatBytes(guest.available)) available")
        }
        workload.vm = self
        workload.started = now
        workload.index = workloadCount
        workloadCount += 1
        workloads.append(workload)
        if let batch = workload as? BatchWorkload { batch.start(random: random.split("batch/\(batch.index)")) }
        if workload is CPUWorkload || workload is BatchWorkload { host.cpu.refreshWorkloads(of: self, at: now) }
        if let memory = workload as? MemoryWorkload { host.memory.start(memory) }
        if let disk = workload as? DiskWorkload {
            try disk.prepare(on: self)
            datacenter.storageClock.start(disk)
            if let cpu = disk.cpu { try run(cpu) }
        }
        if let net = workload as? NetworkWorkload, let cpu = net.cpu {
            datacenter.log.record(now, "network", description,
                                  "\(net.adapter!.rawValue) (\(net.adapter!.family)): \(Units.trim(net.achieved / 1e9)) Gb/s of \(Units.trim(net.rate / 1e9)) asked, \(Units.formatMHz(net.cpuMHz)) of CPU, +\(Units.trim(net.latencyMicros)) µs per I/O")
            try run(cpu)
        }
        datacenter.log.record(now, "workload", description, "started \(workload.summary)")
    }

    /// Stops every workload; memory they allocated goes back to the guest's free list.
    public func stop() {
        guard !workloads.isEmpty else { return }
        stopWorkloads()
    }

    /// Stops one CPU workload the model started for I/O (a disk write that finished).
    func stopHelper(_ w: CPUWorkload) {
        guard w.isRunning else { return }
        w.stopped = now
        workloads.removeAll { $0 === w }
        if state == .on { host.cpu.refreshWorkloads(of: self, at: now) }
    }

    /// Stops one workload of this VM (`w:stop()`); the others go on.
    public func stop(_ w: Workload) throws {
        guard w.vm === self else { throw ModelError("stop: \(w.summary) does not run on \(description)") }
        guard w.isRunning else { throw ModelError("stop: \(w.summary) on \(description) has already stopped") }
        stopWorkloads(only: w)
    }

    private func stopWorkloads(only one: Workload? = nil) {
        let running = workloads.filter { $0.isRunning && (one == nil || $0 === one) }
        guard !running.isEmpty else {
            if one == nil { workloads.removeAll() }
            return
        }
        for w in running {
            w.stopped = now
            if let m = w as? MemoryWorkload, state == .on { guest.free(min(m.allocated, guest.used) / Units.pageSize) }
        }
        if let one { workloads.removeAll { $0 === one } } else { workloads.removeAll() }
        if state == .on {
            host.cpu.refreshWorkloads(of: self, at: now)
            host.memory.workloadsChanged(self)
        }
        datacenter.log.record(now, "workload", description, "stopped \(running.map(\.summary).joined(separator: ", "))")
    }

    // MARK: guest actions

    /// The guest allocates and writes `bytes` (a fraction `zero` left all zeros). Pages
    /// the host cannot back at once wait, and the VM with them, until memory is freed.
    public func guestTouch(_ bytes: Int64, zero: Double = 0, mix: Compressibility = .typical) throws {
        guard state == .on else { throw ModelError("guest:touch: \(description) is \(state.rawValue); the guest runs only while the VM is on") }
        guard bytes >= 0 else { throw ModelError("guest:touch: size must not be negative") }
        let room = guest.available + GuestMemory.bytes(guest.pageablePages)
        guard bytes <= room else {
            throw ModelError(
                "guest:touch: \(Units.formatBytes(bytes)) is more than the guest of \(description) has left (\(Units.formatBytes(guest.available)) of \(Units.formatBytes(guest.configured)) not in use\(guest.pageablePages > 0 ? ", \(Units.formatBytes(GuestMemory.bytes(guest.pageablePages))) more it could page out" : ""))")
        }
        host.memory.guestTouch(self, bytes, zero: zero, mix: mix)
    }

    /// The guest frees `bytes` it had allocated: its free list grows; the host cannot tell.
    public func guestFree(_ bytes: Int64) throws {
        guard state == .on else { throw ModelError("guest:free: \(description) is \(state.rawValue)") }
        guard bytes >= 0 else { throw ModelError("guest:free: size must not be negative") }
        guard Units.pages(bytes) <= guest.used else {
            throw ModelError(
                "guest:free: \(Units.formatBytes(bytes)) is more than the guest of \(description) has in use (\(Units.formatBytes(guest.used)))")
        }
        guest.free(Units.pages(bytes) / Units.pageSize)
        datacenter.log.record(now, "guest.memory", description,
                              "guest freed \(Units.formatBytes(bytes)): free list \(Units.formatBytes(guest.freeList)), host still backs it (consumed unchanged)")
    }

    /// The guest writes over `bytes` of its in-use pages of one content: `image` (an OS
    /// update), `zero` (zeroed pages get data) or data. Shared pages are copied first.
    public func guestWrite(_ bytes: Int64, over kind: PageKind) throws {
        guard state == .on else { throw ModelError("guest:write: \(description) is \(state.rawValue)") }
        let have = guest.pages.count(kind)
        guard bytes >= 0, Units.pages(bytes) / Units.pageSize <= have else {
            throw ModelError("guest:write: \(Units.formatBytes(bytes)) is more than the \(Units.formatBytes(GuestMemory.bytes(have))) of \(kind) pages the guest of \(description) has")
        }
        host.memory.guestWrite(self, bytes, over: kind)
    }

    /// Sets the memory the guest should keep, as Xen's `xl mem-set` and libvirt's
    /// `virsh setmem`: the balloon inflates or deflates to configured − target.
    public func setMemoryTarget(_ bytes: Int64) throws {
        let who = "mem_set: \(description)"
        let settings = host.memory.settings
        guard settings.profile != .esxi else {
            throw ModelError("\(who): ESXi sets balloon targets itself from memory pressure; use a balloon policy (host.reclaim.balloon.policy) to choose them")
        }
        guard tools else { throw ModelError("\(who): the guest has no balloon driver (tools = false)") }
        guard bytes > 0, bytes <= guest.configured else {
            throw ModelError("\(who): target \(Units.formatBytes(bytes)) is not allowed (use more than 0 up to its maxmem \(Units.formatBytes(guest.configured)))")
        }
        let balloon = guest.configured - Units.pages(bytes)
        let cap = host.memory.balloonCap(self) * Units.pageSize
        guard balloon <= cap || !settings.balloon.enabled else {
            throw ModelError("\(who): target \(Units.formatBytes(bytes)) needs a \(Units.formatBytes(balloon)) balloon, above its cap \(Units.formatBytes(cap)) (max_percent × configured, configured − reservation)")
        }
        guest.balloonTargetPages = balloon / Units.pageSize
        datacenter.log.record(now, "memory.balloon", description, "memory target set to \(Units.formatBytes(bytes)): balloon target \(Units.formatBytes(balloon))")
        host.memory.wakeEverySecond()
    }

    // MARK: CPU time

    /// CPU time of each vCPU since creation, up to the host's last accounted quantum.
    /// CPU time of vCPU `i` since creation, up to the host's last accounted time.
    func vcpuCounters(_ i: Int) -> CPUCounters {
        cpuSlots.isEmpty ? cpuHistory[i] : cpuHistory[i] + host.cpu.counters(ofSlot: cpuSlots[i])
    }

    public var vcpuCounters: [CPUCounters] {
        guard !cpuSlots.isEmpty else { return cpuHistory }
        return cpuSlots.enumerated().map { i, s in cpuHistory[i] + host.cpu.counters(ofSlot: s) }
    }

    public var cpuCounters: CPUCounters { vcpuCounters.reduce(CPUCounters(), +) }
}

/// The seldom-set part of a VM's state (VM.rare).
final class VMRareState {
    var guestKernel: LinuxKernel?
    var question: String?
    var snapshots: [Snapshot] = []
    var ftSecondary: Host?
    var ftLegacy = false
    var lostAt: SimTime?
    var migration: Migration?
}
