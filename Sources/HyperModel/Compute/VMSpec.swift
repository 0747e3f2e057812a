/// What `host:create_vm{...}` asks for, checked as a whole before anything is created.
public struct VMSpec {
    public var name: String
    public var vcpus: Int
    public var memory: Int64
    /// The guest OS image; identical images can share pages when page sharing allows.
    public var guest: String
    /// VMware Tools (and its balloon driver) installed.
    public var tools: Bool
    public var cpu: CPUAllocation
    public var mem: MemoryAllocation
    /// Virtual disks, on the given datastore or the host's first (its local disk without one).
    public var disks: [DiskSpec] = []
    /// NICs and disk controllers; pass-through ones need the host's assignable devices.
    public var devices: [DeviceSpec] = []
    /// The resource pool it joins: one of its host's tree (default: the root of the
    /// host's cluster, or of the host standing alone).
    public var pool: ResourcePool?
    /// Seconds from power-on until the guest has booted and VMware Tools run [M]
    /// (datacenter-facts §4.6 and §6.3: a full VM starts in about 30 s).
    public var bootSeconds = 30.0
    /// Seconds a guest shutdown takes, from the request until the VM is off [M].
    public var shutdownSeconds = 10.0
    /// Overhead memory of its VMM when it is not ESXi's table (a microVM's, MicroVM/).
    public var overhead: Int64?
    /// vSphere's CPU hot add and memory hot plug: while it runs the VM may get more vCPUs
    /// or memory (never fewer, never less: vSphere cannot hot-remove them).
    public var cpuHotAdd = false
    public var memoryHotAdd = false

    public init(
        name: String, vcpus: Int = 1, memory: Int64, guest: String = "linux", tools: Bool = true,
        cpu: CPUAllocation = CPUAllocation(), mem: MemoryAllocation = MemoryAllocation()
    ) {
        self.name = name
        self.vcpus = vcpus
        self.memory = memory
        self.guest = guest
        self.tools = tools
        self.cpu = cpu
        self.mem = mem
    }

    static let maxVCPUs = 768  // vSphere 8 maximum per VM
    static let maxShares: Int64 = 1_000_000

    var summary: String {
        var parts = ["guest \(guest)"]
        if !tools { parts.append("no tools") }
        if cpu.reservationMHz > 0 { parts.append("CPU reservation \(Units.formatMHz(cpu.reservationMHz))") }
        if let l = cpu.limitMHz { parts.append("CPU limit \(Units.formatMHz(l))") }
        if cpu.shares != .normal { parts.append("CPU shares \(cpu.shares)") }
        if mem.reservation > 0 { parts.append("memory reservation \(Units.formatBytes(mem.reservation))") }
        if let l = mem.limit { parts.append("memory limit \(Units.formatBytes(l))") }
        if mem.shares != .normal { parts.append("memory shares \(mem.shares)") }
        return parts.joined(separator: ", ")
    }

    func validate(on host: Host) throws {
        let who = "create_vm \(name.isEmpty ? "(no name)" : name)"
        guard !name.isEmpty else { throw ModelError("create_vm: name must not be empty") }
        guard host.hypervisor != .none else {
            throw ModelError("\(who): \(host.description) has hypervisor \"none\" (a Linux machine without a hypervisor); it runs containers (run_container), not VMs")
        }
        if let other = host.datacenter.vm(named: name) {
            throw ModelError("\(who): a VM named \(name) already exists (on \(other.host.name)); VM names must be unique")
        }
        guard (1...VMSpec.maxVCPUs).contains(vcpus) else {
            throw ModelError("\(who): vcpus \(vcpus) is not allowed (use 1 to \(VMSpec.maxVCPUs))")
        }
        guard memory >= 4 * Units.MiB, memory <= 24 * Units.TiB else {
            throw ModelError("\(who): memory \(Units.formatBytes(memory)) is not allowed (use 4 MiB to 24 TiB)")
        }
        guard bootSeconds.isFinite, bootSeconds >= 0, bootSeconds <= 3600 else {
            throw ModelError("\(who): boot \(Units.trim(bootSeconds)) s is not allowed (use 0 s to 1 h: the time from power-on until VMware Tools run)")
        }
        guard shutdownSeconds.isFinite, shutdownSeconds >= 0, shutdownSeconds <= 3600 else {
            throw ModelError("\(who): shutdown \(Units.trim(shutdownSeconds)) s is not allowed (use 0 s to 1 h: the time a guest shutdown takes)")
        }
        try checkAllocation(who: who, on: host)
        try validateDisks(on: host, who: who)
        try validateDevices(on: host, who: who)
        if let m = mem.max {
            guard host.memory.settings.profile == .xen else {
                throw ModelError("\(who): mem.max is Xen's maxmem; the \(host.memory.settings.profile.rawValue) profile has none (use lab.profile(\"xen\"))")
            }
            guard m >= memory, m <= 24 * Units.TiB else {
                throw ModelError("\(who): mem.max \(Units.formatBytes(m)) is below its memory \(Units.formatBytes(memory)) (maxmem must be at least the memory it boots with)")
            }
        }
    }

