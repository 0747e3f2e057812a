// Benchmarks of HyperLab, printed as ratios against a baseline. Not timed tests: run
// them with `make bench` (release build) and record the figures in bench/README.md.
import Foundation
import HyperModel
import LabGrading
import LabRuntime

func wallClock() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Best of `repeats` runs of `body`, in seconds.
func best(_ repeats: Int, _ body: () -> Void) -> Double {
    var b = Double.infinity
    for _ in 0..<repeats {
        let t0 = wallClock()
        body()
        b = min(b, wallClock() - t0)
    }
    return b
}

func runScript(_ source: String) -> LabRunResult {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hyperlab-bench-\(getpid()).lua").path
    try! source.write(toFile: path, atomically: true, encoding: .utf8)
    let lab = try! LabLocation(path)
    let run = LabRunner.runHere(lab, options: LabRunner.options(for: lab, submission: nil, seed: nil, params: [:])).run
    if let e = run.scriptError { fatalError("benchmark script failed: \(e)") }
    return run
}

func onBigStack(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let t = Thread {
        body()
        done.signal()
    }
    t.stackSize = LabRunner.stackSize
    t.start()
    done.wait()
}

/// `HyperLabBench simgrid N`: the fair scenario on N hosts, as bench/peers/simgrid_vms.cpp
/// runs it: prints "N chunks wall-seconds" (no metrics are sampled, as SimGrid keeps none).
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "simgrid", let hosts = Int(CommandLine.arguments[2]) {
    let (dc, loads) = fairScenario(hosts: hosts, sampled: false)
    let t0 = wallClock()
    try! dc.run(for: .seconds(Int64(3600)))
    let t = wallClock() - t0
    print(String(format: "%d %lld %.3f", hosts, loads.reduce(0) { $0 + $1.completed }, t))
    exit(0)
}

/// `HyperLabBench drs`: the DRS pass alone.
if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "drs" {
    let r = drsBench()
    print(String(format: "CPU time: manual %.2f ms, fully %.2f ms (%d vMotions started), imbalance %.3f → %.3f planned", r.manual * 1000, r.fully * 1000, r.moves, r.imbalance, r.after))
    exit(0)
}

/// `HyperLabBench datacenter [CLUSTERS [SAMPLE_SECONDS [off]]]`: benchmark 11 alone
/// (default 32 clusters, 20 s samples, default alarms; "off" runs without alarms).
if (2...5).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "datacenter" {
    let a = CommandLine.arguments
    let n = a.count >= 3 ? Int(a[2]) ?? 32 : 32
    let sample = a.count >= 4 ? Int64(a[3]) ?? 20 : 20
    let alarms = a.count < 5 || a[4] != "off"
    printDatacenterDay(datacenterDay(clusters: n, sample: sample, alarms: alarms), clusters: n, sample: sample, alarms: alarms)
    exit(0)
}

/// `HyperLabBench containers [NODES [PER_NODE]]`: benchmark 12 alone (default 100 × 100).
if (2...4).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "containers" {
    let n = CommandLine.arguments.dropFirst(2).compactMap { Int($0) }
    printContainerBench(nodes: n.first ?? 100, perNode: n.count > 1 ? n[1] : 100)
    exit(0)
}

/// `HyperLabBench vdi [SCHEDULER [THREADS]]`: benchmark 13 alone (default the fair
/// scheduler, one thread).
if (2...4).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "vdi" {
    let a = CommandLine.arguments
    let kind = a.count >= 3 ? SchedulerKind(rawValue: a[2]) ?? .fair : .fair
    let threads = a.count == 4 ? max(1, Int(a[3]) ?? 1) : 1
    printVDIMorning(vdiMorning(scheduler: kind, threads: threads), scheduler: kind, threads: threads)
    exit(0)
}

/// `HyperLabBench storage`: the storage scenario alone.
if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "storage" {
    let r = storageRun()
    print(String(format: "%.2f s, %@ written, %d paused", r.seconds, Units.formatBytes(r.written) as NSString, r.paused))
    exit(0)
}

