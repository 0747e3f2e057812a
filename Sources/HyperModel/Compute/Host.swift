/// A physical host: pCPUs at a clock speed, machine memory, mounted datastores, and the
/// VMs registered on it.
public final class Host {
    public let name: String
    public let cpus: Int
    public let mhz: Double
    public unowned(unsafe) let datacenter: Datacenter
    public let datastores: [Datastore]
    public let passthroughDevices: Int
    /// The host failed (`fail()`); its VMs stopped, nothing runs on it until `recover()`.
    public internal(set) var failed = false
    /// Maintenance mode (datacenter-facts §2.5; DRS/Maintenance.swift): none, entering
    /// (being evacuated, nothing may power on or migrate to it) or in (no VM runs on it).
    public internal(set) var maintenance = MaintenanceState.none
    /// On, or in DPM's standby (§2.6; DRS/DPMStandby.swift): entering it, in it, or booting out of it.
    public internal(set) var power = HostPower.on
    /// Its evacuation while it enters maintenance mode or standby (nil otherwise).
    var evacuation: Evacuation?
    /// Memory reserved on this host for FT secondaries of VMs running elsewhere.
    var ftSecondaries: [VM] = []
    public let hypervisor: HypervisorType
    /// Its CPU's generation and features (DRS/EVCCatalogue.swift): what EVC and vMotion's
    /// CPU compatibility check compare.
    public let cpuGeneration: CPUGeneration
    /// A Linux node's kernel settings and its kernel (Containers/KernelAccess.swift).
    let linuxSpec: LinuxSpec
    var linuxKernel: LinuxKernel?
    /// The host's own processes (`run` on the host; a type 2 host's operating system),
    /// which the VMs compete with: kept as a VM the lab does not see, so every engine
    /// schedules them with the code it schedules vCPUs with. Made on first use.
    var processes: VM?
    public internal(set) var vms: [VM] = []
    /// Its place in `Datacenter.hosts`.
    var index = -1
    public private(set) var scheduler: SchedulerConfig
    /// The CPU engine for the current scheduler; rebuilt when the scheduler changes.
    private(set) lazy var cpu: CPUEngine = makeCPUEngine()
    /// Run time of engines replaced by a scheduler change, so host %used stays continuous.
    private var retiredRun: Int64 = 0
    @exclusivity(unchecked) public private(set) var memory: HostMemory!
    /// Where swap files go when the host mounts no datastore: its local disk (1 TiB SSD).
    public var localDatastore: Datastore {
        if let d = localStore { return d }
        let d = Datastore(name: "\(name)-local", capacity: 1024 * Units.GiB, kind: .ssd)
        d.hosts = [self]
        localStore = d
        return d
    }
    private var localStore: Datastore?
    var localDatastoreIfUsed: Datastore? { localStore }
    private let memoryCapacity: Int64
    public let metrics: HostMetrics
    /// The cluster it joined, if any (set once by `Datacenter.addCluster`).
    public internal(set) unowned(unsafe) var clusterMembership: Cluster?
    /// The root resource pool of the host standing alone (unused once in a cluster,
    /// whose root takes its VMs and pools).
    public private(set) lazy var root = ResourcePool(rootOf: self)
    /// Pool delivery changed a running VM's scheduling settings since the engine last
    /// applied them.
    var poolSettingsDirty = false

    init(datacenter: Datacenter, spec: HostSpec, scheduler: SchedulerKind) {
        self.datacenter = datacenter
        self.name = spec.name
        self.cpus = spec.cpus
        self.mhz = spec.mhz
        self.datastores = spec.datastores
        self.passthroughDevices = spec.passthroughDevices
        self.hypervisor = spec.hypervisor
        self.cpuGeneration = spec.cpuGeneration
        self.linuxSpec = spec.linux
        self.scheduler = SchedulerConfig(kind: scheduler)
        if datacenter.traceSmallHosts && spec.cpus <= 16 { self.scheduler.trace = true }
        self.memoryCapacity = spec.memory
        self.metrics = HostMetrics(statistics: datacenter.statistics)
        metrics.series.owner = "Host(\(spec.name))"
        self.memory = HostMemory(host: self, capacity: spec.memory, profile: datacenter.profile)
    }

    public var description: String { "Host(\(name))" }
    /// Run time of all vCPUs on this host since the start (µs).
    var totalRun: Int64 { retiredRun + cpu.totalRun }
    /// Brings CPU accounting (batch progress, the schedule trace) up to the last whole
    /// step before now. Whole steps only: a read never splits a quantum, so observing
    /// the model cannot change what it does.
    public func settleCPU() {
        let now = datacenter.now.micros
        if scheduler.kind == .fair {
            cpu.advance(to: now)
            (cpu as? FluidCPU)?.syncBatchThreads()
        } else {
            cpu.advance(to: now - now % scheduler.quantum.micros)
        }
    }

