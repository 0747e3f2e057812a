/// Per-vCPU state of a host's powered-on VMs, as columns indexed by slot. The quantum
/// engine and its policies read and write these in their inner loops, so the numeric
/// columns live in raw memory (`Column`): no bounds, uniqueness or exclusivity checks
/// per access in release builds (indices are asserted in debug builds). Object-valued
/// columns, touched rarely, stay Swift arrays.
struct VCPUSlots {
    private(set) var count = 0
    private var capacity = 0
    private let store = ColumnStore()

    // identity
    var owner: [VM?] = []
    var group: Column<Int32>
    var vcpuIndex: Column<Int32>
    // the work offered
    var backlog: Column<Int64>
    /// Work streams: the first inline (most vCPUs have one), more in `extraStreams`.
    var stream: Column<ArrivalStream>
    var streamCount: Column<Int32>
    var extraStreams: [[ArrivalStream]] = []
    var saturated: Column<Bool>
    var batch: [[BatchBinding]] = []
    var hasBatch: Column<Bool>
    // scheduler state (each policy uses its own)
    var pass: Column<Int64>
    var stride: Column<Int64>
    /// Co-scheduling: how far (µs) the vCPU is behind the most advanced vCPU of its VM.
    var behind: Column<Int64>
    /// The next time work arrives on a vCPU that has none (streams only).
    var nextArrival: Column<Int64>
    var hadDemand: Column<Bool>
    var eligible: Column<Bool>
    var credit: Column<Int64>
    var priority: Column<UInt8>
    var ticket: Column<UInt64>
    var onCPU: Column<Bool>
    var sliceUsed: Column<Int64>
    var parked: Column<Bool>
    var periodUsed: Column<Int64>
    var lastRan: Column<Int64>
    // this step: demand, the window it was runnable in, what it got, why it waited
    var demand: Column<Int64>
    var window: Column<Int64>
    var alloc: Column<Int64>
    var why: Column<WaitReason>
    var rank: Column<Int64>
    // accounting
    var attachedAt: Column<Int64>
    var counters: Column<CPUCounters>
    /// Slots with work offered, in the policy's priority order.
    var order: [Int32] = []

    init() {
        let s = store
        group = s.column(); vcpuIndex = s.column(); backlog = s.column(); stream = s.column()
        streamCount = s.column(); saturated = s.column(); hasBatch = s.column(); pass = s.column()
        stride = s.column(); behind = s.column(); nextArrival = s.column(); hadDemand = s.column()
        eligible = s.column(); credit = s.column(); priority = s.column(); ticket = s.column()
        onCPU = s.column(); sliceUsed = s.column(); parked = s.column(); periodUsed = s.column()
        lastRan = s.column(); demand = s.column(); window = s.column(); alloc = s.column()
        why = s.column(); rank = s.column(); attachedAt = s.column(); counters = s.column()
    }

    /// Adds a slot with every column at its zero value.
    mutating func grow() {
        if count == capacity { reserve(max(16, capacity * 2)) }
        let i = count
        count += 1
        owner.append(nil)
        extraStreams.append([])
        batch.append([])
        group[i] = -1; vcpuIndex[i] = 0; backlog[i] = 0; stream[i] = ArrivalStream(period: 1, phase: 0, work: 0)
        streamCount[i] = 0; saturated[i] = false; hasBatch[i] = false; pass[i] = 0; stride[i] = 0; behind[i] = 0
        nextArrival[i] = 0; hadDemand[i] = false; eligible[i] = true; credit[i] = 0; priority[i] = 0; ticket[i] = 0
        onCPU[i] = false; sliceUsed[i] = 0; parked[i] = false; periodUsed[i] = 0; lastRan[i] = 0; demand[i] = 0
        window[i] = 0; alloc[i] = 0; why[i] = .ready; rank[i] = 0; attachedAt[i] = 0; counters[i] = CPUCounters()
    }

    private mutating func reserve(_ n: Int) {
        let (s, old) = (store, count)
        s.grow(&group, old, n); s.grow(&vcpuIndex, old, n); s.grow(&backlog, old, n); s.grow(&stream, old, n)
        s.grow(&streamCount, old, n); s.grow(&saturated, old, n); s.grow(&hasBatch, old, n); s.grow(&pass, old, n)
        s.grow(&stride, old, n); s.grow(&behind, old, n); s.grow(&nextArrival, old, n); s.grow(&hadDemand, old, n)
        s.grow(&eligible, old, n); s.grow(&credit, old, n); s.grow(&priority, old, n); s.grow(&ticket, old, n)
        s.grow(&onCPU, old, n); s.grow(&sliceUsed, old, n); s.grow(&parked, old, n); s.grow(&periodUsed, old, n)
        s.grow(&lastRan, old, n); s.grow(&demand, old, n); s.grow(&window, old, n); s.grow(&alloc, old, n)
        s.grow(&why, old, n); s.grow(&rank, old, n); s.grow(&attachedAt, old, n); s.grow(&counters, old, n)
        capacity = n
    }

    mutating func clearWork(_ s: Int) {
        streamCount[s] = 0
        extraStreams[s] = []
        batch[s] = []
        hasBatch[s] = false
        saturated[s] = false
        backlog[s] = 0
    }

    mutating func addStream(_ s: Int, _ st: ArrivalStream) {
        if streamCount[s] == 0 { stream[s] = st } else { extraStreams[s].append(st) }
        streamCount[s] += 1
    }

    /// Every stream of slot s.
    func streams(_ s: Int) -> [ArrivalStream] { streamCount[s] == 0 ? [] : [stream[s]] + extraStreams[s] }
}

/// A column of plain values in raw memory owned by a `ColumnStore`. Copies share the
/// memory (like a pointer); the store frees it.
struct Column<Element> {
    fileprivate var base: UnsafeMutablePointer<Element>
    fileprivate let block: Int

    @inline(__always)
    subscript(_ i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Owns the memory of the columns of one `VCPUSlots`. Elements are plain values (no
/// references), so memory is only allocated and freed, never deinitialised.
final class ColumnStore {
    private var blocks: [UnsafeMutableRawPointer] = []

    func column<T>() -> Column<T> {
        assert(_isPOD(T.self), "columns hold plain values only")
        let p = UnsafeMutablePointer<T>.allocate(capacity: 1)
        blocks.append(UnsafeMutableRawPointer(p))
        return Column(base: p, block: blocks.count - 1)
    }

    /// Moves a column to room for `n` elements, keeping its first `old`.
    func grow<T>(_ c: inout Column<T>, _ old: Int, _ n: Int) {
        let p = UnsafeMutablePointer<T>.allocate(capacity: n)
        if old > 0 { p.moveInitialize(from: c.base, count: old) }
        blocks[c.block].deallocate()
        blocks[c.block] = UnsafeMutableRawPointer(p)
        c.base = p
    }

    deinit { for b in blocks { b.deallocate() } }
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
    /// cfs: the quota of the VM's whole cgroup per period (libvirt's global_quota), and
    /// what its vCPUs used of the current period.
    var groupQuota: Int64 = -1
    var groupUsed: Int64 = 0
    var vruntime: Int64 = 0
}
