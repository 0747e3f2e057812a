/// Per-vCPU state of a host's powered-on VMs as parallel arrays indexed by slot (a free
/// slot has owner == nil). The quantum engine and its policy work on these arrays
/// directly: one place for all scheduler state, no allocation while stepping.
struct VCPUSlots {
    // identity
    var owner: [VM?] = []
    var group: [Int32] = []
    var vcpuIndex: [Int32] = []
    // the work offered
    var backlog: [Int64] = []
    var streams: [[ArrivalStream]] = []
    var saturated: [Bool] = []
    var batch: [[BatchBinding]] = []
    // scheduler state (each policy uses its own)
    var pass: [Int64] = []
    var stride: [Int64] = []
    /// Co-scheduling: how far (µs) the vCPU is behind the most advanced vCPU of its VM.
    var behind: [Int64] = []
    /// The next time work arrives on a vCPU that has none (streams only).
    var nextArrival: [Int64] = []
    var hadDemand: [Bool] = []
    var credit: [Int64] = []
    var priority: [UInt8] = []
    var ticket: [UInt64] = []
    var onCPU: [Bool] = []
    var sliceUsed: [Int64] = []
    var parked: [Bool] = []
    var periodUsed: [Int64] = []
    var lastRan: [Int64] = []
    // this step: demand, the window it was runnable in, what it got, why it waited
    var demand: [Int64] = []
    var window: [Int64] = []
    var alloc: [Int64] = []
    var why: [WaitReason] = []
    var rank: [Int64] = []
    // accounting
    var attachedAt: [Int64] = []
    var counters: [CPUCounters] = []
    /// Slots with work offered, in the policy's priority order.
    var order: [Int32] = []

    var count: Int { owner.count }

    mutating func grow() {
        owner.append(nil)
        group.append(-1)
        vcpuIndex.append(0)
        backlog.append(0)
        streams.append([])
        saturated.append(false)
        batch.append([])
        pass.append(0)
        stride.append(0)
        behind.append(0)
        nextArrival.append(0)
        hadDemand.append(false)
        credit.append(0)
        priority.append(0)
        ticket.append(0)
        onCPU.append(false)
        sliceUsed.append(0)
        parked.append(false)
        periodUsed.append(0)
        lastRan.append(0)
        demand.append(0)
        window.append(0)
        alloc.append(0)
        why.append(.ready)
        rank.append(0)
        attachedAt.append(0)
        counters.append(CPUCounters())
    }
}

/// Why a vCPU with work did not run for part of a step.
enum WaitReason: UInt8 {
    /// Contention: another vCPU had the pCPU (%RDY).
    case ready
    /// Co-stopped to limit skew between the vCPUs of an SMP VM (%CSTP).
    case costop
    /// Held back by a limit or cap (%MLMTD, part of %RDY).
    case limit
}

/// A batch thread running on a vCPU slot.
struct BatchBinding {
    unowned(unsafe) let workload: BatchWorkload
    let thread: Int
}

/// The powered-on VMs of a host, as the policies see them: their slots and the
/// allocation settings resolved to rates.
struct VMGroup {
    unowned(unsafe) var vm: VM
    /// Its vCPUs occupy consecutive slots.
    var first: Int32
    var count: Int32
    var slots: Range<Int32> { first..<(first + count) }
    var live = true
    /// Co-scheduling: the largest `behind` of its vCPUs (the skew of its leader).
    var maxBehind: Int64 = 0
    /// Reserved and limited pCPU time per µs (MHz / host MHz); limit nil = none.
    var reservationRate = 0.0
    var limitRate: Double?
    /// µs of pCPU time available under the limit, and owed by the reservation.
    var tokens = 0.0
    var reserved = 0.0
    /// relaxed (ESX 3.x): the VM is co-stopped until its lagging vCPUs can co-start.
    var costopped = false
    /// credit: weight and cap (% of one pCPU, 0 = none); cfs: cgroup weight, quota/period.
    var weight: Int64 = 256
    var cap: Int64 = 0
    var quota: Int64 = -1
    var vruntime: Int64 = 0
}
