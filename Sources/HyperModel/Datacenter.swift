/// The simulated world: hosts, datastores, clusters and VMs, the clock, the event log
/// and the sampler. Everything is deterministic given the seed.
///
/// The datacenter owns every object in it; their references back to it (a VM's host, a
/// host's datacenter) are not counted, as in any simulator kernel, so keep the
/// datacenter alive as long as you use its objects.
public final class Datacenter {
    public let sim = Simulation()
    public let log = EventLog()
    public let seed: UInt64
    public let random: SimRandom
    public private(set) var profile: Profile = .esxi
    public private(set) var hosts: [Host] = []
    public private(set) var datastores: [Datastore] = []
    public private(set) var clusters: [Cluster] = []
    public private(set) var vms: [VM] = []
    private var vmsByName: [String: VM] = [:]
    private lazy var sampler = Sampler(datacenter: self, interval: .seconds(Int64(20)))
    /// Ticks every host's memory management.
    private(set) lazy var memoryClock = MemoryClock(datacenter: self)
    private(set) lazy var storageClock = StorageClock(datacenter: self)
    private(set) lazy var migrations = MigrationClock(datacenter: self)
    private(set) lazy var timers = Timers(datacenter: self)
    /// Container images, Linux kernels and container names (Containers/).
    private(set) lazy var containerRegistry = ContainerRegistry()
    /// Firecracker-like microVMs and their hosts' creation queues (MicroVM/).
    public private(set) lazy var microVMs = MicroVMs(datacenter: self)
    /// VDI desktop pools and their datastores' IOPS (VDI/).
    public private(set) lazy var vdi = VDI(datacenter: self)
    /// vCenter's alarms (Alarms/), made when the first alarm is defined.
    public var alarms: AlarmEngine {
        if let a = alarmEngine { return a }
        let a = AlarmEngine(datacenter: self)
        alarmEngine = a
        return a
    }
    private(set) var alarmEngine: AlarmEngine?
    /// The datastores created, then the local disks of hosts that use theirs.
    public var allDatastores: [Datastore] {
        datastores + hosts.compactMap { $0.localDatastoreIfUsed }
    }
    private var samplerStarted = false
    /// The limit runs are checked against before they start (Kernel/MemoryCheck.swift).
    public let memoryCheck = MemoryCheck()

    public init(seed: UInt64) {
        self.seed = seed
        self.random = SimRandom(seed: seed)
    }

    public var now: SimTime { sim.now }
    public var sampleInterval: SimTime { sampler.interval }
    /// When the last sample was taken (the values metrics report now).
    public var lastSample: SimTime { sampler.lastSample }

    /// Chooses the hypervisor profile; only before any host exists.
    public func setProfile(_ p: Profile) throws {
        guard hosts.isEmpty else { throw ModelError("lab.profile: choose the profile before creating hosts") }
        profile = p
        log.record(now, "profile", "lab", "profile \(p.rawValue)")
    }

    // MARK: building

    public func addDatastore(name: String, capacity: Int64, kind: DatastoreKind, writeRate: Double? = nil) throws -> Datastore {
        guard !name.isEmpty else { throw ModelError("datastore: name must not be empty") }
        guard datastores.allSatisfy({ $0.name != name }) else {
            throw ModelError("datastore \(name): a datastore with this name already exists")
        }
        guard capacity > 0 else { throw ModelError("datastore \(name): capacity must be more than 0 bytes") }
        if let r = writeRate, !(r > 0 && r.isFinite) {
            throw ModelError("datastore \(name): write_rate must be more than 0 bytes/s")
        }
        let ds = Datastore(name: name, capacity: capacity, kind: kind, writeRate: writeRate)
        datastores.append(ds)
        log.record(now, "datastore.create", "Datastore(\(name))", "\(kind.rawValue), \(Units.formatBytes(capacity))")
        return ds
    }

