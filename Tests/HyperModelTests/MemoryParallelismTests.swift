import Testing
@testable import HyperModel

@Suite("Parallel memory ticks")
struct MemoryParallelismTests {
    /// Memory ticks of independent hosts run on worker threads; each host buffers its
    /// events and the clock appends them in host order, so the log, every VM's reclaimed
    /// memory and the sampled series are the same with 1 or 4 threads. Two hosts share a
    /// datastore (serial ticks), the rest have their own (parallel ticks).
    func outcome(threads: Int) throws -> (log: String, reclaimed: [Int64], consumed: [Double]) {
        let dc = world(seed: 11)
        dc.parallelism = threads
        let shared = try dc.addDatastore(name: "shared", capacity: 2048 * GiB, kind: .ssd)
        var vms: [VM] = []
        for h in 0..<18 {
            let ds = h < 2 ? shared : try dc.addDatastore(name: "ds\(h)", capacity: 512 * GiB, kind: .ssd)
            let host = try dc.addHost(HostSpec(name: "h\(h)", cpus: 8, mhz: 2400, memory: 24 * GiB, datastores: [ds]))
            for v in 0..<4 {
                let vm = try host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 1, memory: 8 * GiB,
                                                  guest: v == 3 ? "windows" : "linux", tools: v != 2))
                try vm.powerOn()
                try vm.run(MemoryWorkload(size: 7 * GiB, active: Int64(1 + v) * GiB,
                                          rate: Double(64 * MiB) * Double(1 + h % 3), zero: 0.1))
                vms.append(vm)
            }
        }
        try dc.run(for: .seconds(Int64(300)))
        let reclaimed = vms.map { $0.ballooned + $0.compressed + $0.swapped + $0.shared }
        let consumed = vms.flatMap { $0.metrics.series["memory.consumed"]!.values }
        return (dc.log.digest, reclaimed, consumed)
    }

    @Test func sameMemoryResultsWithAnyNumberOfThreads() throws {
        let one = try outcome(threads: 1)
        let four = try outcome(threads: 4)
        #expect(one.reclaimed.contains { $0 > 0 })
        #expect(one.log == four.log)
        #expect(one.reclaimed == four.reclaimed)
        #expect(one.consumed == four.consumed)
    }
}
