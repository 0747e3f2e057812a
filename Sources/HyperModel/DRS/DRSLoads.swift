import Foundation

/// A snapshot of a cluster's load for one DRS pass (datacenter-facts §2.2): for every
/// host that takes part (live, eligible), its capacity and the entitlements of its VMs,
/// per resource. Host load = Σ entitlements of its VMs / capacity; the load-imbalance
/// metric (LIM) of a resource is the population standard deviation of host load.
///
/// CPU and memory are balanced separately, as the reason codes `fairnessCpuAvg` and
/// `fairnessMemAvg` show: the cluster's LIM is the larger of the two resources' LIMs, and
/// the resource giving it is the pass's "dominant" one [M: vSphere does not publish how it
/// combines them]. A move is planned on the snapshot (the VM's entitlement leaves one
/// host for another), so a pass sees the effect of the moves it has already chosen.
struct DRSLoads {
    let hosts: [Host]
    var cpuCap: [Double]
    var memCap: [Double]
    /// Entitled MHz and bytes on each host.
    var cpu: [Double]
    var mem: [Double]
    /// Reserved MHz and bytes (reservation + overhead) on each host, with planned moves.
    var resCPU: [Double]
    var resMem: [Double]
    /// The VMs that hold resources on those hosts, host index and entitlement of each.
    var vms: [VM]
    var vmHost: [Int]
    var vmCPU: [Double]
    var vmMem: [Double]
    /// VM indices per host.
    var members: [[Int]]
    private var index: [ObjectIdentifier: Int] = [:]
    private var vmIndex: [ObjectIdentifier: Int] = [:]

    /// `hosts` take part; the VMs of every host of `all` count where they will run: a VM
    /// migrating, or waiting for a DRS vMotion slot, on its destination (`destination`).
    init(_ hosts: [Host], all: [Host], destination: (VM) -> Host?) {
        self.hosts = hosts
        let n = hosts.count
        cpuCap = hosts.map(\.capacityMHz)
        memCap = hosts.map { Double($0.memory.capacity) }
        cpu = Array(repeating: 0, count: n)
        mem = Array(repeating: 0, count: n)
        resCPU = Array(repeating: 0, count: n)
        resMem = Array(repeating: 0, count: n)
        members = Array(repeating: [], count: n)
        vms = []
        vmHost = []
        vmCPU = []
        vmMem = []
        for (i, h) in hosts.enumerated() { index[ObjectIdentifier(h)] = i }
        for h in all {
            for v in h.vms where v.state.holdsResources {
                guard let i = destination(v).flatMap({ index[ObjectIdentifier($0)] }) ?? index[ObjectIdentifier(h)] else { continue }
                let k = vms.count
                vmIndex[ObjectIdentifier(v)] = k
                vms.append(v)
                vmHost.append(i)
                vmCPU.append(v.cpuEntitlementMHz)
                vmMem.append(Double(v.memEntitlement))
                cpu[i] += v.cpuEntitlementMHz
                mem[i] += Double(v.memEntitlement)
                resCPU[i] += v.cpuAllocation.reservationMHz
                resMem[i] += Double(v.memAllocation.reservation + v.overheadReservation)
                members[i].append(k)
            }
        }
        // what else the hosts reserve (FT secondaries, the host OS) stays where it is
        for (i, h) in hosts.enumerated() {
            resMem[i] += Double(h.memory.reserved) - Double(h.vms.filter { $0.state.holdsResources }.reduce(Int64(0)) { $0 + $1.memAllocation.reservation + $1.overheadReservation })
        }
    }

    var count: Int { hosts.count }
    func hostIndex(_ h: Host) -> Int? { index[ObjectIdentifier(h)] }
    func vmIndex(_ v: VM) -> Int? { vmIndex[ObjectIdentifier(v)] }
    /// Where `v` runs in this plan (nil: off, or on a host that takes no part).
    func plannedHost(_ v: VM) -> Host? { vmIndex(v).map { hosts[vmHost[$0]] } }

    func cpuLoad(_ i: Int) -> Double { cpu[i] / cpuCap[i] }
    func memLoad(_ i: Int) -> Double { mem[i] / memCap[i] }

    /// Population standard deviation of host load, CPU or memory.
    func sd(cpu isCPU: Bool) -> Double {
        let n = count
        guard n > 1 else { return 0 }
        var mean = 0.0
        for i in 0..<n { mean += isCPU ? cpuLoad(i) : memLoad(i) }
        mean /= Double(n)
        var v = 0.0
        for i in 0..<n {
            let d = (isCPU ? cpuLoad(i) : memLoad(i)) - mean
            v += d * d
        }
        return (v / Double(n)).squareRoot()
    }

    var cpuSD: Double { sd(cpu: true) }
    var memSD: Double { sd(cpu: false) }
    /// The cluster's LIM: the larger resource's.
    var imbalance: Double { max(cpuSD, memSD) }
    /// The resource that gives the LIM (CPU on ties).
    var cpuDominates: Bool { cpuSD >= memSD }

    /// Sums of load and load² per resource, for evaluating a move in O(1).
    struct Moments {
        var s1c = 0.0, s2c = 0.0, s1m = 0.0, s2m = 0.0
    }

