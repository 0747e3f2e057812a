import Foundation
import HyperModel

/// Benchmark 11 (issue 14): 32 clusters × 32 hosts × 20 VMs with DRS (fully automated,
/// threshold 3), DPM (automatic, default band) and vCenter's default alarms for one
/// simulated day, one core. Hosts: 16 pCPUs × 2.4 GHz, 256 GiB, fair scheduler (the scale
/// mode), statistics level 1 with vCenter's one hour of real-time samples. VMs: 2 vCPUs,
/// 8 GiB, 2 GiB of it touched with 1 GiB active; their CPU follows a working day: 5 % of
/// each vCPU from midnight, 30 % from 08:00 (75 % of the hosts), 5 % again from 18:00. DPM
/// consolidates each cluster at night (40 min after demand fell, one host per pass),
/// powers the standby hosts back on at 08:05 and consolidates again in the evening; every
/// evacuation and rebalancing move is a vMotion.
struct DatacenterDay {
    var seconds = 0.0
    var events: Int64 = 0
    var vMotions = 0
    var standbys = 0
    var powerOns = 0
    /// Hosts on per cluster at 07:55 and at 12:00 (the mean over clusters).
    var nightOn = 0.0
    var noonOn = 0.0
    /// Peak resident memory, MiB.
    var rssMiB = 0.0
    var alarmEvents = 0
}

func datacenterDay(clusters nc: Int = 32, hosts nh: Int = 32, vms nv: Int = 20, sample: Int64 = 20,
                   alarms: Bool = true) -> DatacenterDay {
    let dc = Datacenter(seed: 1)
    try! dc.setStatisticsLevel(1)
    try! dc.setRealtimeRetention(.seconds(Int64(3600)))
    if sample != 20 { try! dc.setSampleInterval(.seconds(sample)) }
    // keep every event, so the moves and power changes can be counted from the log
    dc.log.retainLimit = 4_000_000
    var clusters: [Cluster] = []
    var workloads: [(VM, CPUWorkload)] = []
    for c in 0..<nc {
        let ds = try! dc.addDatastore(name: "san\(c)", capacity: 1 << 50, kind: .san)
        var hosts: [HyperModel.Host] = []
        for h in 0..<nh {
            hosts.append(try! dc.addHost(HostSpec(name: "c\(c)h\(h)", cpus: 16, mhz: 2400, memory: 256 * Units.GiB, datastores: [ds]),
                                         scheduler: .fair))
        }
        let cluster = try! dc.addCluster(name: "c\(c)", hosts: hosts)
        for h in hosts {
            for v in 0..<nv {
                let vm = try! h.createVM(VMSpec(name: "\(h.name)v\(v)", vcpus: 2, memory: 8 * Units.GiB))
                try! vm.powerOn()
                try! vm.run(MemoryWorkload(size: 2 * Units.GiB, active: Units.GiB))
                let w = try! CPUWorkload(threads: 2, load: 0.05)
                try! vm.run(w)
                workloads.append((vm, w))
            }
        }
        try! cluster.enableDRS(DRSSettings())
        try! cluster.enableDPM(DPMSettings())
        clusters.append(cluster)
    }
    if alarms { _ = try! dc.alarms.defineDefaults() }
    // the working day: every VM's CPU workload is replaced at 08:00 and 18:00
    func shift(to load: Double) {
        for i in workloads.indices {
            let (vm, old) = workloads[i]
            try! vm.stop(old)
            let w = try! CPUWorkload(threads: 2, load: load)
            try! vm.run(w)
            workloads[i] = (vm, w)
        }
    }
    var r = DatacenterDay()
    func meanOn() -> Double { Double(clusters.reduce(0) { $0 + $1.hosts.filter { $0.power == .on }.count }) / Double(nc) }
    let t0 = threadCPU()
    try! dc.run(until: .seconds(Int64(7 * 3600 + 55 * 60)))
    r.nightOn = meanOn()
    try! dc.run(until: .seconds(Int64(8 * 3600)))
    shift(to: 0.30)
    try! dc.run(until: .seconds(Int64(12 * 3600)))
    r.noonOn = meanOn()
    try! dc.run(until: .seconds(Int64(18 * 3600)))
    shift(to: 0.05)
    try! dc.run(until: .seconds(Int64(24 * 3600)))
    r.seconds = threadCPU() - t0
    r.events = dc.sim.eventsRun
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    r.rssMiB = Double(usage.ru_maxrss) / 1024
    let log = dc.log
    r.vMotions = log.events(kind: "vm.migrate").filter { $0.message.hasPrefix("switched over") }.count
    r.standbys = log.events(kind: "host.power").filter { $0.message.hasPrefix("in standby") }.count
    r.powerOns = log.events(kind: "host.power").filter { $0.message.hasPrefix("on: booted") }.count
    r.alarmEvents = log.events(kind: "alarm").count
    if log.total > log.retainLimit {
        print("  (the event log kept \(log.retainLimit) of \(log.total) events: the counts are of the kept ones)")
    }
    return r
}

func printDatacenterDay(_ r: DatacenterDay, clusters: Int, sample: Int64 = 20, alarms: Bool = true) {
    print("datacenter day, \(clusters) clusters × 32 hosts × 20 VMs, DRS fully automated, DPM automatic\(alarms ? ", default alarms" : ""), one simulated day, samples every \(sample) s, one core")
    print(String(format: "  %.2f s of CPU, peak RSS %.0f MiB, %lld events, %d vMotions, %d standbys, %d power-ons, %d alarm events; hosts on per cluster %.1f at 07:55, %.1f at noon (target < 30 s: %.2f×)\n",
                 r.seconds, r.rssMiB, r.events, r.vMotions, r.standbys, r.powerOns, r.alarmEvents, r.nightOn, r.noonOn, r.seconds / 30))
}