    public func addHost(_ spec: HostSpec, scheduler: SchedulerKind? = nil) throws -> Host {
        try spec.validate(scheduler: scheduler ?? profile.defaultScheduler)
        guard hosts.allSatisfy({ $0.name != spec.name }) else {
            throw ModelError("host \(spec.name): a host with this name already exists")
        }
        let host = Host(datacenter: self, spec: spec, scheduler: scheduler ?? profile.defaultScheduler)
        host.metrics.createdAt = now.micros
        for ds in spec.datastores { ds.hosts.append(host) }
        host.index = hosts.count
        hosts.append(host)
        host.startHostOS()
        log.record(now, "host.create", host.description,
                   "\(spec.cpus) pCPU × \(Units.formatMHz(spec.mhz)), \(Units.formatBytes(spec.memory)), scheduler \(host.scheduler.kind.rawValue)")
        if !samplerStarted {
            samplerStarted = true
            sampler.start()
        }
        return host
    }

    /// A cluster of `members`; with `evc`, EVC on from the start with that baseline
    /// (DRS/EVC.swift), which every member's CPU must have.
    public func addCluster(name: String, hosts members: [Host], evc: CPUGeneration? = nil) throws -> Cluster {
        guard !name.isEmpty else { throw ModelError("cluster: name must not be empty") }
        guard clusters.allSatisfy({ $0.name != name }) else { throw ModelError("cluster \(name): a cluster with this name already exists") }
        for h in members {
            if let other = clusters.first(where: { $0.hosts.contains { $0 === h } }) {
                throw ModelError("cluster \(name): host \(h.name) is already in cluster \(other.name)")
            }
            guard h.hypervisor != .none else {
                throw ModelError("cluster \(name): host \(h.name) has hypervisor \"none\" (a Linux node for containers); a vSphere cluster holds hypervisor hosts")
            }
            try h.checkCanJoinCluster(name)
        }
        if let evc { try Cluster.checkEVC(evc, hosts: members, "cluster \(name): evc") }
        let c = Cluster(name: name, hosts: members)
        c.evc = evc
        c.root = ResourcePool(rootOf: c, datacenter: self)
        c.adoptHostPools()
        clusters.append(c)
        log.record(now, "cluster.create", "Cluster(\(name))", "hosts \(members.map(\.name).joined(separator: ", "))")
        return c
    }

    func register(_ vm: VM) {
        vm.index = vms.count
        vms.append(vm)
        vmsByName[vm.name] = vm
    }

    public func vm(named name: String) -> VM? { vmsByName[name] }
    public func host(named name: String) -> Host? { hosts.first { $0.name == name } }

    // MARK: time

    /// What is collected: the statistics level of each interval and how long real-time
    /// samples are kept (Kernel/Statistics.swift).
    public let statistics = StatisticsSettings()

    /// The real-time level: which series are recorded, as vCenter's statistics levels:
    /// 1–2 host and VM counters, 3–4 also per vCPU (the default, 3).
    public var statisticsLevel: Int { statistics.level(.realtime) }

    /// Sets every interval's level to `level` (real-time included). Before building hosts.
    /// Level 0 records no series at all (a scale study that reads none).
    public func setStatisticsLevel(_ level: Int) throws {
        guard (0...4).contains(level) else {
            throw ModelError("lab.statistics_level: \(level) is not a level (use 1 to 4, as vCenter: 3 and above record per-vCPU series; or 0 for no series)")
        }
        try setStatisticsLevels(Array(repeating: level, count: StatisticsInterval.allCases.count))
    }

    /// Sets the level of each interval (realtime, day, week, month, year): each 1–4, none
    /// above the one before it, as vCenter refuses. Before building hosts, since the
    /// levels decide which series each object has.
    public func setStatisticsLevels(_ levels: [Int]) throws {
        precondition(levels.count == StatisticsInterval.allCases.count)
        if let why = StatisticsSettings.refusal(levels) { throw ModelError("lab.statistics_level: \(why)") }
        guard hosts.isEmpty else { throw ModelError("lab.statistics_level: set it before building hosts") }
        statistics.levels = levels
        let text = Set(levels).count == 1 ? "\(levels[0])"
            : zip(StatisticsInterval.allCases, levels).map { "\($0.name) \($1)" }.joined(separator: ", ")
        log.record(now, "sampling", "lab", "statistics level \(text)")
    }

    /// How long real-time samples are kept: nil for the whole run (the default), or a
    /// duration (vCenter keeps 1 h: 180 samples of 20 s). Older samples are rolled up
    /// before they are dropped. Takes effect from the next sample.
    public func setRealtimeRetention(_ keep: SimTime?) throws {
        if let keep, keep < .seconds(Int64(60)) || keep > .seconds(Int64(366 * 86_400)) {
            throw ModelError("lab.realtime_retention: \(keep) is not allowed (use 1 min to 366 days, or \"run\" to keep every sample)")
        }
        statistics.realtimeRetention = keep
        log.record(now, "sampling", "lab", "real-time samples kept \(keep.map { "for \($0)" } ?? "for the whole run")")
    }

