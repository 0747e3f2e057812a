import Testing
@testable import HyperModel

/// A VM's vCPU count and memory size changed as vSphere allows: freely while off; while
/// it runs only upward and only with CPU hot add / memory hot plug. The scheduler, the
/// per-vCPU counters, the overhead reservation, the guest and the .vswp file follow, and
/// a refusal changes nothing.
@Suite("Reconfiguring a VM's vCPUs and memory")
struct ReconfigureTests {
    func hotVM(_ h: Host, _ name: String, vcpus: Int = 2, memory: Int64 = 4 * GiB, cpu: Bool = true, mem: Bool = true,
               reservation: Int64 = 0) throws -> VM {
        var s = VMSpec(name: name, vcpus: vcpus, memory: memory, mem: MemoryAllocation(reservation: reservation))
        s.cpuHotAdd = cpu
        s.memoryHotAdd = mem
        return try h.createVM(s)
    }

    /// The host's memory bookkeeping and the VM's, to compare before and after a refusal.
    func snapshot(_ v: VM) -> [Int64] {
        [Int64(v.vcpus), v.memory, v.guest.configured, v.overheadReservation, v.host.memory.reserved,
         v.swapFileSize, Int64(v.cpuSlots.count), Int64(v.vcpuCounters.count), v.guest.untouchedPages]
    }

