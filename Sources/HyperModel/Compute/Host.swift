/// A physical host: pCPUs at a clock speed, machine memory, mounted datastores, and the
/// VMs registered on it.
public final class Host {
    public let name: String
    public let cpus: Int
    public let mhz: Double
    public unowned let datacenter: Datacenter
    public let datastores: [Datastore]
    public private(set) var vms: [VM] = []
    public let scheduler: SchedulerConfig
    private(set) lazy var cpu = HostCPU(host: self, config: scheduler)
    public private(set) lazy var memory = HostMemory(host: self, capacity: memoryCapacity)
    private let memoryCapacity: Int64
    public let metrics = HostMetrics()

    init(datacenter: Datacenter, spec: HostSpec, scheduler: SchedulerKind) {
        self.datacenter = datacenter
        self.name = spec.name
        self.cpus = spec.cpus
        self.mhz = spec.mhz
        self.datastores = spec.datastores
        self.scheduler = SchedulerConfig(kind: scheduler)
        self.memoryCapacity = spec.memory
    }

    public var description: String { "Host(\(name))" }
    public var capacityMHz: Double { Double(cpus) * mhz }
    public var poweredOnVMs: [VM] { vms.filter { $0.state == .on } }
    /// vCPUs of powered-on VMs per pCPU.
    public var cpuOvercommit: Double { Double(cpu.attachedVCPUs) / Double(cpus) }
    public var reservedMHz: Double { vms.filter { $0.state.holdsResources }.reduce(0) { $0 + $1.cpuAllocation.reservationMHz } }
    public var unreservedMHz: Double { capacityMHz - reservedMHz }

    /// Creates a VM on this host, powered off. Every option is checked first.
    public func createVM(_ spec: VMSpec) throws -> VM {
        try spec.validate(on: self)
        let vm = VM(host: self, spec: spec)
        vms.append(vm)
        datacenter.register(vm)
        datacenter.log.record(datacenter.now, "vm.create", vm.description,
                              "created on \(name): \(spec.vcpus) vCPU, \(Units.formatBytes(spec.memory)) (\(spec.summary))")
        return vm
    }

    // MARK: scheduler parameters

    /// Changes the scheduler; refused while a VM on this host is powered on.
    public func setScheduler(_ kind: SchedulerKind) throws {
        try requireNoPoweredOnVM("scheduler")
        scheduler.kind = kind
        datacenter.log.record(datacenter.now, "cpu.scheduler", description, "scheduler set to \(kind.rawValue) (\(kind.summary))")
    }

    public func setQuantum(_ q: SimTime) throws {
        try requireNoPoweredOnVM("scheduler.quantum")
        guard SchedulerConfig.quantumRange.contains(q) else {
            throw ModelError("\(description).scheduler.quantum: \(q) is not allowed (use 1 ms to 1 s)")
        }
        cpu.advance(to: datacenter.now.micros)
        scheduler.quantum = q
        datacenter.log.record(datacenter.now, "cpu.scheduler", description, "quantum set to \(q)")
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

    public init(name: String, cpus: Int, mhz: Double, memory: Int64, datastores: [Datastore] = []) {
        self.name = name
        self.cpus = cpus
        self.mhz = mhz
        self.memory = memory
        self.datastores = datastores
    }

    func validate() throws {
        let who = "host \(name)"
        guard !name.isEmpty else { throw ModelError("host: name must not be empty") }
        guard (1...1024).contains(cpus) else { throw ModelError("\(who): cpus \(cpus) is not allowed (use 1 to 1024 pCPUs)") }
        guard mhz >= 100, mhz <= 10_000 else {
            throw ModelError("\(who): mhz \(Units.formatMHz(mhz)) is not allowed (use 100 MHz to 10 GHz)")
        }
        guard memory >= 64 * Units.MiB, memory <= 64 * Units.TiB else {
            throw ModelError("\(who): memory \(Units.formatBytes(memory)) is not allowed (use 64 MiB to 64 TiB)")
        }
    }
}
