/// The metric alarms set on every VM (vCenter's defaults: CPU, memory, disk latency) or
/// every host are evaluated inside the sampler's pass, host by host, from the rows it has
/// just written, while they are in cache: at tens of thousands of VMs, reading every
/// VM's series again afterwards, once per alarm, costs more than the alarms' arithmetic.
/// The pass only computes levels; the changes it finds are applied after the sample in
/// alarm and object order, so results do not depend on how many threads sampled.
final class AlarmSamplePass {
    let target: AlarmTarget
    init(target: AlarmTarget) { self.target = target }

    struct Change {
        let alarm: Int32
        let slot: Int32
        let level: UInt8
        let value: Double
    }
    /// What one sampling thread found.
    final class Found {
        // each worker's own, written for every VM sampled: no dynamic exclusivity checks
        @exclusivity(unchecked) var changes: [Change] = []
        /// The VMs of the host being sampled: their slots and, per alarm, their values,
        /// evaluated together once the host is done, so their states are read in order.
        @exclusivity(unchecked) var slots: [Int] = []
        @exclusivity(unchecked) var values: [Double] = []
    }

    private(set) var alarms: [Alarm] = []
    /// Each alarm reduced to its thresholds and raw state, rebuilt before each sample (the
    /// state's buffers do not grow while the VMs are sampled).
    struct Fast {
        var level: UnsafeMutablePointer<UInt8>, state: UnsafeMutablePointer<Alarm.TriggerState>
        var warning: Double, critical: Double, lasting: Int64, below: Bool
        var channel: Int, perMemory: Bool
    }
    @exclusivity(unchecked) private var fast: FixedBuffer<Fast>?
    /// Per alarm: the row's channel it reads, and whether it is divided by the VM's
    /// configured memory (memory.usage).
    private var channel: [Int] = []
    private var perMemory: [Bool] = []
    /// When each VM slot was last sampled: a VM the pass did not see has no data.
    let sampledAt = SlotBuffer<Int64>(fill: Int64.min)
    /// Per slot, a bit per alarm (the first 64) whose state is not at rest (a condition
    /// holding, a level other than green): a VM far from every threshold, with every bit
    /// clear, costs a compare per alarm and touches nothing else.
    let busy = SlotBuffer<UInt64>(fill: 0)
    /// The trigger states of its alarms, VM by VM: one VM's are next to each other, so a
    /// VM sampled costs one place in memory, not one per alarm.
    private var block = SlotBuffer<Alarm.TriggerState>(fill: Alarm.TriggerState())
    private var slots = 0

    /// Room for VM slots up to `n` (never while the VMs are sampled).
    func ensure(slots n: Int) {
        guard n > slots else { return }
        block.grow(to: n * alarms.count)
        slots = n
    }

    /// Alarm `k`'s state for VM `slot`.
    @inline(__always)
    func state(_ k: Int, slot: Int) -> UnsafeMutablePointer<Alarm.TriggerState> { block.pointer + slot * alarms.count + k }
    @exclusivity(unchecked) private(set) var found: [Found] = [Found()]

    var isEmpty: Bool { alarms.isEmpty }

    /// Takes the alarms it can evaluate (one metric trigger of a series of its target
    /// kind, on every object of that kind).
    func take(_ a: Alarm) -> Bool {
        guard a.n == 1, a.target == target, case .all = a.spec.scope else { return false }
        switch a.compiled[0].metric {
        case .vmChannel(let c) where target == .vm, .hostChannel(let c) where target == .host:
            channel.append(c)
            perMemory.append(false)
        case .vmMemory(let c) where target == .vm:
            channel.append(c)
            perMemory.append(true)
        default: return false
        }
        // the block gets a column more: the states so far move to the new layout
        let old = block, k = alarms.count
        alarms.append(a)
        a.pass = self
        a.passIndex = k
        block = SlotBuffer<Alarm.TriggerState>(fill: Alarm.TriggerState())
        block.grow(to: slots * (k + 1))
        for slot in 0..<slots {
            for j in 0..<k { (block.pointer + slot * (k + 1) + j).pointee = (old.pointer + slot * k + j).pointee }
        }
        return true
    }

    /// Before a sample: room for `objects` and a change list per sampling thread (grown
    /// here, never while threads write).
    func prepare(objects vms: Int, workers: Int) {
        sampledAt.grow(to: vms)
        busy.grow(to: vms)
        for a in alarms { a.grow(to: vms) }
        while found.count < workers { found.append(Found()) }
        fast = FixedBuffer(alarms.indices.map { k in
            let a = alarms[k], c = a.compiled[0]
            return Fast(level: a.level.pointer, state: block.pointer + k,
                        warning: c.warning, critical: c.critical, lasting: c.lasting, below: c.below,
                        channel: channel[k], perMemory: perMemory[k])
        })
    }

