import Testing
@testable import HyperModel

let MB = Units.MiB

/// A test double for a balloon policy: fixed targets by VM name.
final class FixedBalloonTargets: BalloonPolicy {
    let name = "fixed"
    var targets: [String: Int64]
    var calls = 0
    init(_ targets: [String: Int64]) { self.targets = targets }
    func targets(_ view: BalloonView) throws -> [String: Int64] {
        calls += 1
        return targets
    }
}

@Suite("Memory reclamation: behaviours 15–24 of model-facts §7")
struct ReclaimBehaviourTests {
    /// Behaviour 15: 130,607 MB managed → minFree 1,920 MB; Reading A puts the edges at
    /// 7,682 / 1,920 / 1,229 / 615 MB and the extreme low at 307 MB.
    @Test func minFreeAndThresholds() {
        let m = MinFree.bytes(managed: 130_607 * MB)
        #expect(abs(Double(m) / Double(MB) - 1920.47) < 0.01)
        var machine = MemoryStateMachine()
        let edges = machine.edges(minFree: m).map { Int((Double($0) / Double(MB)).rounded()) }
        #expect(edges == [7682, 1920, 1229, 615])
        #expect(Int((0.16 * Double(m) / Double(MB)).rounded()) == 307)
        // the first 28 GB give 901.12 MB exactly; ESX 4's fixed 6 %
        #expect(abs(Double(MinFree.bytes(managed: 28 * 1024 * MB)) / Double(MB) - 901.12) < 0.01)
        #expect(MinFree.bytes(managed: 100 * MB, percent: 6) == 6 * MB)
        // states with hysteresis: down at once, up only 5 % above the edge and after a
        // balance period (15 s) in the state
        let down = machine.update(free: 1900 * MB, minFree: m, now: .seconds(Int64(100)))
        #expect(down && machine.state == .soft)
        let inBand = machine.update(free: 1950 * MB, minFree: m, now: .seconds(Int64(200)))  // above 1,920 but inside the band
        #expect(!inBand)
        let tooSoon = machine.update(free: 2020 * MB, minFree: m, now: .seconds(Int64(110)))
        #expect(!tooSoon)
        let up = machine.update(free: 2020 * MB, minFree: m, now: .seconds(Int64(115)))
        #expect(up && machine.state == .clear)
        machine.reading = .b
        #expect(machine.nominal(free: 1950 * MB, minFree: m) == .high)  // B: high from 100 %
        #expect(machine.nominal(free: 1300 * MB, minFree: m) == .clear)
        #expect(machine.nominal(free: 1000 * MB, minFree: m) == .soft)
        #expect(machine.nominal(free: 200 * MB, minFree: m) == .low)
    }

    /// Behaviour 17: balloon ≤ min(65 % × configured, maxmemctl, configured − reservation):
    /// 8 GB → 5,324.8 MB; with a 4 GB reservation → 4,096 MB.
    @Test func balloonBound() throws {
        let dc = world()
        let h = try host(dc, memory: 64 * GiB)
        let free = try vm(h, "free", memory: 8 * GiB)
        let reserved = try vm(h, "reserved", memory: 8 * GiB, mem: MemoryAllocation(reservation: 4 * GiB))
        let capped = try vm(h, "capped", memory: 8 * GiB, mem: MemoryAllocation(maxBalloon: 1 * GiB))
        let noTools = try h.createVM(VMSpec(name: "notools", memory: 8 * GiB, tools: false))
        try noTools.powerOn()
        #expect(abs(Double(h.memory.balloonCap(free) * Units.pageSize) / Double(MB) - 5324.8) < 0.01)
        #expect(h.memory.balloonCap(reserved) * Units.pageSize == 4 * GiB)
        #expect(h.memory.balloonCap(capped) * Units.pageSize == 1 * GiB)
        #expect(h.memory.balloonCap(noTools) == 0)
        // a policy asking for more is refused with the cap in the message
        h.memory.settings.balloon.policy = FixedBalloonTargets(["free": 6 * GiB])
        #expect(throws: ModelError.self) { try dc.run(for: .seconds(Int64(20))) }
        #expect(dc.log.events(kind: "failure").first?.message.contains("allowed: 0 to 5.20 GiB") == true)
    }

    /// Behaviour 18 (KVM, virtio-balloon set by hand): with 3 GB free in the guest a 2 GB
    /// balloon pages nothing out; a 4 GB balloon makes the guest page out 1 GB.
    @Test func balloonTakesFreePagesFirst() throws {
        let dc = world()
        try dc.setProfile(.kvm)
        let h = try host(dc, memory: 64 * GiB)
        let v = try vm(h, "guest", memory: 8 * GiB)
        try v.guestTouch(5 * GiB)
        try v.setMemoryTarget(6 * GiB)
        try dc.run(for: .seconds(Int64(60)))
        #expect(v.ballooned == 2 * GiB)
        #expect(v.guest.traffic.guestPageOuts == 0)
        try v.setMemoryTarget(4 * GiB)
        try dc.run(for: .seconds(Int64(300)))
        #expect(v.ballooned == 4 * GiB)
        #expect(v.guest.swappedByGuest == 1 * GiB)
        #expect(v.granted == 4 * GiB)
    }