    /// Which vCPU ran on which pCPU, when the scheduler's trace is on.
    public var scheduleTrace: ScheduleTrace? { cpu.trace }
    public var capacityMHz: Double { Double(cpus) * mhz }
    public var poweredOnVMs: [VM] { vms.filter { $0.state == .on } }
    /// vCPUs of powered-on VMs per pCPU.
    public var cpuOvercommit: Double { Double(cpu.attachedVCPUs - (processes?.vcpus ?? 0)) / Double(cpus) }
    public var reservedMHz: Double { vms.filter { $0.state.holdsResources }.reduce(0) { $0 + $1.cpuAllocation.reservationMHz } }
    public var unreservedMHz: Double { capacityMHz - reservedMHz }

    /// Creates a VM on this host, powered off. Every option is checked first.
    public func createVM(_ spec: VMSpec) throws -> VM {
        try spec.validate(on: self)
        let pool = try placementPool(for: spec)
        let vm = VM(host: self, spec: spec)
        vms.append(vm)
        datacenter.register(vm)
        pool.adopt(vm)
        datacenter.log.record(datacenter.now, "vm.create", vm.description,
                              "created on \(name): \(spec.vcpus) vCPU, \(Units.formatBytes(spec.memory)) (\(spec.summary))")
        vm.createFiles(spec.disks)
        return vm
    }

    // MARK: scheduler parameters

    /// Changes the scheduler; refused while a VM on this host is powered on.
    public func setScheduler(_ kind: SchedulerKind) throws {
        guard kind != .policy else { throw ModelError("\(description).scheduler: give a policy object for a Lua policy") }
        try requireStepSpeed(for: kind)
        try reconfigure("scheduler") {
            let trace = scheduler.trace
            scheduler = SchedulerConfig(kind: kind)
            scheduler.trace = trace
        }
        datacenter.log.record(datacenter.now, "cpu.scheduler", description, "scheduler set to \(kind.rawValue) (\(kind.summary))")
    }

    /// Makes a policy supplied from outside the scheduler (quantum from the policy).
    public func setPolicy(_ policy: SchedulingPolicy) throws {
        try requireStepSpeed(for: .policy)
        guard SchedulerConfig.quantumRange.contains(policy.quantum) else {
            throw ModelError("scheduling policy \(policy.name): quantum \(policy.quantum) is not allowed (use 100 µs to 1 s)")
        }
        try reconfigure("scheduler") {
            let trace = scheduler.trace
            scheduler = SchedulerConfig(kind: .policy)
            scheduler.policy = policy
            scheduler.quantum = policy.quantum
            scheduler.trace = trace
        }
        datacenter.log.record(datacenter.now, "cpu.scheduler", description, "scheduler set to the Lua policy \(policy.name), quantum \(policy.quantum)")
    }

    public func setQuantum(_ q: SimTime) throws {
        guard SchedulerConfig.quantumRange.contains(q) else {
            throw ModelError("\(description).scheduler.quantum: \(q) is not allowed (use 100 µs to 1 s)")
        }
        try setParameter("quantum", q) { $0.quantum = q }
    }

    public func setSkewThreshold(_ t: SimTime) throws {
        guard t.micros >= 0, t <= .seconds(Int64(1)) else {
            throw ModelError("\(description).scheduler.skew_threshold: \(t) is not allowed (use 0 to 1 s)")
        }
        try setParameter("skew_threshold", t) { $0.skewThreshold = t }
    }

    public func setTimeSlice(_ t: SimTime) throws {
        guard t.micros > 0, t.micros % scheduler.quantum.micros == 0, t <= .seconds(Int64(1)) else {
            throw ModelError(
                "\(description).scheduler.time_slice: \(t) is not allowed (use a multiple of the \(scheduler.quantum) tick, up to 1 s)")
        }
        try setParameter("time_slice", t) { $0.timeSlice = t }
    }

    public func setRatelimit(_ t: SimTime) throws {
        guard t.micros >= 0, t <= scheduler.timeSlice else {
            throw ModelError("\(description).scheduler.ratelimit: \(t) is not allowed (use 0 to the time slice, \(scheduler.timeSlice), as sched_ratelimit_us)")
        }
        try setParameter("ratelimit", t) { $0.ratelimit = t }
    }

    public func setPeriod(_ t: SimTime) throws {
        guard t >= .milliseconds(1), t <= .seconds(Int64(1)) else {
            throw ModelError("\(description).scheduler.period: \(t) is not allowed (use 1 ms to 1 s, as cpu.cfs_period_us)")
        }
        try setParameter("period", t) { $0.period = t }
    }