/// `HyperLabBench memory HOSTS GIB [THREADS]`: the memory-pressure scenario alone, for profiling.
if (4...5).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "memory",
   let hosts = Int(CommandLine.arguments[2]), let size = Int64(CommandLine.arguments[3]) {
    let threads = CommandLine.arguments.count == 5 ? Int(CommandLine.arguments[4]) : nil
    let r = memoryPressure(vmSize: size, hosts: hosts, threads: threads)
    print(String(format: "%.2f s, %.0f MiB, %.0f host-seconds/s; %@", r.seconds, r.rssMiB, r.hostSecondsPerSecond, r.summary))
    exit(0)
}

/// `HyperLabBench scale fair|esx|memory N [THREADS]`, `scale idle VMS`: benchmark 14, one
/// size in this process (Scale.swift).
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "scale", CommandLine.arguments[2] == "sizes" {
    printVMObjectSizes()
    exit(0)
}
if CommandLine.arguments.count >= 2, CommandLine.arguments[1] == "scale",
   !(4...5).contains(CommandLine.arguments.count) || Int(CommandLine.arguments[3]) == nil {
    print("scale fair|esx|memory HOSTS [THREADS], scale idle VMS [log], or scale sizes")
    exit(2)
}
if (4...5).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "scale", let n = Int(CommandLine.arguments[3]) {
    let threads = CommandLine.arguments.count == 5 ? Int(CommandLine.arguments[4]) ?? 1 : 1
    switch CommandLine.arguments[2] {
    case "fair": scaleFair(hosts: n, threads: threads)
    case "esx": scaleESX(hosts: n, threads: threads)
    case "memory": scaleMemory(hosts: n, threads: threads)
    case "idle": scaleIdle(vms: n, keepLog: CommandLine.arguments.count == 5 && CommandLine.arguments[4] == "log")
    default: print("scale fair|esx|memory HOSTS [THREADS], or scale idle VMS"); exit(2)
    }
    exit(0)
}

/// `HyperLabBench fuzz [CALLS] [SEED]`: the API fuzz test's script, longer (default
/// 100,000 calls, seed 1): prints its summary; exits 1 if a failure was not a Lua error.
if (2...4).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "fuzz" {
    let calls = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 100_000 : 100_000
    let seed = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 1 : 1
    let script = try! APIFuzz.script(calls: calls, seed: seed)
    final class Box: @unchecked Sendable { var run: LabRunResult? }
    let box = Box()
    let t0 = wallClock()
    onBigStack { box.run = runScript(script) }
    let run = box.run!
    for line in run.output.split(separator: "\n") where line.hasPrefix("fuzz:") || line.hasPrefix("bad:") { print(line) }
    print(String(format: "%.1f s", wallClock() - t0))
    exit(run.checks.allSatisfy { $0.status == .passed } ? 0 : 1)
}

/// `HyperLabBench count WHAT ...`: one run of one benchmark, scaled and not repeated, for
/// counting instructions under valgrind (Counted.swift).
if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "count" {
    exit(countedRun(Array(CommandLine.arguments.dropFirst(2))) ? 0 : 2)
}

/// `HyperLabBench alarms [CLUSTERS HOSTS VMS HOURS [on|off]]`: the alarm scenario alone
/// (default 32 × 32 × 20 for 1 h), without and with the default alarms; with on or off,
/// one run in this process (what the comparison runs in its own processes).
if (2...7).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "alarms" {
    let n = CommandLine.arguments.dropFirst(2).compactMap { Int($0) }
    let (c, h, v, hours) = (n.count > 0 ? n[0] : 32, n.count > 1 ? n[1] : 32, n.count > 2 ? n[2] : 20, n.count > 3 ? n[3] : 1)
    if CommandLine.arguments.count == 7 {
        print(alarmRunHere(clusters: c, hosts: h, vms: v, hours: hours, alarms: CommandLine.arguments[6] == "on"))
    } else {
        printAlarmRun(clusters: c, hosts: h, vms: v, hours: hours)
    }
    exit(0)
}

