import Testing
@testable import HyperModel

/// A VM that stops running uses no CPU from that moment: `vm.cpu.used_mhz`, `vm.cpu.run`
/// and the per-vCPU values drop at once, not at the next sample, and stay 0 while it is
/// off. Its series keep the average of the interval in which it stopped (vCenter's view
/// of that interval), then have no samples while it is off.
@Suite("Metrics of VMs that stop running")
struct StoppedVMMetricsTests {
    @Test func poweredOffVMShowsNoCPUUseAtOnce() throws {
        let dc = world()
        let h = try host(dc, cpus: 2, mhz: 2000)
        let a = try vm(h, "busy")
        let b = try vm(h, "stays-on")
        try a.run(CPUWorkload(threads: 1, load: 1))
        try b.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(70)))  // samples at 20, 40 and 60 s
        #expect(abs(a.metrics.cpu.usedMHz - 2000) < 1)
        #expect(abs(a.metrics.cpu.run - 100) < 0.01)

        try a.powerOff()
        #expect(a.metrics.cpu.usedMHz == 0)
        #expect(a.metrics.cpu.run == 0)
        #expect(a.metrics.cpu.ready == 0 && a.metrics.cpu.wait == 0)
        #expect(a.metrics.vcpu.allSatisfy { $0 == CPUSample() })
        #expect(abs(b.metrics.cpu.usedMHz - 2000) < 1, "a VM still running keeps its values")

        try dc.run(for: .seconds(Int64(10)))  // the sample at 80 s covers 60–80 s: 10 s on
        #expect(a.metrics.cpu.usedMHz == 0)
        #expect(a.metrics.cpu.run == 0)
        let used = a.metrics.series["cpu.used_mhz"]!
        #expect(used.times.last == .seconds(Int64(80)))
        #expect(abs(used.values.last! - 1000) < 1, "the series keeps the interval's average: 10 s of 20 at 2000 MHz")

        try dc.run(for: .seconds(Int64(120)))
        #expect(a.metrics.cpu.usedMHz == 0)
        #expect(used.times.last == .seconds(Int64(80)), "no samples while it is off")
        #expect(abs(b.metrics.cpu.usedMHz - 2000) < 1)
    }

    @Test func suspendedVMShowsNoCPUUseAtOnce() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 2400)
        let a = try vm(h, "web")
        try a.run(CPUWorkload(threads: 1, load: 0.5))
        try dc.run(for: .seconds(Int64(65)))
        #expect(abs(a.metrics.cpu.usedMHz - 1200) < 30)
        try a.suspend()
        #expect(a.metrics.cpu.usedMHz == 0)
        #expect(a.metrics.cpu.run == 0)
        try dc.run(for: .seconds(Int64(60)))
        #expect(a.metrics.cpu.usedMHz == 0)
        try a.resume()
        try a.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(60)))
        #expect(abs(a.metrics.cpu.usedMHz - 2400) < 1, "after resume it is measured again")
    }
}
