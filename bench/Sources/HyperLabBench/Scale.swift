// Benchmark 14 (issue 17): the cost of the model as it grows. Each size runs in a process
// of its own (`HyperLabBench scale WHAT N [THREADS]`), so its peak RSS is its own; bench/run.sh
// runs them in turn and prints each against the smallest, per VM-hour.
import Foundation
import HyperModel

/// Resident memory now, in bytes (/proc/self/statm; 0 where it cannot be read).
func residentBytes() -> Int64 {
    guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = s.split(separator: " ")
    guard fields.count > 1, let pages = Int64(fields[1]) else { return 0 }
    return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// One line per run: what, hosts, VMs, set-up and run CPU seconds of the thread, peak RSS,
/// microseconds of run per VM-hour, and what was done.
func printScale(_ what: String, hosts: Int, vms: Int, setup: Double, run: Double, threads: Int, done: String) {
    print(String(format: "%@ hosts=%d vms=%d threads=%d setup=%.2f s run=%.2f s peak=%.0f MiB per-vm-hour=%.1f µs %@",
                 what as NSString, hosts, vms, threads, setup, run, peakRSSMiB(), run / Double(vms) * 1e6, done as NSString))
}

/// The estimate the run was checked against before it started (Kernel/MemoryEstimate.swift).
func estimated(_ e: MemoryEstimate) -> String {
    String(format: "estimate=%.0f–%.0f MiB", Double(e.atLeast) / 1048576, Double(e.total) / 1048576)
}

/// `scale fair N [THREADS]`: benchmark 3's scenario on N hosts (10 VMs each), one hour,
/// statistics level 1, timed by CPU time (one thread) or wall time (more).
func scaleFair(hosts: Int, threads: Int) {
    let t0 = threadCPU()
    let (dc, loads) = fairScenario(hosts: hosts, sampled: true)
    dc.parallelism = threads
    let setup = threadCPU() - t0
    let e = dc.memoryEstimate(until: dc.now + .seconds(Int64(3600)))
    let w0 = wallClock(), c0 = threadCPU()
    try! dc.run(for: .seconds(Int64(3600)))
    let run = threads > 1 ? wallClock() - w0 : threadCPU() - c0
    printScale("fair", hosts: hosts, vms: hosts * 10, setup: setup, run: run, threads: threads,
               done: "chunks=\(loads.reduce(0) { $0 + $1.completed }) \(estimated(e))")
}

/// `scale esx N [THREADS]`: benchmark 4's scenario (20 VMs a host, mixed duty, 50 ms quanta).
func scaleESX(hosts: Int, threads: Int) {
    let t0 = threadCPU()
    let dc = esxScenario(hosts: hosts, threads: threads)
    let setup = threadCPU() - t0
    let w0 = wallClock(), c0 = threadCPU()
    try! dc.run(for: .seconds(Int64(3600)))
    let run = threads > 1 ? wallClock() - w0 : threadCPU() - c0
    printScale("esx", hosts: hosts, vms: hosts * 20, setup: setup, run: run, threads: threads, done: "events=\(dc.sim.eventsRun)")
}

/// `scale memory N [THREADS]`: benchmark 6's pressure with 20 VMs of 8 GiB a host (every
/// VM allocating 6 GiB, 2 GiB active, on hosts of 85 GiB: sharing, balloons, compression
/// and swap at work), one hour — 5,000 hosts make the issue's 100,000 VMs. Wall time of
/// the run (on one thread, its CPU time on a quiet machine).
func scaleMemory(hosts: Int, threads: Int) {
    let r = memoryPressure(vmSize: 8, hosts: hosts, threads: threads, perHost: 20)
    printScale("memory", hosts: hosts, vms: hosts * 20, setup: r.setup, run: r.seconds, threads: threads, done: r.summary)
}

/// `scale idle N [log]`: N powered-on VMs with nothing running, statistics level 0 (no series),
/// 100 a host: what the model keeps per VM, from resident memory before and after.
func scaleIdle(vms: Int, keepLog: Bool) {
    let dc = Datacenter(seed: 1)
    try! dc.setStatisticsLevel(0)
    // the event log keeps its first 200,000 events (a create and a power-on per VM here):
    // not model state, so left out unless asked for
    if !keepLog { dc.log.retainLimit = 0 }
    let before = residentBytes(), heap0 = heapBytes()
    var made: [VM] = []
    made.reserveCapacity(vms)
    var hosts: [HyperModel.Host] = []
    for h in 0..<(vms / 100) {
        hosts.append(try! dc.addHost(HostSpec(name: "h\(h)", cpus: 32, mhz: 2400, memory: 512 * Units.GiB), scheduler: .fair))
    }
    let heap1 = heapBytes()
    for (h, host) in hosts.enumerated() {
        for v in 0..<100 { made.append(try! host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: 4 * Units.GiB))) }
    }
    let heap2 = heapBytes()
    for vm in made { try! vm.powerOn() }
    let heap3 = heapBytes()
    let minutes = Int64(ProcessInfo.processInfo.environment["IDLE_MINUTES"] ?? "1") ?? 1
    try! dc.run(for: .seconds(60 * minutes))
    let heap4 = heapBytes()
    let per = Double(residentBytes() - before) / Double(vms)
    let n = Double(vms)
    print(String(format: "idle%@ vms=%d hosts=%d state per VM %.0f bytes resident (%.2f× the 4 KB target), peak=%.0f MiB; resident per VM: hosts %.0f, created %.0f, powered on %.0f, a minute run %.0f, total %.0f bytes",
                 keepLog ? " (event log kept)" : "", vms, vms / 100, per, per / 4096, peakRSSMiB(), Double(heap1 - heap0) / n, Double(heap2 - heap1) / n,
                 Double(heap3 - heap2) / n, Double(heap4 - heap3) / n, Double(heap4 - heap0) / n))
}

/// Resident bytes now, the measure of each stage (the heap's own counters are not
/// importable from Swift on Linux).
func heapBytes() -> Int64 { residentBytes() }

/// `scale sizes`: the heap block of each object a VM is made of (glibc's
/// malloc_usable_size), to see where an idle VM's bytes go.
func printVMObjectSizes() {
    typealias Usable = @convention(c) (UnsafeMutableRawPointer?) -> Int
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_usable_size") else { return }
    let usable = unsafeBitCast(sym, to: Usable.self)
    func size(_ o: AnyObject) -> Int { usable(Unmanaged.passUnretained(o).toOpaque()) }
    let dc = Datacenter(seed: 1)
    try! dc.setStatisticsLevel(0)
    let host = try! dc.addHost(HostSpec(name: "h0", cpus: 32, mhz: 2400, memory: 512 * Units.GiB), scheduler: .fair)
    let vm = try! host.createVM(VMSpec(name: "h0v0", vcpus: 2, memory: 4 * Units.GiB))
    try! vm.powerOn()
    try! dc.run(for: .seconds(Int64(60)))
    print("VM \(size(vm)), GuestMemory \(size(vm.guest)), VMMetrics \(size(vm.metrics)), SeriesSet \(size(vm.metrics.series)); VMSpec \(MemoryLayout<VMSpec>.size), GuestImage \(MemoryLayout<GuestImage>.size) bytes inline")
}