let args = CommandLine.arguments.dropFirst()
let root = args.first ?? "."
/// Runs only the benchmarks whose number is given after the root (all when none).
let only = Set(args.dropFirst().compactMap { Int($0) })
func wanted(_ n: Int) -> Bool { only.isEmpty || only.contains(n) }

print("HyperLab benchmarks (\(Engine.description), best of several runs)\n")

onBigStack {
    if wanted(1) {
    // 1. Reading a model property from Lua, against reading the same path in a plain table.
    let n = 2_000_000
    let setup = readSetup
    let empty = best(5) { _ = runScript(setup + "for i = 1, \(n) do x = i end") }
    let table = best(5) { _ = runScript(setup + "for i = 1, \(n) do x = t.memory.consumed end") }
    let object = best(5) { _ = runScript(setup + "for i = 1, \(n) do x = vm.memory.consumed end") }
    let perObject = (object - empty) / Double(n) * 1e9
    let perTable = (table - empty) / Double(n) * 1e9
    print("Lua read of vm.memory.consumed")
    print(String(format: "  %.0f ns per read; a plain table read t.memory.consumed: %.1f ns (ratio %.1f×); target 500 ns (%.2f× of it)\n",
                 perObject, perTable, perObject / perTable, perObject / 500))

    }
    if wanted(2) {
    // 2. `hyperlab run` of each lab, in process, against the 150 ms budget.
    print("Running the labs (in process, solution)")
    let labs = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/labs").sorted()) ?? []
    for name in labs {
        guard let lab = try? LabLocation("\(root)/labs/\(name)") else { continue }
        let options = LabRunner.options(for: lab, submission: nil, seed: nil, params: [:])
        let t = best(5) { _ = LabRunner.runHere(lab, options: options) }
        print(String(format: "  %-22@ %6.1f ms  (%.2f× the 150 ms budget)", name as NSString, t * 1000, t / 0.150))
    }
    print("")

    }
    // 3. fair mode: 1000 hosts × 10 VMs × 2 vCPUs × 4 batch threads, random chunks, one hour.
    if wanted(3) || wanted(5) {
        let (dc, loads) = fairScenario(hosts: 1000, sampled: wanted(3))  // 5: without sampling
        let t0 = wallClock()
        try! dc.run(for: .seconds(Int64(3600)))
        let t = wallClock() - t0
        let chunks = loads.reduce(0) { $0 + $1.completed }
        print("fair scheduler, 1000 hosts × 10 VMs × 2 vCPUs × 4 batch threads, one simulated hour")
        print(String(format: "  %.2f s wall, %d chunks completed, %.0f events/s (target < 10 s: %.2f× of it)\n",
                     t, chunks, Double(dc.sim.eventsRun) / t, t / 10))
    }

    // 4. The scheduler kernel: 100 hosts × 20 VMs (2 vCPUs, mixed loads), one simulated hour.
    if wanted(4) {
    let dc = esxScenario(hosts: 100, threads: ProcessInfo.processInfo.activeProcessorCount)
    let t0 = wallClock()
    try! dc.run(for: .seconds(Int64(3600)))
    let t = wallClock() - t0
    let quanta = 100.0 * 3600 / 0.05
    print("esx scheduler, 100 hosts × 20 VMs × 2 vCPUs, one simulated hour (quantum 50 ms, \(dc.parallelism) threads)")
    print(String(format: "  %.2f s wall, %.0f host-quanta/s, %.0f× faster than real time (target < 10 s: %.2f× of it)\n",
                 t, quanta / t, 3600 / t, t / 10))
    }

    // 7. Storage: 1,000 VMs on 20 datastores writing for an hour.
    if wanted(7) {
        let r = storageRun()
        print("storage, 1,000 VMs on 20 datastores (thin, lazy, eager; snapshots on a tenth) writing for one simulated hour")
        print(String(format: "  %.2f s wall, %@ written, %d VMs paused on full datastores (target < 10 s: %.2f×)\n",
                     r.seconds, Units.formatBytes(r.written) as NSString, r.paused, r.seconds / 10))
    }

    // 8. Resource pools: one solve of a 64-host × 2,000-VM cluster's nested pool tree.
    if wanted(8) {
        let r = poolSolve()
        print("resource pools, 64 hosts × 2,000 VMs in a cluster, \(r.pools) nested pools (4 × 4 × 2, VMs in the leaves and at the root)")
        print(String(format: "  one entitlement solve (CPU and memory, delivery included): %.1f µs best, %.1f µs mean of %d; setup and first hour %.2f s (target well under 1 ms: %.2f× of it)\n",
                     r.best * 1e6, r.mean * 1e6, r.runs, r.setup, r.best / 1e-3))
    }

    // 9. One DRS pass over 64 hosts and 2,000 VMs.
    if wanted(9) {
        let r = drsBench()
        print("DRS pass, 64 hosts × 2,000 VMs (loads 0.2–0.9)")
        print(String(format: "  CPU time: plan and recommendations (manual) %.2f ms, plan and vMotions started (fully, %d moves) %.2f ms; imbalance %.3f → %.3f (target < 20 ms: %.2f×)\n",
                     r.manual * 1000, r.moves, r.fully * 1000, r.imbalance, r.after, max(r.manual, r.fully) / 0.020))
    }

    // 10. Alarms at the issue's scale: 32 clusters × 32 hosts × 20 VMs, default alarms, 1 h
    // (a day of the model alone takes minutes; the alarms' cost per sample is what counts).
    if wanted(10) {
        printAlarmRun(clusters: 32, hosts: 32, vms: 20, hours: 1)
    }

    // 11. 32 clusters × 32 hosts × 20 VMs with DRS, DPM and the default alarms for one simulated day.
    if wanted(11) {
        printDatacenterDay(datacenterDay(), clusters: 32)
    }

    // 12. 10,000 containers on 100 Linux nodes with mixed CPU and memory limits, one simulated hour.
    if wanted(12) {
        printContainerBench()
    }

    // 13. A 2,000-desktop boot storm on 20 hosts for one simulated morning (issue 15).
    if wanted(13) {
        printVDIMorning(vdiMorning(scheduler: .fair), scheduler: .fair)
        fflush(nil)
    }

    // 6. Memory under sustained pressure: 100 hosts × 30 VMs × 8 GiB on 128 GiB each, all
    // reclaimers active, one simulated hour; then the same with 64 GiB VMs.
    if wanted(6) {
        let small = memoryPressure(vmSize: 8)
        print("memory pressure, 100 hosts × 30 VMs × 8 GiB (host 128 GiB: sharing, balloons, compression, swap), one simulated hour")
        print(String(format: "  %.2f s wall, %.0f host-seconds simulated per second, peak RSS %.0f MiB (targets < 10 s: %.2f×, < 1 GiB: %.2f×)",
                     small.seconds, small.hostSecondsPerSecond, small.rssMiB, small.seconds / 10, small.rssMiB / 1024))
        print("  reclaimed at the end: \(small.summary)")
        fflush(nil)
        let big = memoryPressure(vmSize: 64)
        print(String(format: "  the same with 64 GiB VMs on 1 TiB hosts: %.2f s wall (%.2f× the 8 GiB run), peak RSS %.0f MiB\n",
                     big.seconds, big.seconds / small.seconds, big.rssMiB))
    }
}

