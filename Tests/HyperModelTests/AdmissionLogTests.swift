@testable import HyperModel
import Testing

/// The power-on event says what was unreserved before the VM, not that plus the VM's
/// own reservation (it used to add the VM's reservation twice).
@Suite("Admission summary in the event log")
struct AdmissionLogTests {
    @Test func unreservedBeforeThePowerOn() throws {
        let dc = world()
        let h = try host(dc, cpus: 4, mhz: 2000, memory: 64 * GiB)
        try vm(h, "a", cpu: CPUAllocation(reservationMHz: 1000), mem: MemoryAllocation(reservation: 2 * GiB))
        let unreservedMem = h.memory.unreserved
        try vm(h, "b", cpu: CPUAllocation(reservationMHz: 500))
        let msg = try #require(dc.log.events(kind: "vm.power", subject: "VM(b)").last?.message)
        #expect(msg.contains("CPU reservation 500 MHz (7.00 GHz was unreserved)"), "\(msg)")
        #expect(msg.contains("(\(Units.formatBytes(unreservedMem)) was unreserved)"), "\(msg)")
    }
}

/// A host built between two samples: its first cpu.used is over the time it existed
/// (it used to be divided by the whole interval since the last sample).
@Suite("A host's first sample")
struct LateHostSampleTests {
    @Test func cpuUsedOverItsLifetime() throws {
        let dc = world()
        _ = try host(dc, "early", cpus: 2)
        try dc.run(until: .seconds(Int64(10)))
        let late = try host(dc, "late", cpus: 2)
        let v = try vm(late, "busy", vcpus: 2)
        try v.run(CPUWorkload(threads: 2, load: 1))
        try dc.run(until: .seconds(Int64(20)))
        #expect(abs(late.metrics.cpuUsed - 100) < 1, "\(late.metrics.cpuUsed)")
    }
}
