import Foundation
import HyperModel

/// Benchmark 13 (issue 15): a 2,000-desktop boot storm on 20 hosts for one simulated
/// morning, under 10 s. Hosts 32 × 2.4 GHz, 512 GiB, on one SAN datastore of 40,000 IOPS;
/// a Windows template (1 vCPU, 2 GiB, 40 GiB thick); 2,000 linked clones (100 per host,
/// TPS scope "pool") provisioned at 08:00, users arriving from 09:00 over 10 minutes;
/// the clock runs to 12:00 (four simulated hours, 20 s samples, statistics level 1);
/// hosts stepped on `threads` threads at each sample (the quantum scheduler).
/// Every desktop boots, logs in and works: CPU workloads per phase, guest memory touched
/// (Windows zeroes its memory at power-on), TPS scanning, the datastore's IOPS each second.
struct VDIBenchResult {
    var seconds: Double
    var wall: Double
    var steady: Int
    var peakIOPS: Double
    var peakLatency: Double
    var peakReady: Double
    var steadyAt: Double
    var events: Int64
}

func vdiMorning(scheduler: SchedulerKind, threads: Int = 1) -> VDIBenchResult {
    let dc = Datacenter(seed: 1)
    dc.parallelism = threads
    let ds = try! dc.addDatastore(name: "vdi-san", capacity: 200 * 1024 * Units.GiB, kind: .san)
    try! dc.vdi.setIOPS(40_000, of: ds)
    let hosts = (0..<20).map { i in
        try! dc.addHost(HostSpec(name: "esx\(i)", cpus: 32, mhz: 2400, memory: 512 * Units.GiB, datastores: [ds]), scheduler: scheduler)
    }
    var spec = VMSpec(name: "gold", vcpus: 1, memory: 2 * Units.GiB, guest: "windows10")
    spec.disks = [DiskSpec(size: 40 * Units.GiB, provisioning: .thickLazy, datastore: ds)]
    let gold = try! hosts[0].createVM(spec)
    try! gold.toTemplate()
    let t0 = wallClock(), c0 = threadCPU()
    var pool = DesktopPoolSpec(name: "desk", template: gold, count: 2000, hosts: hosts, bootAt: .seconds(Int64(3600)))
    pool.stagger = .seconds(Int64(600))
    pool.tpsScope = .pool
    let p = try! dc.vdi.createPool(pool)
    _ = try! dc.run(for: .seconds(Int64(4 * 3600)))
    return VDIBenchResult(seconds: threadCPU() - c0, wall: wallClock() - t0, steady: p.count(.steady), peakIOPS: p.peakIOPS,
                          peakLatency: p.peakLatencyMs, peakReady: p.peakReady, steadyAt: p.allSteadyAt?.seconds ?? -1,
                          events: dc.sim.eventsRun)
}

func printVDIMorning(_ r: VDIBenchResult, scheduler: SchedulerKind, threads: Int = 1) {
    print(String(format: "vdi morning (%@, %d thread%@): %.2f s CPU of the main thread (%.2f s wall; %.2f× the 10 s target), %d of 2000 steady at %.0f s, peak %.0f IOPS, %.1f ms, %%RDY %.1f, %lld events",
                 scheduler.rawValue as NSString, threads, (threads == 1 ? "" : "s") as NSString, r.seconds, r.wall, r.seconds / 10, r.steady, r.steadyAt, r.peakIOPS, r.peakLatency, r.peakReady, r.events))
}