    @Test func offVMGetsFourVCPUsAndTheTablesOverhead() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "a", vcpus: 2, memory: 4 * GiB, on: false)
        #expect(v.overheadReservation == 55_365_632)     // 18.4 + 7.6 × 4 + 4 × 1 = 52.8 MB
        try v.reconfigure(vcpus: 4)
        #expect(v.vcpus == 4)
        #expect(v.overheadReservation == 63_754_240)     // 18.4 + 7.6 × 4 + 4 × 3 = 60.8 MB
        #expect(v.overheadReservation == Overhead.bytes(configured: 4 * GiB, vcpus: 4))
        try v.powerOn()
        #expect(v.cpuSlots.count == 4)
        #expect(h.memory.reserved == 63_754_240)
        try v.run(CPUWorkload(threads: 4, load: 1))
        _ = try dc.run(for: .seconds(Int64(60)))
        let per = v.vcpuCounters
        #expect(per.count == 4)
        // four busy threads on four pCPUs: every vCPU runs all the time it is on
        for c in per { #expect(c.online == 60_000_000 && c.run == 60_000_000, "\(c)") }
        #expect(v.metrics.vcpu.count == 4)
        #expect(abs(v.metrics.cpu.usedMHz - 8000) < 1)
        let e = dc.log.events(kind: "vm.reconfigure")
        #expect(e.count == 1 && e[0].message.hasPrefix("2 vCPUs, 4.00 GiB") && e[0].message.contains("-> 4 vCPUs, 4.00 GiB"), "\(e.map(\.message))")
    }

    @Test func offVMMemoryShrinksAndReservationsAboveItAreRefused() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "a", memory: 4 * GiB, mem: MemoryAllocation(reservation: 3 * GiB), on: false)
        let before = snapshot(v)
        #expect(throws: ModelError.self) { try v.reconfigure(memory: 2 * GiB) }
        #expect(snapshot(v) == before)
        try v.reconfigure(memory: 8 * GiB)
        #expect(v.memory == 8 * GiB && v.guest.configured == 8 * GiB)
        #expect(v.overheadReservation == Overhead.bytes(configured: 8 * GiB, vcpus: 1))
        try v.powerOn()
        #expect(v.swapFileSize == 5 * GiB)                // 8 GiB − 3 GiB reserved
    }

    @Test func runningVMWithoutHotAddIsRefusedAndNothingChanges() throws {
        let dc = world()
        let h = try host(dc)
        let v = try hotVM(h, "a", cpu: false, mem: false)
        try v.powerOn()
        let before = snapshot(v)
        do {
            try v.reconfigure(vcpus: 4)
            Issue.record("no hot add: refused")
        } catch let e as ModelError {
            #expect(e.message.contains("VM(a): vcpus 4 is not allowed while it is on (it has 2): power it off first, or create it with cpu_hot_add = true"), "\(e.message)")
        }
        do {
            try v.reconfigure(memory: 8 * GiB)
            Issue.record("no memory hot plug: refused")
        } catch let e as ModelError {
            #expect(e.message.contains("memory 8.00 GiB is not allowed while it is on (it has 4.00 GiB): power it off first, or create it with memory_hot_add = true"), "\(e.message)")
        }
        #expect(snapshot(v) == before)
        #expect(dc.log.events(kind: "vm.reconfigure").isEmpty)
    }

    @Test func hotAddGrowsTwoToFourButNeverShrinks() throws {
        let dc = world()
        let h = try host(dc)
        let v = try hotVM(h, "a")
        try v.powerOn()
        try v.run(CPUWorkload(threads: 4, load: 1))
        _ = try dc.run(for: .seconds(Int64(60)))
        #expect(abs(v.metrics.cpu.usedMHz - 4000) < 1)   // two vCPUs for four threads
        try v.reconfigure(vcpus: 4)
        #expect(v.cpuSlots.count == 4 && v.vcpus == 4)
        #expect(h.memory.reserved == 63_754_240)         // the overhead of 4 vCPUs, at once
        _ = try dc.run(for: .seconds(Int64(60)))
        let per = v.vcpuCounters
        // the first two vCPUs kept their first minute; the new ones start at the hot add
        #expect(per[0].online == 120_000_000 && per[1].online == 120_000_000)
        #expect(per[2].online == 60_000_000 && per[3].online == 60_000_000 && per[3].run == 60_000_000, "\(per)")
        #expect(abs(v.metrics.cpu.usedMHz - 8000) < 1)
        let before = snapshot(v)
        do {
            try v.reconfigure(vcpus: 2)
            Issue.record("hot remove: refused")
        } catch let e as ModelError {
            #expect(e.message.contains("vcpus 2 is not allowed while it is on: vSphere cannot hot-remove vCPUs (it has 4"), "\(e.message)")
        }
        #expect(throws: ModelError.self) { try v.reconfigure(vcpus: 5) }   // more than the host's 4 pCPUs
        #expect(snapshot(v) == before)
    }

    @Test func memoryHotAddGrowsTheGuestAndTheSwapFile() throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "ds1", capacity: 100 * GiB, kind: .ssd)
        let h = try dc.addHost(HostSpec(name: "esx01", cpus: 4, mhz: 2000, memory: 64 * GiB, datastores: [ds]))
        let v = try hotVM(h, "a", memory: 4 * GiB, reservation: 1 * GiB)
        try v.powerOn()
        try v.guestTouch(2 * GiB)
        #expect(ds.files.first { $0.name == "a.vswp" }?.size == 3 * GiB)
        let touched = v.guest.touched
        try v.reconfigure(memory: 8 * GiB)
        #expect(v.memory == 8 * GiB && v.guest.configured == 8 * GiB)
        #expect(v.guest.touched == touched)               // what the guest wrote stays
        #expect(v.guest.available >= 6 * GiB - 1)         // 8 GiB less the 2 GiB in use
        #expect(ds.files.first { $0.name == "a.vswp" }?.size == 7 * GiB)   // 8 GiB − 1 GiB reserved
        #expect(h.memory.reserved == 1 * GiB + Overhead.bytes(configured: 8 * GiB, vcpus: 2))
        try v.guestTouch(5 * GiB)                         // more than it had before the hot add
        _ = try dc.run(for: .seconds(Int64(10)))
        let before = snapshot(v)
        #expect(throws: ModelError.self) { try v.reconfigure(memory: 6 * GiB) }   // hot remove
        #expect(throws: ModelError.self) { try v.reconfigure(memory: 200 * GiB) } // the .vswp does not fit
        #expect(snapshot(v) == before)
        try v.powerOff()
        #expect(h.memory.reserved == 0)                   // the grown overhead went back whole
        #expect(!ds.files.contains { $0.name == "a.vswp" })
    }

    @Test func suspendedVMsAndShortOverheadAreRefused() throws {
        let dc = world()
        let h = try host(dc, memory: 4 * GiB)
        let v = try hotVM(h, "a", vcpus: 1, memory: 1 * GiB)
        let big = try vm(h, "big", memory: 4 * GiB, mem: MemoryAllocation(reservation: 4 * GiB - 2 * Overhead.bytes(configured: 1 * GiB, vcpus: 1) - 40 * MiB), on: false)
        try v.powerOn()
        try big.powerOn()
        // the host has less unreserved than the 24 TiB VM's overhead: refused, nothing changed
        let before = snapshot(v)
        do {
            try v.reconfigure(memory: 1024 * GiB)
            Issue.record("overhead beyond the unreserved memory: refused")
        } catch let e as ModelError {
            #expect(e.message.contains("more overhead memory but esx01 has only"), "\(e.message)")
        }
        #expect(snapshot(v) == before)
        try v.suspend()
        do {
            try v.reconfigure(vcpus: 2)
            Issue.record("suspended: refused")
        } catch let e as ModelError {
            #expect(e.message.contains("VM(a) is suspended"), "\(e.message)")
        }
        #expect(v.vcpus == 1)
    }

    /// A series set's channels are fixed: the vCPUs the VM was created with keep their
    /// series (level 3), the added ones have none; the VM's totals count every vCPU.
    @Test func perVCPUSeriesKeepTheCreatedVCPUs() throws {
        let dc = world()
        let h = try host(dc)
        let v = try hotVM(h, "a")
        try v.powerOn()
        try v.run(CPUWorkload(threads: 4, load: 1))
        _ = try dc.run(for: .seconds(Int64(60)))
        try v.reconfigure(vcpus: 4)
        _ = try dc.run(for: .seconds(Int64(60)))
        #expect(v.metrics.series["cpu.run.vcpu2"]!.values.last == 100)
        #expect(v.metrics.series["cpu.run.vcpu3"] == nil)
        #expect(v.metrics.series["cpu.used_mhz"]!.values.last == 8000)
    }

    @Test func sameSeedSameResult() throws {
        func once() throws -> [Double] {
            let dc = world(seed: 7)
            let h = try host(dc, cpus: 4)
            let a = try hotVM(h, "a")
            let b = try vm(h, "b", vcpus: 2, on: false)
            try a.powerOn(); try b.powerOn()
            try a.run(CPUWorkload(threads: 4, load: 0.9)); try b.run(CPUWorkload(threads: 2, load: 0.9))
            _ = try dc.run(for: .seconds(Int64(30)))
            try a.reconfigure(vcpus: 3, memory: 6 * GiB)
            _ = try dc.run(for: .seconds(Int64(30)))
            return a.metrics.series["cpu.ready"]!.values + b.metrics.series["cpu.run"]!.values
                + a.vcpuCounters.map { Double($0.run) }
        }
        #expect(try once() == once())
    }
}