    /// Worker threads that advance hosts' CPU models in parallel at each sample (hosts
    /// are independent between samples, so results do not depend on it). 1 = serial.
    public var parallelism = 1
    /// The entitlement solver's columns on the model's thread (Pools/Entitlements.swift).
    let entitlementScratch = EntitlementScratch()
    /// Record who ran where on hosts of up to 16 pCPUs (Gantt charts in reports); the
    /// trace only records, results do not change.
    public var traceSmallHosts = false

    /// Changes the sample interval from now on.
    public func setSampleInterval(_ i: SimTime) throws {
        guard i >= .seconds(Int64(1)), i <= .seconds(Int64(86_400)) else {
            throw ModelError("lab.sample_interval: \(i) is not allowed (use 1 s to 1 day)")
        }
        sampler.setInterval(i)
        log.record(now, "sampling", "lab", "sample interval \(i)")
    }

    /// A failure of a model component that cannot throw where it happens (a scheduling
    /// policy that returned garbage): it stops the run in progress, which throws it.
    private var failure: ModelError?

    func fail(_ error: ModelError) {
        if failure == nil {
            failure = error
            log.record(now, "failure", "lab", error.message)
        }
        sim.stopRequested = true
    }

    /// Runs to `t`. Returns false when `shouldStop` ended it early; throws the failure of
    /// a model component, which stops the run at the event that found it.
    @discardableResult
    public func run(until t: SimTime, shouldStop: (() -> Bool)? = nil) throws -> Bool {
        guard t <= .horizon else { throw ModelError("the simulation cannot run past \(SimTime.horizon) (asked for \(t))") }
        try checkMemory(until: t)  // a run that cannot fit is refused before it starts (Kernel/MemoryCheck.swift)
        solvePendingEntitlements()
        while true {
            // alarm actions run between events: after the sample or event that triggered
            // them, never inside a model step
            if let alarms = alarmEngine {
                try alarms.runPendingActions()
                // an event outside a run (a host failed from the script) asked for a stop
                // to run its actions, which are done: the run goes on
                if failure == nil { sim.stopRequested = false }
            }
            let finished = sim.run(until: t, shouldStop: shouldStop)
            // The CPU model steps lazily (at samples and power operations), so a scheduling
            // policy written in Lua would otherwise first run, and fail, in a later run:
            // hosts that use one are stepped to now, and its errors belong to this run.
            if failure == nil {
                for h in hosts where h.scheduler.kind == .policy { h.cpu.advance(to: now.micros) }
            }
            if let f = failure {
                failure = nil
                throw f
            }
            if alarmEngine?.hasPendingActions == true { continue }
            return finished
        }
    }

    @discardableResult
    public func run(for d: SimTime, shouldStop: (() -> Bool)? = nil) throws -> Bool {
        guard let end = now.adding(d) else { throw ModelError("the simulation cannot run \(d) past \(now): that is beyond \(SimTime.horizon)") }
        return try run(until: end, shouldStop: shouldStop)
    }
}

extension Datacenter {
    /// Solves every pool tree (each cluster's and each standalone host's) from the last
    /// interval's demand and delivers it to the hosts: at each sample.
    func solveEntitlements(skippingSampled: Bool = false) {
        for c in clusters { c.root.solver.solve() }
        // Every host is visited at every sample, most of them to be skipped: no retains.
        hosts.forEachUnretained { h in
            if h.clusterMembership == nil && !(skippingSampled && h.solvesWithSample) { h.root.solver.solve() }
        }
    }

    /// Solves the trees that changed since their last solve (before time advances), so
    /// VMs powered on or placed meanwhile run their share from the first instant. Trees
    /// without child pools are left to the next sample: nothing is delivered there.
    func solvePendingEntitlements() {
        for c in clusters where c.root.solver.pending && !c.root.pools.isEmpty { c.root.solver.solve() }
        for h in hosts where h.clusterMembership == nil && h.root.solver.pending && !h.root.pools.isEmpty { h.root.solver.solve() }
    }
}
