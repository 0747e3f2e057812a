@testable import HyperModel

/// A cluster of `hosts` hosts of 4 × 2.5 GHz (10 GHz) and `memory` each, on shared
/// storage, for maintenance-mode, DPM and HA tests.
struct MaintenanceWorld {
    let dc: Datacenter
    let hosts: [Host]
    let cluster: Cluster

    init(hosts n: Int = 2, memory: Int64 = 64 * GiB) throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "shared", capacity: 64 * 1024 * GiB, kind: .san)
        let hosts = try (1...n).map { try dc.addHost(HostSpec(name: "esx0\($0)", cpus: 4, mhz: 2500, memory: memory, datastores: [ds])) }
        cluster = try dc.addCluster(name: "prod", hosts: hosts)
        (self.dc, self.hosts) = (dc, hosts)
    }

    /// A powered-on VM on `h` whose last-interval CPU demand is set by hand (the next
    /// sample measures it again), entitlements solved.
    @discardableResult
    func vm(_ name: String, on h: Host, demand mhz: Double = 0, vcpus: Int = 2, memory: Int64 = 4 * GiB,
            mem: MemoryAllocation = MemoryAllocation()) throws -> VM {
        let v = try h.createVM(VMSpec(name: name, vcpus: vcpus, memory: memory, mem: mem))
        try v.powerOnHere()
        v.metrics.cpuDemandMHz = mhz
        cluster.root.solver.solve()
        return v
    }

    /// A running 1-vCPU VM whose guest keeps `load` of its vCPU busy and `active` memory in use.
    @discardableResult
    func busy(_ name: String, on h: Host, load: Double, memory: Int64, active: Int64) throws -> VM {
        let v = try h.createVM(VMSpec(name: name, vcpus: 1, memory: memory))
        try v.powerOnHere()
        try v.run(CPUWorkload(threads: 1, load: load))
        try v.run(MemoryWorkload(size: active, active: active, rate: Double(4 * GiB)))
        return v
    }

    func drs(_ change: (inout DRSSettings) -> Void = { _ in }) throws {
        var s = DRSSettings()
        change(&s)
        try cluster.enableDRS(s)
    }

    func run(_ seconds: Int64) throws { try dc.run(for: .seconds(seconds)) }
    func run(until seconds: Int64) throws { try dc.run(until: .seconds(seconds)) }

    func events(_ kind: String) -> [LogEvent] { dc.log.events(kind: kind) }
    /// DRS vMotions started (not the waits or drops).
    func moves() -> [LogEvent] { dc.log.events(kind: "drs.migrate").filter { $0.message.contains("; vMotion of ") } }
    var standby: [Host] { hosts.filter { $0.power == .standby } }
    var on: [Host] { hosts.filter { $0.power == .on } }
}
