import Testing
@testable import HyperModel

@Suite("Memory behaviours of model-facts §7")
struct MemoryBehaviourTests {
    /// Behaviour 13: a 4 GB VM whose guest touched 1 GB shows consumed ≈ 1 GB and
    /// provisioned 4 GB; consumed never exceeds configured; overhead is apart.
    @Test func lazyAllocation() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "web01", memory: 4 * GiB)
        #expect(v.consumed == 0)
        try v.guestTouch(1 * GiB)
        #expect(v.consumed == 1 * GiB)
        #expect(v.memory == 4 * GiB)
        #expect(v.overhead > 40 * MiB && v.overhead < 60 * MiB)
        #expect(h.memory.consumed == v.consumed + v.overhead)
        try v.guestTouch(3 * GiB)
        #expect(v.consumed == 4 * GiB)
        // a full guest pages out to its own swap (as large as its memory) to write more
        try v.guestTouch(1 * GiB)
        #expect(v.consumed == 4 * GiB)
        #expect(v.guest.swappedByGuest == 1 * GiB)
        try v.guestTouch(3 * GiB)  // the guest swap is full now
        #expect(throws: ModelError.self) { try v.guestTouch(4096) }
    }

    /// The lecture's browser example: memory the guest frees stays consumed on the host;
    /// the guest reuses its free list before touching new pages.
    @Test func freedMemoryStaysConsumed() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "desktop", memory: 4 * GiB)
        try v.guestTouch(3 * GiB)
        try v.guestFree(2 * GiB)
        #expect(v.consumed == 3 * GiB)
        #expect(v.guest.used == 1 * GiB)
        #expect(v.guest.freeList == 2 * GiB)
        try v.guestTouch(1 * GiB)  // reuses free-list pages
        #expect(v.consumed == 3 * GiB)
        #expect(throws: ModelError.self) { try v.guestFree(3 * GiB) }
        try v.powerOff()
        #expect(v.consumed == 0 && h.memory.consumed == 0)
    }

    /// Behaviour 14: the active estimate rises within one sample period (60 s) and falls
    /// over several; it never exceeds consumed memory.
    @Test func activeEstimateRisesFastFallsSlowly() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "db", memory: 4 * GiB)
        let w = try MemoryWorkload(size: 2 * GiB, active: 1 * GiB, rate: Double(GiB))
        try v.run(w)
        try dc.run(for: .seconds(Int64(50)))
        #expect(v.active == 0)  // no sample yet
        try dc.run(for: .seconds(Int64(80)))  // t = 130 s: two samples
        #expect(v.consumed == 2 * GiB)
        #expect(abs(Double(v.active) - Double(GiB)) <= 0.05 * Double(GiB))
        #expect(v.active <= v.consumed)
        try dc.run(for: .seconds(Int64(600)))  // a steady working set for ten periods
        #expect(abs(Double(v.active) - Double(GiB)) <= 0.05 * Double(GiB))
        v.stop()  // the working set drops to zero
        try dc.run(for: .seconds(Int64(60)))
        let afterOne = v.active
        #expect(afterOne > GiB / 2, "fell too fast: \(afterOne)")
        try dc.run(for: .seconds(Int64(360)))
        #expect(v.active < GiB / 4, "did not fall over several periods: \(v.active)")
        #expect(v.consumed == 2 * GiB)  // freed in the guest, still consumed
    }

    @Test func memoryWorkloadAllocatesAtItsRate() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "app", memory: 8 * GiB)
        try v.run(MemoryWorkload(size: 3 * GiB, active: 1 * GiB, rate: Double(GiB)))
        try dc.run(for: .seconds(Int64(2)))
        #expect(v.consumed == 2 * GiB)
        try dc.run(for: .seconds(Int64(5)))
        #expect(v.consumed == 3 * GiB)
    }

    /// Behaviour 38: power-on is never refused because Σ configured > host memory, only
    /// when Σ (reservation + overhead) exceeds the unreserved capacity.
    @Test func overcommitIsAllowedReservationsAreNot() throws {
        let dc = world()
        let h = try host(dc, memory: 8 * GiB)
        for i in 0..<5 { try vm(h, "vm\(i)", memory: 4 * GiB) }  // 20 GiB configured on 8 GiB
        #expect(h.memory.overcommit == 2.5)
        let big = try vm(h, "reserved", memory: 8 * GiB, mem: MemoryAllocation(reservation: 7 * GiB + 800 * MiB), on: false)
        #expect(throws: ModelError.self) { try big.powerOn() }
        #expect(big.state == .off)
        let ok = try vm(h, "small-res", memory: 8 * GiB, mem: MemoryAllocation(reservation: 6 * GiB), on: false)
        try ok.powerOn()
        #expect(ok.state == .on)
        #expect(dc.log.events(kind: "admission").count == 1)
    }

    /// Behaviour 9 (admission part): 10 GHz host, VM A reserves 6 GHz: a 5 GHz reservation
    /// is refused, 4 GHz fits. Memory admission counts overhead.
    @Test func cpuAndMemoryAdmission() throws {
        let dc = world()
        let h = try host(dc, cpus: 5, mhz: 2000, memory: 16 * GiB)
        try vm(h, "A", vcpus: 4, cpu: CPUAllocation(reservationMHz: 6000))
        let b5 = try vm(h, "B5", vcpus: 4, cpu: CPUAllocation(reservationMHz: 5000), on: false)
        #expect(throws: ModelError.self) { try b5.powerOn() }
        let b4 = try vm(h, "B4", vcpus: 4, cpu: CPUAllocation(reservationMHz: 4000), on: false)
        try b4.powerOn()
        // memory: reserve all but less than one VM's overhead
        let h2 = try host(dc, "esx02", memory: 8 * GiB)
        let r = try vm(h2, "r", memory: 8 * GiB, mem: MemoryAllocation(reservation: 8 * GiB - 50 * MiB), on: false)
        #expect(throws: ModelError.self) { try r.powerOn() }  // 8 GiB − 50 MiB + 79 MiB overhead > 8 GiB
        let fits = try vm(h2, "fits", memory: 4 * GiB, mem: MemoryAllocation(reservation: 4 * GiB), on: false)
        try fits.powerOn()
        #expect(h2.memory.reserved == 4 * GiB + fits.overheadReservation)
    }

    @Test func tooManyVCPUsIsRefusedAtPowerOn() throws {
        let dc = world()
        let h = try host(dc, cpus: 4)
        let v = try vm(h, "wide", vcpus: 8, on: false)
        #expect(throws: ModelError("power_on: VM(wide) cannot power on: it has 8 vCPUs but host esx01 has only 4 pCPUs (a VM cannot have more vCPUs than its host has physical CPUs)")) {
            try v.powerOn()
        }
    }

    @Test func overheadFollowsTheVSphereTable() {
        // (configured MB, vCPUs, table MB) from model-facts §2.2
        let rows: [(Int64, Int, Double)] = [
            (256, 1, 20.29), (1024, 1, 25.90), (4096, 1, 48.64), (16384, 1, 139.62),
            (256, 8, 48.16), (4096, 4, 60.67), (16384, 8, 168.60),
        ]
        for (mb, vcpus, table) in rows {
            let got = Double(Overhead.bytes(configured: mb * MiB, vcpus: vcpus)) / Double(MiB)
            #expect(abs(got - table) < 2.5, "\(mb) MB × \(vcpus): \(got) vs \(table)")
        }
    }
}
