import Foundation
import HyperModel

/// The scale for alarms (issue 14, "Performance"): `clusters` × `hosts` × `vms`
/// (2 vCPUs, 8 GiB, a 40 GiB thin disk on the cluster's datastore, CPU loads of 95, 80,
/// 50, 30 and 10 % by turns, so the VM CPU alarm has work), HA on in every cluster, the
/// fair scheduler, statistics level 1 and vCenter's 1 h of real-time samples; with or
/// without vCenter's default alarms.
func alarmScenario(clusters: Int, hosts: Int, vms: Int, alarms: Bool) -> Datacenter {
    let GiB = Units.GiB
    let dc = Datacenter(seed: 1)
    try! dc.setStatisticsLevel(1)
    try! dc.setRealtimeRetention(.seconds(Int64(3600)))
    for c in 0..<clusters {
        let ds = try! dc.addDatastore(name: "ds\(c)", capacity: 64 * 1024 * GiB, kind: .san)
        var members: [HyperModel.Host] = []
        for h in 0..<hosts {
            let host = try! dc.addHost(HostSpec(name: "c\(c)h\(h)", cpus: 32, mhz: 2400, memory: 512 * GiB, datastores: [ds]),
                                       scheduler: .fair)
            for v in 0..<vms {
                var spec = VMSpec(name: "c\(c)h\(h)v\(v)", vcpus: 2, memory: 8 * GiB)
                spec.disks = [DiskSpec(size: 40 * GiB, provisioning: .thin)]
                let vm = try! host.createVM(spec)
                try! vm.powerOn()
                try! vm.run(CPUWorkload(threads: 2, load: [0.95, 0.8, 0.5, 0.3, 0.1][v % 5]))
            }
            members.append(host)
        }
        try! dc.addCluster(name: "c\(c)", hosts: members).enableHA(HASettings())
    }
    if alarms { _ = try! dc.alarms.defineDefaults() }
    return dc
}

/// CPU time of the calling thread, so that a shared machine's other work does not count.
func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs the scenario for `hours` without and with the default alarms, twice each by turns;
/// returns the best thread CPU times, the alarm events and the peak RSS.
func alarmRun(clusters: Int, hosts: Int, vms: Int, hours: Int) -> (without: Double, with: Double, events: Int, rssMiB: Double) {
    var times = [Double.infinity, .infinity]
    var events = 0
    for round in 0..<4 {
        let alarms = round % 2 == 1
        let dc = alarmScenario(clusters: clusters, hosts: hosts, vms: vms, alarms: alarms)
        let t0 = threadCPU()
        try! dc.run(for: .seconds(Int64(hours * 3600)))
        times[round % 2] = min(times[round % 2], threadCPU() - t0)
        if alarms { events = dc.log.events(kind: "alarm").count }
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return (times[0], times[1], events, Double(usage.ru_maxrss) / 1024)
}

func printAlarmRun(clusters: Int, hosts: Int, vms: Int, hours: Int) {
    let r = alarmRun(clusters: clusters, hosts: hosts, vms: vms, hours: hours)
    let samples = Double(hours * 180)
    let cost = r.with - r.without
    print("alarms, \(clusters) clusters × \(hosts) hosts × \(vms) VMs with vCenter's default alarms, \(hours) simulated h (20 s samples)")
    print(String(format: "  %.2f s CPU without alarms, %.2f s with (best of 2 each, alternated): alarms cost %.2f s (%.2f ms per sample, %.0f ns per VM per sample; %d alarm events), peak RSS %.0f MiB",
                 r.without, r.with, cost, cost / samples * 1000, cost / samples / Double(clusters * hosts * vms) * 1e9, r.events, r.rssMiB))
    print(String(format: "  a simulated day: alarms %.2f s (target: well under 3 s of the 30 s budget: %.2f× of 3 s)\n",
                 cost / Double(hours) * 24, cost / Double(hours) * 24 / 3))
}