/// The esx scenario (benchmark 4): `hosts` × 20 VMs × 2 vCPUs with mixed loads, stepped
/// on `threads` threads.
func esxScenario(hosts: Int, threads: Int) -> Datacenter {
    let dc = Datacenter(seed: 1)
    dc.parallelism = threads
    for h in 0..<hosts {
        let host = try! dc.addHost(HostSpec(name: "h\(h)", cpus: 16, mhz: 2400, memory: 256 * Units.GiB))
        for v in 0..<20 {
            let vm = try! host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: 4 * Units.GiB))
            try! vm.powerOn()
            try! vm.run(CPUWorkload(threads: 2, load: [1.0, 0.5, 0.3, 0.1][v % 4]))
        }
    }
    return dc
}

/// The fair-mode scenario (benchmarks 3 and 5, and the SimGrid comparison): `hosts` × 10
/// VMs × 2 vCPUs × 4 batch threads with chunks of 10 Gcycles ± 50 %, statistics level 1
/// (per-VM series, vCenter's default), sampled or not.
func fairScenario(hosts: Int, sampled: Bool) -> (Datacenter, [BatchWorkload]) {
    let dc = Datacenter(seed: 1)
    try! dc.setStatisticsLevel(1)
    if !sampled { try! dc.setSampleInterval(.seconds(Int64(86_400))) }
    var loads: [BatchWorkload] = []
    for h in 0..<hosts {
        let host = try! dc.addHost(HostSpec(name: "h\(h)", cpus: 8, mhz: 2400, memory: 256 * Units.GiB), scheduler: .fair)
        for v in 0..<10 {
            let vm = try! host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: 4 * Units.GiB))
            try! vm.powerOn()
            let w = try! BatchWorkload(threads: 4, work: 1e10, spread: 0.5)
            try! vm.run(w)
            loads.append(w)
        }
    }
    return (dc, loads)
}