    /// The CPU and memory settings, checked against the VM's size and the host: at
    /// creation and when a running VM's settings change.
    func checkAllocation(who: String, on host: Host) throws {
        for (field, s) in [("cpu.shares", cpu.shares), ("mem.shares", mem.shares)] {
            if case .custom(let n) = s, !(1...VMSpec.maxShares).contains(n) {
                throw ModelError("\(who): \(field) \(n) is not allowed (use \"low\", \"normal\", \"high\" or 1 to \(VMSpec.maxShares))")
            }
        }
        let vmMax = Double(vcpus) * host.mhz
        guard cpu.reservationMHz >= 0 else {
            throw ModelError("\(who): cpu.reservation must not be negative")
        }
        if let limit = cpu.limitMHz {
            guard limit > 0 else { throw ModelError("\(who): cpu.limit \(Units.formatMHz(limit)) must be more than 0") }
            guard cpu.reservationMHz <= limit else {
                throw ModelError(
                    "\(who): cpu.reservation \(Units.formatMHz(cpu.reservationMHz)) is above cpu.limit \(Units.formatMHz(limit)) (a reservation must not exceed the limit)")
            }
        }
        if let limit = cpu.limitMHz, limit > vmMax {
            throw ModelError(
                "\(who): cpu.limit \(Units.formatMHz(limit)) is more than its \(vcpus) vCPU\(vcpus == 1 ? "" : "s") can use on \(host.name) (at most \(Units.formatMHz(vmMax)); leave it out for no limit)")
        }
        if let w = cpu.weight, !(1...65535).contains(w) {
            throw ModelError("\(who): cpu.weight \(w) is not allowed (use 1 to 65535; Xen's default is 256)")
        }
        if let c = cpu.cap, !(0...Int64(100 * vcpus)).contains(c) {
            throw ModelError("\(who): cpu.cap \(c) is not allowed (use 0 for no cap, or up to \(100 * vcpus) % for \(vcpus) vCPU)")
        }
        if let q = cpu.globalQuota, q < .milliseconds(1) {
            throw ModelError("\(who): cpu.global_quota \(q) is not allowed (use 1 ms or more)")
        }
        if let q = cpu.quota, q < .milliseconds(1) {
            throw ModelError("\(who): cpu.quota \(q) is not allowed (use 1 ms or more, at most the CFS period)")
        }
        guard cpu.reservationMHz <= vmMax else {
            throw ModelError(
                "\(who): cpu.reservation \(Units.formatMHz(cpu.reservationMHz)) is more than its \(vcpus) vCPU\(vcpus == 1 ? "" : "s") can use on \(host.name) (at most \(Units.formatMHz(vmMax)))")
        }
        guard mem.reservation >= 0 else { throw ModelError("\(who): mem.reservation must not be negative") }
        guard mem.reservation <= memory else {
            throw ModelError(
                "\(who): mem.reservation \(Units.formatBytes(mem.reservation)) is above its configured memory \(Units.formatBytes(memory))")
        }
        if let limit = mem.limit {
            guard limit >= mem.reservation, limit > 0 else {
                throw ModelError(
                    "\(who): mem.limit \(Units.formatBytes(limit)) is below mem.reservation \(Units.formatBytes(mem.reservation)) (a limit must be at least the reservation)")
            }
        }
        guard mem.reservation <= host.memory.capacity else {
            throw ModelError(
                "\(who): mem.reservation \(Units.formatBytes(mem.reservation)) is more than \(host.name) has (\(Units.formatBytes(host.memory.capacity)) of machine memory)")
        }
        if let m = mem.maxBalloon, !(0...memory).contains(m) {
            throw ModelError("\(who): mem.max_balloon \(Units.formatBytes(m)) is not allowed (use 0 up to its configured memory \(Units.formatBytes(memory)))")
        }
        if let salt = mem.shareSalt, salt.isEmpty {
            throw ModelError("\(who): mem.share_salt must not be empty (leave it out for no salt)")
        }
    }
}

/// A virtual disk to create with a VM.
public struct DiskSpec: Sendable {
    public var size: Int64
    public var provisioning: Provisioning
    public var datastore: Datastore?

    public init(size: Int64, provisioning: Provisioning = .thickLazy, datastore: Datastore? = nil) {
        self.size = size
        self.provisioning = provisioning
        self.datastore = datastore
    }
}

extension Datastore: @unchecked Sendable {}

extension VMSpec {
    /// Disks: positive sizes; thick types only where they fit and not on NFS; a datastore
    /// the host mounts.
    func validateDisks(on host: Host, who: String) throws {
        var thickOn: [ObjectIdentifier: Int64] = [:]
        for (i, d) in disks.enumerated() {
            let field = "disks[\(i + 1)]"
            guard d.size > 0, d.size <= 62 * Units.TiB else {
                throw ModelError("\(who): \(field).size \(Units.formatBytes(d.size)) is not allowed (use more than 0 up to 62 TiB)")
            }
            let ds = d.datastore ?? host.datastores.first ?? host.localDatastore
            if d.datastore != nil, !host.datastores.contains(where: { $0 === ds }) {
                throw ModelError("\(who): \(field).datastore \(ds.name) is not mounted on \(host.name) (it mounts \(host.datastores.map(\.name).joined(separator: ", ")))")
            }
            if ds.kind == .nfs && d.provisioning != .thin {
                throw ModelError("\(who): \(field).provisioning \"\(d.provisioning.rawValue)\" is not possible on the NFS datastore \(ds.name) (NFS without hardware acceleration supports thin only)")
            }
            if d.provisioning != .thin {
                thickOn[ObjectIdentifier(ds), default: 0] += d.size
                let need = thickOn[ObjectIdentifier(ds)]!
                guard need <= ds.free else {
                    throw ModelError("\(who): \(field) needs \(Units.formatBytes(need)) allocated at creation (\(d.provisioning.rawValue)) but \(ds.name) has \(Units.formatBytes(ds.free)) free; use thin provisioning or another datastore")
                }
            }
        }
    }
}