    /// Behaviour 20: 0.8 KB → 1 KB slot, 1.5 KB → 2 KB slot, 3 KB → swap; the cache of a
    /// 4 GB VM never exceeds 409.6 MB.
    @Test func compressionRules() throws {
        #expect(Compressibility.slot(forCompressedSize: 0.8 * 1024) == 1024)
        #expect(Compressibility.slot(forCompressedSize: 1.5 * 1024) == 2048)
        #expect(Compressibility.slot(forCompressedSize: 3 * 1024) == nil)
        let dc = world()
        let h = try host(dc, memory: 16 * GiB)
        let v = try h.createVM(VMSpec(name: "squeezed", memory: 4 * GiB, tools: false,
                                      mem: MemoryAllocation(limit: 1 * GiB)))
        try v.powerOn()
        try v.guestTouch(4 * GiB, mix: Compressibility(quarter: 0.9, half: 0.1))
        try dc.run(for: .seconds(Int64(120)))
        #expect(h.memory.state == .high)  // a limit reclaims even on a free host
        #expect(v.guest.cacheBytes <= Int64(409.6 * Double(MB)))
        #expect(v.guest.cacheBytes > 300 * MB)
        #expect(v.compressed > 0 && v.swapped > 0)
        #expect(v.granted <= 1 * GiB)
    }

    /// Behaviour 21: a 4 GB VM with a 1 GB reservation gets a 3 GB .vswp; fully reserved,
    /// 0 bytes; power-on fails when the datastore cannot hold the swap files.
    @Test func swapFiles() throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "ds1", capacity: 5 * GiB, kind: .ssd)
        let h = try dc.addHost(HostSpec(name: "esx01", cpus: 4, mhz: 2000, memory: 16 * GiB, datastores: [ds]))
        let a = try vm(h, "a", memory: 4 * GiB, mem: MemoryAllocation(reservation: 1 * GiB))
        #expect(ds.files.first { $0.name == "a.vswp" }?.size == 3 * GiB)
        let full = try vm(h, "full", memory: 2 * GiB, mem: MemoryAllocation(reservation: 2 * GiB))
        #expect(ds.files.first { $0.name == "full.vswp" }?.size == 0)
        // 5 GiB − 3 GiB − 2 × 100 MiB VMX swap leaves 1.8 GiB: a 2 GiB .vswp does not fit
        let big = try vm(h, "big", memory: 2 * GiB, on: false)
        #expect(throws: ModelError.self) { try big.powerOn() }
        #expect(big.state == .off)
        #expect(dc.log.events(kind: "admission").last?.message.contains("swap files need") == true)
        try a.powerOff()
        #expect(!ds.files.contains { $0.owner == "a" && ($0.kind == "vswp" || $0.kind == "vmx-swap") })
        #expect(ds.files.contains { $0.name == "a.vmx" })  // its configuration stays
        try big.powerOn()
        _ = full
    }

    /// Behaviour 22: a 4 GB VM limited to 2 GB whose guest touches 3 GB on an idle host
    /// has about 1 GB of machine memory reclaimed anyway — by swapping without tools, by
    /// its balloon (which first takes the guest's untouched free pages) with them.
    @Test(arguments: [false, true])
    func limitReclaimsOnAFreeHost(tools: Bool) throws {
        let dc = world()
        let h = try host(dc, memory: 64 * GiB)
        let v = try h.createVM(VMSpec(name: "limited", memory: 4 * GiB, tools: tools, mem: MemoryAllocation(limit: 2 * GiB)))
        try v.powerOn()
        try v.guestTouch(3 * GiB)
        try dc.run(for: .seconds(Int64(600)))
        #expect(h.memory.state == .high)
        #expect(abs(Double(v.granted + h.memory.cacheBytes(of: v)) - Double(2 * GiB)) < 0.02 * Double(GiB))
        if tools {
            #expect(v.swapped == 0 && v.compressed == 0)
            #expect(v.guest.swappedByGuest >= 1 * GiB - 20 * MB)
        } else {
            #expect(v.ballooned == 0)
            #expect(v.compressed + v.swapped >= 1 * GiB - 20 * MB)
        }
    }

    /// Behaviour 24 (the allocation rule): equal shares, A idle, B fully active, H pages
    /// to share → A ≈ H/5, B ≈ 4H/5 with τ = 0.75; H/2 each with τ = 0.
    @Test func idleMemoryTax() {
        let h = 1000.0
        let demands = [
            MemoryTargets.Demand(shares: 10240, active: 0, low: 0, high: 1000),
            MemoryTargets.Demand(shares: 10240, active: 1000, low: 0, high: 1000),
        ]
        var out: [Int64] = []
        MemoryTargets.compute(demands, available: h, idleTax: 0.75, into: &out)
        #expect(abs(Double(out[0]) - h / 5) <= 1 && abs(Double(out[1]) - 4 * h / 5) <= 1, "\(out)")
        MemoryTargets.compute(demands, available: h, idleTax: 0, into: &out)
        #expect(abs(Double(out[0]) - h / 2) <= 1 && abs(Double(out[1]) - h / 2) <= 1, "\(out)")
        // reservations are floors, limits ceilings
        let bounded = [
            MemoryTargets.Demand(shares: 10240, active: 0, low: 300, high: 1000),
            MemoryTargets.Demand(shares: 10240, active: 1000, low: 0, high: 600),
        ]
        MemoryTargets.compute(bounded, available: h, idleTax: 0.75, into: &out)
        #expect(out[0] >= 300 && out[1] <= 600 && out[0] + out[1] <= 1000, "\(out)")
    }
}