/// 1,000 VMs on 20 datastores writing for an hour: thin, lazy- and eager-zeroed disks,
/// snapshots on a tenth of the VMs, bandwidth shared on every datastore.
func storageRun(vms count: Int = 1000, datastores: Int = 20) -> (seconds: Double, written: Int64, paused: Int) {
    let GiB = Units.GiB
    let dc = Datacenter(seed: 1)
    try! dc.setStatisticsLevel(1)
    let stores = (0..<datastores).map { i in
        try! dc.addDatastore(name: "ds\(i)", capacity: 4096 * GiB, kind: [DatastoreKind.san, .ssd, .hdd, .nfs][i % 4])
    }
    var vms: [VM] = []
    var loads: [DiskWorkload] = []
    let perHost = 20
    for h in 0..<(count / perHost) {
        let ds = stores[h % datastores]
        let host = try! dc.addHost(HostSpec(name: "h\(h)", cpus: 32, mhz: 2400, memory: 256 * GiB, datastores: [ds]))
        for v in 0..<perHost {
            let kind: Provisioning = ds.kind == .nfs ? .thin : [Provisioning.thin, .thickLazy, .thickEager][v % 3]
            var spec = VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: 4 * GiB, mem: MemoryAllocation(reservation: 4 * GiB))
            spec.disks = [DiskSpec(size: (kind == .thickEager ? 4 : 40) * GiB, provisioning: kind)]
            vms.append(try! host.createVM(spec))
        }
    }
    let t0 = wallClock()
    try! dc.run(for: .seconds(Int64(1200)))   // eager-zeroed disks are zeroed first (HDD: ~12 min)
    for (i, vm) in vms.enumerated() {
        try! vm.powerOn()
        let w = try! DiskWorkload(write: 200 * GiB, rate: 50 * Double(Units.MiB), rewrite: i % 2 == 1)
        try! vm.run(w)
        loads.append(w)
        if i % 10 == 0 { try! vm.snapshot("nightly") }
    }
    try! dc.run(for: .seconds(Int64(2400)))
    let t = wallClock() - t0
    return (t, loads.reduce(0) { $0 + $1.written }, vms.filter { $0.state == .paused }.count)
}