    public func setTrace(_ on: Bool) throws { try setParameter("trace", on) { $0.trace = on } }

    /// fair only: bound each VM by its threads' demand, so CPU a VM cannot use goes to
    /// the others (HyperLab's sharing), instead of by min(active threads, vCPUs) cores
    /// as SimGrid does (the default).
    public func setWorkConserving(_ on: Bool) throws {
        guard scheduler.kind == .fair else {
            throw ModelError("\(description).scheduler.work_conserving: only the fair scheduler has this setting (it is \(scheduler.name))")
        }
        try setParameter("work_conserving", on) { $0.workConserving = on }
    }

    private func setParameter<T>(_ name: String, _ value: T, _ change: (SchedulerConfig) -> Void) throws {
        try reconfigure("scheduler.\(name)") { change(scheduler) }
        datacenter.log.record(datacenter.now, "cpu.scheduler", description, "scheduler \(name) set to \(value)")
    }

    /// Applies a scheduler change (only with no VM powered on) and rebuilds the engine.
    private func reconfigure(_ field: String, _ change: () -> Void) throws {
        try requireNoPoweredOnVM(field)
        cpu.advance(to: datacenter.now.micros)
        retiredRun += cpu.totalRun
        change()
        cpu = makeCPUEngine()
        // the host's own processes go on under the new scheduler
        if let p = processes { cpu.attach(p, at: datacenter.now) }
    }

    /// The quantum schedulers count whole cycles per µs: they need 100 MHz or more.
    private func requireStepSpeed(for kind: SchedulerKind) throws {
        guard kind == .fair || mhz >= HostSpec.minimumStepMHz else {
            throw ModelError(
                "\(description).scheduler: \(kind == .policy ? "a Lua policy" : kind.rawValue) needs a clock of 100 MHz or more (\(name) runs at \(Units.formatMHz(mhz)); only fair runs slower hosts)")
        }
    }

    private func requireNoPoweredOnVM(_ field: String) throws {
        if let on = vms.first(where: { $0.state.holdsResources }) {
            throw ModelError(
                "\(description).\(field) can only change while no VM on the host is powered on (\(on.description) is \(on.state.rawValue))")
        }
    }
}

/// What `lab.host{...}` asks for.
public struct HostSpec {
    public var name: String
    public var cpus: Int
    public var mhz: Double
    public var memory: Int64
    public var datastores: [Datastore]
    /// Physical devices behind an IOMMU that VMs can own (DirectPath I/O).
    public var passthroughDevices = 0
    /// Bare metal (type 1) or hosted on an operating system (type 2).
    public var hypervisor = HypervisorType.type1
    /// Its CPU generation (EVC's catalogue); the same for every host unless given [M].
    public var cpuGeneration = CPUGeneration.standard
    /// With hypervisor `none`: the Linux kernel's cgroup version and swap.
    public var linux = LinuxSpec()

    public init(name: String, cpus: Int, mhz: Double, memory: Int64, datastores: [Datastore] = []) {
        self.name = name
        self.cpus = cpus
        self.mhz = mhz
        self.memory = memory
        self.datastores = datastores
    }

    /// The slowest clock the quantum schedulers take; fair (SimGrid's model, any speed)
    /// takes down to `minimumFluidMHz`.
    static let minimumStepMHz = 100.0
    static let minimumFluidMHz = 1e-6

    func validate(scheduler: SchedulerKind) throws {
        let who = "host \(name)"
        guard !name.isEmpty else { throw ModelError("host: name must not be empty") }
        guard (1...1024).contains(cpus) else { throw ModelError("\(who): cpus \(cpus) is not allowed (use 1 to 1024 pCPUs)") }
        if scheduler == .fair {
            guard mhz >= HostSpec.minimumFluidMHz, mhz <= 10_000 else {
                throw ModelError("\(who): mhz \(Units.formatMHz(mhz)) is not allowed (use 1 Hz to 10 GHz with the fair scheduler)")
            }
        } else {
            guard mhz >= HostSpec.minimumStepMHz, mhz <= 10_000 else {
                throw ModelError(
                    "\(who): mhz \(Units.formatMHz(mhz)) is not allowed (use 100 MHz to 10 GHz; slower hosts need scheduler = \"fair\")")
            }
        }
        guard memory >= 64 * Units.MiB, memory <= 64 * Units.TiB else {
            throw ModelError("\(who): memory \(Units.formatBytes(memory)) is not allowed (use 64 MiB to 64 TiB)")
        }
    }
}
