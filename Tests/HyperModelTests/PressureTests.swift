import Testing
@testable import HyperModel

/// Hosts under growing memory pressure: what reclaims, in which order, from whom.
@Suite("Memory pressure: behaviours 16, 19, 23 and 24 of model-facts §7")
struct PressureTests {
    /// First time (s) each event happened, from the event log.
    func firstTimes(_ dc: Datacenter) -> [String: Double] {
        var first: [String: Double] = [:]
        for e in dc.log.events(kind: nil, subject: nil) {
            var key: String?
            if e.kind == "memory.state", let arrow = e.message.range(of: "→ ") {
                key = "state." + e.message[arrow.upperBound...].prefix { $0 != ":" }
            } else if e.kind == "memory.share" {
                key = "large pages broken"
            } else if e.kind == "memory.balloon", e.message.hasPrefix("balloon target"), !e.message.hasPrefix("balloon target 0") {
                key = "balloon"
            } else if e.kind == "memory.swap", e.message.contains("swapping") {
                key = "swap"
            } else if e.kind == "memory.block", e.message.hasPrefix("blocked") {
                key = "block"
            }
            if let key, first[key] == nil { first[key] = e.time.seconds }
        }
        return first
    }

    /// Four 8 GiB VMs with balloon drivers on a 16 GiB host, their applications growing
    /// slowly past what the host has.
    func squeeze(tools: [Bool] = [true, true, true, true], minutes: Int64 = 20) throws -> (Datacenter, Host, [VM]) {
        let dc = world()
        let h = try host(dc, memory: 16 * GiB)
        var vms: [VM] = []
        for (i, t) in tools.enumerated() {
            let v = try h.createVM(VMSpec(name: "vm\(i)", memory: 8 * GiB, tools: t))
            try v.powerOn()
            try v.run(MemoryWorkload(size: 7 * GiB, active: 2 * GiB, rate: Double(12 * MB)))
            vms.append(v)
        }
        try dc.run(for: .seconds(minutes * 60))
        return (dc, h, vms)
    }

    /// Behaviour 16: as free memory falls, large pages break (below high), the state
    /// passes clear, ballooning starts in soft, compression and swapping in hard —
    /// balloon before swap.
    @Test func reclamationOrder() throws {
        let (dc, h, vms) = try squeeze()
        let t = firstTimes(dc)
        let order = ["large pages broken", "state.clear", "state.soft", "balloon", "state.hard", "swap"]
        for key in order { #expect(t[key] != nil, "never saw \(key): \(t)") }
        for (a, b) in zip(order, order.dropFirst()) {
            #expect((t[a] ?? .infinity) <= (t[b] ?? -1), "\(a) at \(t[a] ?? -1) s should precede \(b) at \(t[b] ?? -1) s")
        }
        #expect(vms.allSatisfy { $0.ballooned > 0 })
        #expect(h.memory.free >= 0)
        // the event log explains the state changes
        #expect(dc.log.events(kind: "memory.state").first?.message.contains("minFree") == true)
    }

    /// Behaviour 19: a VM without a balloon driver keeps a zero balloon and is reclaimed
    /// only by compression and swapping once the host is in hard, after the others were
    /// ballooned.
    @Test func noToolsMeansSwapOnly() throws {
        let (dc, _, vms) = try squeeze(tools: [true, true, true, false])
        let bare = vms[3]
        #expect(bare.ballooned == 0)
        #expect(bare.swapped + bare.compressed > 0)
        let swapStart = dc.log.events(kind: "memory.swap", subject: bare.description).first?.time.seconds ?? -1
        let hardAt = dc.log.events(kind: "memory.state").first { $0.message.contains("→ hard") }?.time.seconds ?? .infinity
        let balloonAt = dc.log.events(kind: "memory.balloon").first { $0.message.hasPrefix("balloon target") }?.time.seconds ?? .infinity
        #expect(swapStart >= hardAt)
        #expect(balloonAt < swapStart)
    }

    /// Behaviour 23: an 8 GB VM with a 6 GB reservation never has more than 2 GB
    /// ballooned, compressed and swapped, however low memory gets.
    @Test func reservationIsNeverReclaimed() throws {
        let dc = world()
        let h = try host(dc, memory: 12 * GiB)
        let guarded = try vm(h, "guarded", memory: 8 * GiB, mem: MemoryAllocation(reservation: 6 * GiB))
        try guarded.run(MemoryWorkload(size: 8 * GiB, active: 1 * GiB, rate: Double(256 * MB)))
        for i in 0..<2 {
            let other = try vm(h, "hog\(i)", memory: 8 * GiB)
            try other.run(MemoryWorkload(size: 8 * GiB, active: 6 * GiB, rate: Double(64 * MB)))
        }
        var worst: Int64 = 0
        var worstState = MemoryState.high
        for _ in 0..<60 {
            try dc.run(for: .seconds(Int64(20)))
            worst = max(worst, guarded.ballooned + guarded.compressed + guarded.swapped)
            worstState = max(worstState, h.memory.state)
        }
        #expect(worstState >= .soft)
        #expect(!dc.log.events(kind: "memory.swap").isEmpty)
        #expect(worst <= 2 * GiB, "reclaimed \(Units.formatBytes(worst))")
        #expect(worst > 0)
    }

    /// Behaviour 24 end to end: with equal shares the idle VM loses memory first; with
    /// τ = 0.75 it ends near a quarter of what the active one keeps (H/5 against 4H/5),
    /// with τ = 0 they end with halves.
    @Test(arguments: [(0.75, 0.25), (0.0, 1.0)])
    func idleTaxReclaimsTheIdleVMFirst(tax: Double, ratio: Double) throws {
        let dc = world()
        let h = try host(dc, memory: 10 * GiB)
        h.memory.settings.idleTax = tax
        let idle = try vm(h, "idle", memory: 12 * GiB)
        let busy = try vm(h, "busy", memory: 12 * GiB)
        try idle.run(MemoryWorkload(size: 7 * GiB, active: 0, rate: Double(512 * MB)))
        try dc.run(for: .seconds(Int64(30)))
        try busy.run(MemoryWorkload(size: 11 * GiB, active: 11 * GiB, rate: Double(16 * MB)))
        try dc.run(for: .seconds(Int64(1800)))
        let targets = Double(idle.memoryTarget) / Double(busy.memoryTarget)
        #expect(abs(targets - ratio) < 0.05,
                "idle target \(Units.formatBytes(idle.memoryTarget)), busy \(Units.formatBytes(busy.memoryTarget))")
        #expect(abs(Double(idle.consumed) / Double(busy.consumed) - ratio) < 0.05,
                "idle \(Units.formatBytes(idle.consumed)), busy \(Units.formatBytes(busy.consumed))")
        if tax > 0 { #expect(idle.ballooned > busy.ballooned) }
    }
}