    /// A VM sampled by thread `worker`, right after its row was written (in cache): its
    /// values are noted for `flush`. Not inlined, so a profile shows what the alarms cost
    /// inside the sampler.
    @inline(never)
    func sampled(vm: VM, worker: Int) {
        guard let fast else { return }
        let f = found[worker], row = vm.metrics.series.currentRow, memory = Double(vm.memory)
        f.slots.append(vm.index)
        for k in 0..<fast.count {
            let p = fast.pointer(k)
            let v = row[p.pointee.channel]
            f.values.append(p.pointee.perMemory ? (memory > 0 ? v / memory * 100 : 0) : v)
        }
    }

    /// The host's VMs noted by thread `worker`, evaluated at `t`, covering (t0, t].
    @inline(never)
    func flush(worker: Int, at t: SimTime, start t0: SimTime) {
        let f = found[worker]
        guard let fast, !f.slots.isEmpty else { return }
        for (i, slot) in f.slots.enumerated() {
            evaluate(slot: slot, values: i * fast.count, of: f, at: t, start: t0, worker: worker)
        }
        f.slots.removeAll(keepingCapacity: true)
        f.values.removeAll(keepingCapacity: true)
    }

    /// A host sampled at `t` (a failed host reports nothing: no data).
    @inline(never)
    func sampled(host: Host, at t: SimTime, start t0: SimTime, worker: Int) {
        guard !host.failed, let fast else { return }
        let f = found[worker], row = host.metrics.series.currentRow
        let base = f.values.count
        for k in 0..<fast.count { f.values.append(row[fast.pointer(k).pointee.channel]) }
        evaluate(slot: host.index, values: base, of: f, at: t, start: t0, worker: worker)
        f.values.removeSubrange(base...)
    }

    @inline(__always)
    private func evaluate(slot: Int, values base: Int, of found: Found, at t: SimTime, start t0: SimTime, worker: Int) {
        guard slot >= 0, slot < sampledAt.count, let fast else { return }
        sampledAt[slot] = t.micros
        let stride = fast.count
        var bits = busy[slot]
        let before = bits
        for k in 0..<fast.count {
            let f = fast.pointer(k)
            let v = found.values[base + k]
            let bit: UInt64 = k < 64 ? 1 << UInt64(k) : 0
            if bits & bit == 0 && k < 64 {
                // at rest: only a threshold crossed changes anything
                let w = f.pointee.below ? v < f.pointee.warning : v > f.pointee.warning
                let r = f.pointee.below ? v < f.pointee.critical : v > f.pointee.critical
                if !w && !r { continue }
            }
            let st = f.pointee.state + slot * stride
            let l = Alarm.metricLevel(v, warning: f.pointee.warning, critical: f.pointee.critical, below: f.pointee.below,
                                      lasting: f.pointee.lasting, state: st, t.micros, t0.micros)
            let level = f.pointee.level[slot]
            if l != level { found.changes.append(Change(alarm: Int32(k), slot: Int32(slot), level: l, value: v)) }
            let rest = st.pointee.warn == Alarm.none && st.pointee.crit == Alarm.none && l == 0 && level == 0
            bits = rest ? bits & ~bit : bits | bit
        }
        if bits != before { busy[slot] = bits }
    }

    /// After the sample: VMs it did not see have no data (their conditions reset); the
    /// changes are sorted by alarm and VM, for `apply`.
    private var sorted: [Change] = []
    private var cursor = 0

    func finish(objects count: Int, at t: SimTime, start t0: SimTime) {
        sorted.removeAll(keepingCapacity: true)
        cursor = 0
        for f in found {
            sorted += f.changes
            f.changes.removeAll(keepingCapacity: true)
        }
        let all = alarms.count > 64   // beyond 64 alarms the bits do not tell: look at every slot
        for slot in 0..<min(count, sampledAt.count) where sampledAt[slot] != t.micros && (all || busy[slot] != 0) {
            for (k, a) in alarms.enumerated() {
                let l = a.metricLevel(slot, a.compiled[0], nil, t.micros, t0.micros)
                if l != a.level[slot] { sorted.append(Change(alarm: Int32(k), slot: Int32(slot), level: l, value: .nan)) }
            }
            busy[slot] = 0   // no data: every condition reset (and the level follows)
        }
        sorted.sort { $0.alarm != $1.alarm ? $0.alarm < $1.alarm : $0.slot < $1.slot }
    }

    /// Applies the changes of `a` (called for each alarm of the pass in definition order,
    /// where the engine reaches it, so the log keeps alarm order).
    func apply(_ a: Alarm, at t: SimTime, subject: (Int) -> AlarmSubject) {
        while cursor < sorted.count, alarms[Int(sorted[cursor].alarm)] === a {
            let ch = sorted[cursor]
            cursor += 1
            a.apply(slot: Int(ch.slot), subject(Int(ch.slot)), to: ch.level, value: ch.value, at: t)
        }
    }
}
