import Foundation
import HyperModel

/// Benchmark 12 (issue 15): 10,000 containers on 100 Linux nodes (32 CPUs, 128 GiB, 2 GiB
/// swap each) with mixed CPU and memory limits for one simulated hour. Every container
/// has, from the seed: a weight (cpu.weight 25–400) and, for half of them, a quota (--cpus
/// 0.25–2); a memory limit of 256 MiB–2 GiB for three in four, memory.high at 75 % of it
/// for one in four of those, no swap for one in three; a CPU workload of 1–4 threads at
/// 10–100 % duty and a memory workload of up to 1.2 × its limit (so some swap, some are
/// throttled above memory.high, some are OOM-killed). Every 5 simulated minutes a tenth
/// of the live containers stop their CPU workload and start another, and a new container
/// replaces each one that was OOM-killed — each change re-shares its node's CPUs. Timed
/// in CPU time of the thread; the summary checks behaviour 66's exact counters on a
/// quota-bound container (nr_throttled = nr_periods, throttled_usec per period).
func containerBench(nodes: Int = 100, perNode: Int = 100) -> (cpu: Double, summary: String) {
    let t0 = threadCPU()
    let dc = Datacenter(seed: 1)
    var r = SimRandom(seed: 12)
    let image = try! dc.addImage(name: "app", layers: [try! ImageLayer(size: 80 * Units.MiB), try! ImageLayer(size: 40 * Units.MiB)],
                                 workingSet: 16 * Units.MiB)
    var kernels: [HyperModel.Host] = []
    for n in 0..<nodes {
        var spec = HostSpec(name: "node\(n)", cpus: 32, mhz: 2400, memory: 128 * Units.GiB)
        spec.hypervisor = .none
        kernels.append(try! dc.addHost(spec))
    }
    var made = 0
    func start(on node: HyperModel.Host) -> Container {
        var d = DockerOptions()
        d.cpuWeight = 25 + Int(r.next(below: 376))
        if r.next(below: 2) == 0 { d.cpus = 0.25 * Double(1 + r.next(below: 8)) }
        var limit: Int64?
        if r.next(below: 4) != 0 {
            let l = Int64(256 + r.next(below: 1793)) * Units.MiB
            limit = l
            d.memory = l
            if r.next(below: 4) == 0 { d.memoryHigh = l * 3 / 4 }
            if r.next(below: 3) == 0 { d.memorySwap = l }
        }
        let k = try! node.runContainer(name: "k\(made)", image: image, options: d)
        made += 1
        try! k.run(try! CPUWorkload(threads: 1 + Int(r.next(below: 4)), load: 0.1 + 0.9 * Double(r.next(below: 1000)) / 1000))
        let size = Int64(Double(limit ?? 1 * Units.GiB) * (0.2 + Double(r.next(below: 1000)) / 1000))
        try! k.run(try! MemoryWorkload(size: max(Units.MiB, size), rate: Double(64 * Units.MiB)))
        return k
    }
    var live: [Container] = []
    for node in kernels { for _ in 0..<perNode { live.append(start(on: node)) } }
    // a container to check behaviour 66 on: one busy thread under cpu.max 50000 100000,
    // on a node of its own (idle otherwise, as the behaviour asks)
    var probeNode = HostSpec(name: "probe", cpus: 8, mhz: 2400, memory: 16 * Units.GiB)
    probeNode.hypervisor = .none
    var probe = DockerOptions()
    probe.cpuMax = "50000 100000"
    let q = try! dc.addHost(probeNode).runContainer(name: "probe", image: image, options: probe)
    try! q.run(try! CPUWorkload(threads: 1, load: 1))
    var changes = 0, replaced = 0
    for _ in 0..<12 {
        try! dc.run(for: .seconds(Int64(300)))
        for i in live.indices {
            let k = live[i]
            if k.state == .oomKilled {
                live[i] = start(on: k.kernel.host)
                replaced += 1
            } else if k.state == .running, r.next(below: 10) == 0, let w = k.workloads.first(where: { $0 is CPUWorkload && $0.stopped == nil }) {
                try! k.stop(w)
                try! k.run(try! CPUWorkload(threads: 1 + Int(r.next(below: 4)), load: 0.1 + 0.9 * Double(r.next(below: 1000)) / 1000))
                changes += 1
            }
        }
    }
    let cpu = threadCPU() - t0
    let all = dc.hosts.flatMap { $0.kernel!.containers }
    let killed = all.filter { $0.state == .oomKilled }.count
    let swapped = all.filter { $0.swapUsage > 0 }.count
    let high = all.reduce(Int64(0)) { $0 + $1.memoryEventsNow.high }
    let throttled = all.reduce(Int64(0)) { $0 + $1.stat.nrThrottled }
    let s = q.stat
    let periods = (dc.now - q.startTime!).micros / 100_000
    let exact = s.nrPeriods == periods && s.nrThrottled == periods && s.throttledUsec == 50_000 * periods
    let summary = "\(all.count) containers made (\(replaced) replacing OOM-killed ones, 1 probe), \(changes) workload changes, \(dc.sim.eventsRun) events; \(killed) OOM-killed in all, at the end \(swapped) swapping, memory.events high Σ \(high), nr_throttled Σ \(throttled); probe cpu.max 50000 100000: nr_periods \(s.nrPeriods), nr_throttled \(s.nrThrottled), throttled_usec \(s.throttledUsec) (\(exact ? "exact" : "NOT exact"))"
    return (cpu, summary)
}

func printContainerBench(nodes: Int = 100, perNode: Int = 100) {
    let r = containerBench(nodes: nodes, perNode: perNode)
    print("containers, \(nodes) nodes × \(perNode) containers with mixed CPU and memory limits, one simulated hour")
    print(String(format: "  %.2f s CPU (target < 10 s: %.2f×)", r.cpu, r.cpu / 10))
    print("  \(r.summary)")
    fflush(nil)
}