    func moments() -> Moments {
        var m = Moments()
        for i in 0..<count {
            let c = cpuLoad(i), e = memLoad(i)
            m.s1c += c; m.s2c += c * c
            m.s1m += e; m.s2m += e * e
        }
        return m
    }

    /// The LIM after moving VM `k` to host `d` (not applied).
    func imbalance(moving k: Int, to d: Int, _ m: Moments) -> Double {
        let s = vmHost[k]
        let n = Double(count)
        func after(_ s1: Double, _ s2: Double, _ ls: Double, _ ld: Double, _ dls: Double, _ dld: Double) -> Double {
            let ns1 = s1 + dls + dld
            let ns2 = s2 - ls * ls - ld * ld + (ls + dls) * (ls + dls) + (ld + dld) * (ld + dld)
            let mean = ns1 / n
            return max(0, ns2 / n - mean * mean).squareRoot()
        }
        let c = after(m.s1c, m.s2c, cpuLoad(s), cpuLoad(d), -vmCPU[k] / cpuCap[s], vmCPU[k] / cpuCap[d])
        let e = after(m.s1m, m.s2m, memLoad(s), memLoad(d), -vmMem[k] / memCap[s], vmMem[k] / memCap[d])
        return max(c, e)
    }

    /// Entitlement away from where it balances, as a fraction of the cluster's capacity,
    /// summed over both resources: ½ Σ |E_h − L̄·C_h| / ΣC, with L̄ = ΣE / ΣC (which no
    /// move changes). A move's benefit is how much it lowers this [M].
    func misplaced(_ i: Int, cpuDelta: Double, memDelta: Double, _ totals: (cpuE: Double, cpuC: Double, memE: Double, memC: Double)) -> Double {
        let lc = totals.cpuC > 0 ? totals.cpuE / totals.cpuC : 0
        let lm = totals.memC > 0 ? totals.memE / totals.memC : 0
        let c = abs(cpu[i] + cpuDelta - lc * cpuCap[i]) / max(totals.cpuC, 1)
        let e = abs(mem[i] + memDelta - lm * memCap[i]) / max(totals.memC, 1)
        return (c + e) / 2
    }

    var totals: (cpuE: Double, cpuC: Double, memE: Double, memC: Double) {
        (cpu.reduce(0, +), cpuCap.reduce(0, +), mem.reduce(0, +), memCap.reduce(0, +))
    }

    /// Applies a planned move of VM `k` to host `d`.
    mutating func apply(moving k: Int, to d: Int) {
        let s = vmHost[k]
        let v = vms[k]
        cpu[s] -= vmCPU[k]; cpu[d] += vmCPU[k]
        mem[s] -= vmMem[k]; mem[d] += vmMem[k]
        let rc = v.cpuAllocation.reservationMHz, rm = Double(v.memAllocation.reservation + v.overheadReservation)
        resCPU[s] -= rc; resCPU[d] += rc
        resMem[s] -= rm; resMem[d] += rm
        members[s].removeAll { $0 == k }
        members[d].append(k)
        vmHost[k] = d
    }

    /// Whether host `d` can take VM `k`'s reservations, with the moves planned so far.
    func reservationsFit(_ k: Int, on d: Int) -> Bool {
        let v = vms[k], h = hosts[d]
        let rc = v.cpuAllocation.reservationMHz, rm = Double(v.memAllocation.reservation + v.overheadReservation)
        return resCPU[d] + rc <= cpuCap[d] + 1e-6 && resMem[d] + rm <= Double(h.memory.capacity)
    }
}

/// The priority of a load-balancing recommendation and the target imbalance of a
/// threshold (datacenter-facts §2.2, §8).
public enum DRSPriority {
    /// `6 − ceil(…)` for `imbalance` over `hosts` hosts, clamped to 2…5 (1 is for
    /// mandatory moves); nil when balanced (the formula gives 6: no recommendation).
    public static func of(imbalance lim: Double, hosts n: Int, reading: DRSSettings.PriorityReading) -> Int? {
        guard lim > 0, n > 1 else { return nil }
        let x = reading == .a ? (lim / 0.1) * Double(n).squareRoot() : lim / (0.1 * Double(n).squareRoot())
        // a hair below an integer is that integer: 0.3/0.1 is 2.9999999999999996
        let raw = Int((x - 1e-9).rounded(.up))
        guard raw >= 1 else { return nil }
        return min(5, max(2, 6 - raw))
    }

    /// The largest LIM threshold `t` tolerates: priority ≤ t iff LIM > target. Reading A
    /// `0.1·(5 − t)/√N`, reading B `0.1·(5 − t)·√N`; threshold 1 moves nothing for
    /// balance (infinity).
    public static func target(threshold t: Int, hosts n: Int, reading: DRSSettings.PriorityReading) -> Double {
        guard t >= 2 else { return .infinity }
        let root = Double(max(n, 1)).squareRoot()
        return reading == .a ? 0.1 * Double(5 - t) / root : 0.1 * Double(5 - t) * root
    }
}
