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

/// One run in this process: "cpu-seconds alarm-events peak-rss-MiB".
func alarmRunHere(clusters: Int, hosts: Int, vms: Int, hours: Int, alarms: Bool) -> String {
    let dc = alarmScenario(clusters: clusters, hosts: hosts, vms: vms, alarms: alarms)
    let t0 = threadCPU()
    try! dc.run(for: .seconds(Int64(hours * 3600)))
    let t = threadCPU() - t0
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return String(format: "%.3f %d %.0f", t, dc.log.events(kind: "alarm").count, Double(usage.ru_maxrss) / 1024)
}

/// Runs the scenario without and with the default alarms, each in a process of its own
/// (so one run's memory does not weigh on the next), twice each by turns, and prints the
/// best thread CPU times and their difference.
func printAlarmRun(clusters: Int, hosts: Int, vms: Int, hours: Int) {
    var best = [Double.infinity, .infinity]
    var events = 0
    var rss = [0.0, 0.0]
    for round in 0..<4 {
        let alarms = round % 2 == 1
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        p.arguments = ["alarms", "\(clusters)", "\(hosts)", "\(vms)", "\(hours)", alarms ? "on" : "off"]
        let out = Pipe()
        p.standardOutput = out
        try! p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let f = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard f.count == 3 else { fatalError("alarm run failed: \(String(decoding: data, as: UTF8.self))") }
        best[round % 2] = min(best[round % 2], f[0])
        rss[round % 2] = max(rss[round % 2], f[2])
        if alarms { events = Int(f[1]) }
    }
    let samples = Double(hours * 180)
    let cost = best[1] - best[0]
    print("alarms, \(clusters) clusters × \(hosts) hosts × \(vms) VMs with vCenter's default alarms, \(hours) simulated h (20 s samples)")
    print(String(format: "  %.2f s CPU without alarms, %.2f s with (best of 2 each, alternated, a process each): alarms cost %.2f s (%.2f ms per sample, %.0f ns per VM per sample; %d alarm events); peak RSS %.0f / %.0f MiB",
                 best[0], best[1], cost, cost / samples * 1000, cost / samples / Double(clusters * hosts * vms) * 1e9, events, rss[0], rss[1]))
    print(String(format: "  a simulated day: alarms %.2f s (target: well under 3 s of the 30 s budget: %.2f× of 3 s); the model without alarms %.0f s\n",
                 cost / Double(hours) * 24, cost / Double(hours) * 24 / 3, best[0] / Double(hours) * 24))
}
