import Testing
@testable import HyperModel

/// Memory entitlements feed the host's allocation targets (datacenter-facts §1.1; MF §2.3:
/// memory below a reservation is never reclaimed).
@Suite("Resource pools: memory")
struct PoolMemoryTests {
    /// A 16 GiB host under pressure: four 8 GiB VMs each touch 6 GiB. One of them sits in
    /// a pool reserving 6 GiB; the others at the root. `pooled` false: the same VM at the
    /// root too (the control).
    func run(pooled: Bool) throws -> (reserved: VM, others: [VM], dc: Datacenter) {
        let dc = world()
        let h = try host(dc, "esx01", cpus: 8, memory: 16 * GiB)
        let c = try dc.addCluster(name: "c1", hosts: [h])
        let gold = try c.root.createPool(name: "gold", mem: PoolMemorySettings(reservation: 6 * GiB + 256 * MiB))
        let a = try h.createVM(pooledSpec("a", pooled ? gold : nil, memory: 8 * GiB))
        let others = try (1...3).map { try h.createVM(pooledSpec("b\($0)", nil, memory: 8 * GiB)) }
        for v in [a] + others {
            try v.powerOn()
            try v.guestTouch(6 * GiB)
        }
        try dc.run(for: .seconds(Int64(900)))
        return (a, others, dc)
    }

    @Test func aPoolReservationIsNeverReclaimed() throws {
        let (a, others, dc) = try run(pooled: true)
        withExtendedLifetime(dc) {
            #expect(a.ballooned + a.swapped + a.compressed == 0, "a lost \(a.ballooned) ballooned, \(a.swapped) swapped, \(a.compressed) compressed")
            #expect(a.memEntitlement >= 6 * GiB)
            for v in others { #expect(v.ballooned + v.swapped + v.compressed > 0, "\(v.name) was not reclaimed") }
        }
    }

    @Test func withoutThePoolTheSameVMIsReclaimed() throws {
        let (a, _, dc) = try run(pooled: false)
        withExtendedLifetime(dc) {
            #expect(a.ballooned + a.swapped + a.compressed > 0)
        }
    }

    /// A pool memory limit caps its VMs even with free host memory, as a VM limit does.
    @Test func aPoolMemoryLimitReclaimsAboveIt() throws {
        let dc = world()
        let h = try host(dc, "esx01", cpus: 8, memory: 64 * GiB)
        let c = try dc.addCluster(name: "c1", hosts: [h])
        let small = try c.root.createPool(name: "small", mem: PoolMemorySettings(limit: 4 * GiB))
        let vms = try (1...2).map { try h.createVM(pooledSpec("v\($0)", small, memory: 4 * GiB)) }
        for v in vms {
            try v.powerOn()
            try v.guestTouch(3 * GiB)
        }
        try dc.run(for: .seconds(Int64(900)))
        let held = vms.reduce(Int64(0)) { $0 + $1.consumed }
        #expect(held <= 4 * GiB + 64 * MiB, "the pool holds \(Units.formatBytes(held))")
        #expect(small.memEntitlement <= 4 * GiB)
    }
}
