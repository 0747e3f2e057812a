// Single, scaled runs of the benchmarks, for counting instructions: on a shared machine
// wall time varies by ±20 % from run to run, while the instructions a run executes
// (valgrind --tool=callgrind, or perf stat -e instructions:u where the CPU counters are
// exposed) vary by well under 1 %. Nothing is repeated and nothing is timed here, so a
// count is the work of exactly one run; the same scenarios as the timed benchmarks.
import Foundation
import HyperModel

/// Runs `count WHAT ...` and prints what was done; false on a usage error.
///
///     read empty|table|object N   benchmark 1: one lab script looping N times with no
///                                 read, a plain-table read, or a read of vm.memory.consumed
///                                 (instructions per read = (object − empty) / N)
///     fair HOSTS                  benchmark 3, sampled, on HOSTS hosts (1,000 in the benchmark)
///     esx HOSTS                   benchmark 4 on HOSTS hosts (100), one thread
///     memory HOSTS GIB            benchmark 6 on HOSTS hosts (100) of GIB-GiB VMs, one thread
///     storage VMS                 benchmark 7 with VMS VMs (1,000), 20 per host
///     datacenter HOSTS            benchmark 11's day on one cluster of HOSTS hosts (32 × 32)
func countedRun(_ args: [String]) -> Bool {
    let size = args.count > 1 ? Int(args[args.count - 1]) : nil
    switch (args.first, args.count, size) {
    case ("read", 3, let n?):
        let body: String
        switch args[1] {
        case "empty": body = "x = i"
        case "table": body = "x = t.memory.consumed"
        case "object": body = "x = vm.memory.consumed"
        default: return false
        }
        onBigStack { _ = runScript(readSetup + "for i = 1, \(n) do \(body) end") }
        print("read \(args[1]) × \(n)")
    case ("fair", 2, let hosts?):
        let (dc, loads) = fairScenario(hosts: hosts, sampled: true)
        try! dc.run(for: .seconds(Int64(3600)))
        print("fair \(hosts) hosts: \(loads.reduce(0) { $0 + $1.completed }) chunks")
    case ("esx", 2, let hosts?):
        let dc = esxScenario(hosts: hosts, threads: 1)
        try! dc.run(for: .seconds(Int64(3600)))
        print("esx \(hosts) hosts: \(dc.sim.eventsRun) events")
    case ("memory", 3, let gib?):
        guard let hosts = Int(args[1]) else { return false }
        let r = memoryPressure(vmSize: Int64(gib), hosts: hosts, threads: 1)
        print("memory \(hosts) hosts × 30 VMs × \(gib) GiB: \(r.summary)")
    case ("storage", 2, let vms?):
        let r = storageRun(vms: vms)
        print("storage \(vms) VMs: \(Units.formatBytes(r.written)) written, \(r.paused) paused")
    case ("datacenter", 2, let hosts?):
        let r = datacenterDay(clusters: 1, hosts: hosts)
        print("datacenter 1 cluster × \(hosts) hosts: \(r.events) events, \(r.vMotions) vMotions, \(r.standbys) standbys, \(r.powerOns) power-ons, \(r.alarmEvents) alarm events, \(r.nightOn) / \(r.noonOn) hosts on")
    default:
        return false
    }
    return true
}

/// Benchmark 1's world: one powered-on VM with 1 GiB touched, and a plain table of the
/// same shape to compare with.
let readSetup = """
    local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }
    local vm = h:create_vm{ name = "web01", memory = "4 GiB" }
    vm:power_on()
    vm.guest:touch("1 GiB")
    local t = { memory = { consumed = 1073741824 } }
    local x = 0

    """
