import Testing
@testable import HyperModel

/// A guest application allocates at its rate while it runs: a stall (the VM suspended,
/// blocked in the low state, short of memory) does not build up a demand it then
/// satisfies in one burst — an application that could not run did not ask for memory.
@Suite("Allocation rates across stalls")
struct AllocationRateTests {
    @Test func aSuspendedGuestResumesAtItsRate() throws {
        let dc = world()
        let h = try host(dc, memory: 16 * GiB)
        let v = try vm(h, "app", memory: 8 * GiB)
        let w = try MemoryWorkload(size: 4 * GiB, rate: Double(32 * MiB))
        try v.run(w)
        try dc.run(for: .seconds(Int64(10)))
        #expect(w.allocated == 320 * MiB)
        try v.suspend()
        try dc.run(for: .seconds(Int64(60)))
        try v.resume()
        try dc.run(for: .seconds(Int64(2)))
        // two more seconds at 32 MiB/s, not the 60 s it was suspended
        #expect(w.allocated <= 384 * MiB, "\(Units.formatBytes(w.allocated))")
        #expect(w.allocated >= 352 * MiB, "\(Units.formatBytes(w.allocated))")
    }

    @Test func slowRatesKeepTheirFractionOfAPage() throws {
        let dc = world()
        let h = try host(dc, memory: 16 * GiB)
        let v = try vm(h, "slow", memory: 2 * GiB)
        // 10 000 bytes/s: 2.44 pages a second, carried over
        let w = try MemoryWorkload(size: GiB, rate: 10_000)
        try v.run(w)
        try dc.run(for: .seconds(Int64(100)))
        #expect(abs(Double(w.allocated) - 1_000_000) <= Double(Units.pageSize), "\(w.allocated)")
    }
}
