/// Xen's credit scheduler, credit1 (xen/common/sched/credit.c; model-facts §1.5).
///
/// A running vCPU burns 10 credits per ms. Every time slice (30 ms) the accounting gives
/// each active domain `credits_per_tslice × pCPUs` shared by weight × active vCPUs,
/// capped at 300 per active vCPU (less with a cap), with the surplus of capped domains
/// going to the others. A vCPU with credit ≥ 0 is UNDER, below 0 OVER; a waking UNDER
/// vCPU is BOOSTed and preempts lower priorities until the next 10 ms tick. The queue is
/// BOOST, then UNDER, then OVER, first come first served within a priority (one global
/// queue stands for Xen's per-pCPU queues with work stealing). Credit is clipped at
/// −300; a vCPU above +300 stops being accounted and its credit is halved. A capped
/// domain's vCPU whose credit falls below −cap is parked until its credit is positive
/// again: that held-back time is %MLMTD. A running vCPU is not preempted before it has
/// run `sched_ratelimit_us` (1 ms by default) on its pCPU.
final class CreditPolicy: QuantumPolicy {
    static let boost: UInt8 = 0, under: UInt8 = 1, over: UInt8 = 2

    let config: SchedulerConfig
    let pcpus: Int
    private var nextTicket: UInt64 = 0
    private var active: [Bool] = []
    private var waiting: [Int32] = []

    /// Credits per time slice per pCPU: 10 per ms × 30 ms = 300.
    var creditsPerSlice: Int64 { 10 * config.timeSlice.micros / 1000 }

    init(config: SchedulerConfig, pcpus: Int) {
        self.config = config
        self.pcpus = pcpus
    }

    func attached(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64) {
        for s32 in groups[g].slots {
            let s = Int(s32)
            v.credit[s] = 0
            v.priority[s] = CreditPolicy.under
            v.onCPU[s] = false
            v.parked[s] = false
            v.sliceUsed[s] = 0
            v.ticket[s] = takeTicket()
        }
    }

    private func takeTicket() -> UInt64 {
        nextTicket += 1
        return nextTicket
    }

    func allocate(_ v: inout VCPUSlots, _ groups: inout [VMGroup], t0: Int64, dt: Int64, pcpus: Int) throws {
        if active.count < v.count { active += Array(repeating: false, count: v.count - active.count) }
        var running = 0
        waiting.removeAll(keepingCapacity: true)
        for s32 in v.order {
            let s = Int(s32)
            v.alloc[s] = 0
            v.why[s] = v.parked[s] ? .limit : .ready
            guard v.demand[s] > 0 else {
                v.onCPU[s] = false  // blocked: it leaves the pCPU
                continue
            }
            if !v.hadDemand[s] && !v.onCPU[s] {  // woke up: BOOST if UNDER, to the tail
                if v.credit[s] >= 0 { v.priority[s] = CreditPolicy.boost }
                v.ticket[s] = takeTicket()
            }
            if v.onCPU[s] && v.sliceUsed[s] >= config.timeSlice.micros {  // slice over: back of its queue
                v.onCPU[s] = false
                v.ticket[s] = takeTicket()
            }
            if v.parked[s] {
                v.onCPU[s] = false
                continue
            }
            if v.onCPU[s] { running += 1 } else { waiting.append(s32) }
        }
        waiting.sort { a, b in
            let (x, y) = (Int(a), Int(b))
            return v.priority[x] != v.priority[y] ? v.priority[x] < v.priority[y] : v.ticket[x] < v.ticket[y]
        }
        for w32 in waiting {
            let w = Int(w32)
            if running < pcpus {
                running += 1
                v.onCPU[w] = true
                v.sliceUsed[w] = 0
            } else if let victim = lowestRunning(&v, below: v.priority[w]) {  // a waking vCPU preempts lower priorities
                v.onCPU[victim] = false
                v.ticket[victim] = takeTicket()
                v.onCPU[w] = true
                v.sliceUsed[w] = 0
            }
        }
        for s32 in v.order {
            let s = Int(s32)
            guard v.onCPU[s] && v.demand[s] > 0 else { continue }
            let a = min(v.demand[s], dt)
            v.alloc[s] = a
            v.credit[s] -= a / 100  // 10 credits per ms
            v.sliceUsed[s] += dt
            active[s] = true
            if v.priority[s] == CreditPolicy.boost { v.priority[s] = CreditPolicy.under }  // boost ends at the tick
        }
        // accounting at the end of each time slice
        if (t0 + dt) % config.timeSlice.micros == 0 { account(&v, groups, pcpus: pcpus) }
    }

    /// The running vCPU of the lowest priority worse than `priority`, latest first, among
    /// those that have run at least `ratelimit` since they were put on a pCPU.
    private func lowestRunning(_ v: inout VCPUSlots, below priority: UInt8) -> Int? {
        var pick: Int?
        let ratelimit = config.ratelimit.micros
        for s32 in v.order {
            let s = Int(s32)
            guard v.onCPU[s], v.priority[s] > priority, v.sliceUsed[s] >= ratelimit else { continue }
            if let p = pick, (v.priority[p], v.ticket[p]) >= (v.priority[s], v.ticket[s]) { continue }
            pick = s
        }
        return pick
    }

    /// csched_acct: share the credit of one time slice among the active domains.
    private func account(_ v: inout VCPUSlots, _ groups: [VMGroup], pcpus: Int) {
        let perSlice = creditsPerSlice
        var creditTotal = perSlice * Int64(pcpus)
        var activeCount = [Int64](repeating: 0, count: groups.count)
        var weightTotal: Int64 = 0
        for g in groups.indices where groups[g].live {
            for m in groups[g].slots where active[Int(m)] { activeCount[g] += 1 }
            weightTotal += groups[g].weight * activeCount[g]
        }
        guard weightTotal > 0 else { return }
        var weightLeft = weightTotal
        for g in groups.indices where groups[g].live && activeCount[g] > 0 {
            let n = activeCount[g]
            weightLeft -= groups[g].weight * n
            var peak = n * perSlice
            var capPerVCPU: Int64 = 0
            if groups[g].cap > 0 {
                let cap = (groups[g].cap * perSlice + 99) / 100
                if cap < peak { peak = cap }
                capPerVCPU = (cap + n - 1) / n
            }
            var fair = (creditTotal * groups[g].weight * n + weightTotal - 1) / weightTotal
            if fair >= peak {
                if weightLeft != 0 { creditTotal += ((fair - peak) * weightTotal + weightLeft - 1) / weightLeft }
                fair = peak
            }
            fair = (fair + n - 1) / n
            for m32 in groups[g].slots where active[Int(m32)] {
                let m = Int(m32)
                v.credit[m] += fair
                if v.credit[m] < 0 {
                    v.priority[m] = CreditPolicy.over
                    if groups[g].cap > 0 && v.credit[m] < -capPerVCPU { v.parked[m] = true }
                    if v.credit[m] < -perSlice { v.credit[m] = -perSlice }
                } else {
                    v.priority[m] = CreditPolicy.under
                    v.parked[m] = false
                    if v.credit[m] > perSlice {  // it stops earning until it runs again
                        active[m] = false
                        v.credit[m] /= 2
                    }
                }
            }
        }
    }
}
