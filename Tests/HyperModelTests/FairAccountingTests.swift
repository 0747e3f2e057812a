import Testing
@testable import HyperModel

/// Fair mode's counters are whole microseconds: a VM's run time is rounded once per
/// settlement, not once per vCPU, so a limit reads exactly what it is.
@Suite("Fair mode accounting")
struct FairAccountingTests {
    /// Three vCPUs sharing a 500 MHz limit on a 1 GHz host used to read 500.001 MHz at
    /// every sample: each vCPU's 166,666.67 µs per second was rounded up.
    @Test func aLimitReadsExactly() throws {
        let dc = world()
        try dc.setSampleInterval(.seconds(Int64(1)))
        let h = try host(dc, cpus: 2, mhz: 1000, scheduler: .fair)
        let a = try vm(h, "a", vcpus: 3, cpu: CPUAllocation(limitMHz: 500))
        let b = try vm(h, "b")
        try a.run(CPUWorkload(threads: 8, load: 1))
        try b.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(until: .seconds(Int64(10)))
        let used = try #require(a.metrics.series["cpu.used_mhz"]).values
        #expect(used.count >= 9)
        for v in used.dropFirst() { #expect(abs(v - 500) < 1e-9, "\(v)") }
        // and each vCPU got a third of it, to the microsecond
        let runs = (0..<3).map { a.vcpuCounters($0).run }
        #expect(runs.max()! - runs.min()! <= 1, "\(runs)")
    }
}