/// Runs the memory-pressure scenario with VMs of `vmSize` GiB (hosts scale with them).
func memoryPressure(vmSize: Int64, hosts: Int = 100, threads: Int? = nil, perHost: Int = 30) -> (seconds: Double, hostSecondsPerSecond: Double, rssMiB: Double, summary: String, setup: Double) {
    let GiB = Units.GiB
    let c0 = threadCPU()
    let dc = Datacenter(seed: 1)
    try! dc.setStatisticsLevel(1)
    dc.parallelism = threads ?? ProcessInfo.processInfo.activeProcessorCount
    var vms: [VM] = []
    for h in 0..<hosts {
        let ds = try! dc.addDatastore(name: "ds\(h)", capacity: 40 * vmSize * GiB, kind: .san)
        // 16 VMs' worth of memory for 30 VMs (fewer VMs, the same pressure)
        let host = try! dc.addHost(HostSpec(name: "h\(h)", cpus: 32, mhz: 2400, memory: (16 * Int64(perHost) + 29) / 30 * vmSize * GiB, datastores: [ds]))
        for v in 0..<perHost {
            // every tenth VM has no balloon driver; every fifth runs Windows (zeroes memory at boot)
            let vm = try! host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: vmSize * GiB,
                                               guest: v % 5 == 0 ? "windows-2022" : "ubuntu-22.04", tools: v % 10 != 3))
            try! vm.powerOn()
            try! vm.run(MemoryWorkload(size: vmSize * GiB * 3 / 4, active: vmSize * GiB / 4,
                                       rate: Double(vmSize * GiB) / 600, zero: 0.1))
            vms.append(vm)
        }
    }
    let setup = threadCPU() - c0
    let t0 = wallClock()
    try! dc.run(for: .seconds(Int64(3600)))
    let t = wallClock() - t0
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let total = { (f: (VM) -> Int64) in Units.formatBytes(vms.reduce(0) { $0 + f($1) }) }
    let summary = "shared \(total { $0.shared }), ballooned \(total { $0.ballooned }), compressed \(total { $0.compressed }), swapped \(total { $0.swapped })"
    return (t, Double(hosts) * 3600 / t, Double(usage.ru_maxrss) / 1024, summary, setup)
}

/// Benchmark 8: a 64-host cluster (16 pCPUs × 2.4 GHz, 256 GiB each) with 2,000 VMs of 2
/// vCPUs; a tree of 4 departments × 4 teams × 2 apps (32 leaf pools, mixed shares,
/// reservations and limits), 1,900 VMs spread over the leaves and 100 at the root, mixed
/// CPU loads; after an hour's samples (so demands are real), the solve DRS would call at
/// each pass is timed alone.
func poolSolve() -> (best: Double, mean: Double, runs: Int, setup: Double, pools: Int) {
    let t0 = wallClock()
    let dc = Datacenter(seed: 1)
    let hosts = (0..<64).map { try! dc.addHost(HostSpec(name: "h\($0)", cpus: 16, mhz: 2400, memory: 256 * Units.GiB), scheduler: .fair) }
    let c = try! dc.addCluster(name: "big", hosts: hosts)
    let levels: [Shares] = [.high, .normal, .low, .custom(3000)]
    var leaves: [ResourcePool] = []
    for d in 0..<4 {
        let dept = try! c.root.createPool(name: "dept\(d)", cpu: PoolCPUSettings(shares: levels[d], reservationMHz: 10_000))
        for t in 0..<4 {
            let team = try! dept.createPool(name: "team\(t)", cpu: PoolCPUSettings(shares: levels[(d + t) % 4], limitMHz: t == 3 ? 40_000 : nil))
            for a in 0..<2 { leaves.append(try! team.createPool(name: "app\(a)", cpu: PoolCPUSettings(shares: levels[a]))) }
        }
    }
    for i in 0..<2000 {
        var spec = VMSpec(name: "vm\(i)", vcpus: 2, memory: 4 * Units.GiB)
        spec.pool = i < 1900 ? leaves[i % leaves.count] : nil
        let vm = try! hosts[i % 64].createVM(spec)
        try! vm.powerOn()
        try! vm.run(CPUWorkload(threads: 2, load: [1.0, 0.5, 0.3, 0.1][i % 4]))
    }
    try! dc.run(for: .seconds(Int64(3600)))
    let setup = wallClock() - t0
    let runs = 2000
    var bestTime = Double.infinity, total = 0.0
    for _ in 0..<runs {
        let s = wallClock()
        c.root.solveEntitlements()
        let d = wallClock() - s
        bestTime = min(bestTime, d)
        total += d
    }
    return (bestTime, total / Double(runs), runs, setup, 4 + 16 + 32)
}
