/// The VM metric alarms set on every VM (vCenter's defaults: CPU, memory, disk latency)
/// are evaluated inside the sampler's pass over the VMs, from the row it has just
/// written, while the VM's data is in cache: at tens of thousands of VMs, reading every
/// VM's series again afterwards, once per alarm, costs more than the alarms' arithmetic.
/// The pass only computes levels; the changes it finds are applied after the sample in
/// alarm and VM order, so results do not depend on how many threads sampled.
final class AlarmSamplePass {
    struct Change {
        let alarm: Int32
        let slot: Int32
        let level: UInt8
        let value: Double
    }
    /// What one sampling thread found.
    final class Found { var changes: [Change] = [] }

    private(set) var alarms: [Alarm] = []
    /// Each alarm reduced to its thresholds and raw state, rebuilt before each sample (the
    /// state's buffers do not grow while the VMs are sampled).
    struct Fast {
        var level: UnsafeMutablePointer<UInt8>, state: UnsafeMutablePointer<Alarm.TriggerState>
        var warning: Double, critical: Double, lasting: Int64, below: Bool
        var channel: Int, perMemory: Bool
    }
    private var fast: FixedBuffer<Fast>?
    /// Per alarm: the row's channel it reads, and whether it is divided by the VM's
    /// configured memory (memory.usage).
    private var channel: [Int] = []
    private var perMemory: [Bool] = []
    /// When each VM slot was last sampled: a VM the pass did not see has no data.
    let sampledAt = SlotBuffer<Int64>(fill: Int64.min)
    private(set) var found: [Found] = [Found()]

    var isEmpty: Bool { alarms.isEmpty }

    /// Takes the alarms it can evaluate (one metric trigger of a VM series, on every VM).
    func take(_ a: Alarm) -> Bool {
        guard a.n == 1, a.target == .vm, case .all = a.spec.scope else { return false }
        switch a.compiled[0].metric {
        case .vmChannel(let c):
            channel.append(c)
            perMemory.append(false)
        case .vmMemory(let c):
            channel.append(c)
            perMemory.append(true)
        default: return false
        }
        alarms.append(a)
        return true
    }

    /// Before a sample: room for every VM and a change list per sampling thread (grown
    /// here, never while threads write).
    func prepare(vms: Int, workers: Int) {
        sampledAt.grow(to: vms)
        for a in alarms { a.grow(to: vms) }
        while found.count < workers { found.append(Found()) }
        fast = FixedBuffer(alarms.indices.map { k in
            let a = alarms[k], c = a.compiled[0]
            return Fast(level: a.level.pointer, state: a.states.pointer,
                        warning: c.warning, critical: c.critical, lasting: c.lasting, below: c.below,
                        channel: channel[k], perMemory: perMemory[k])
        })
    }

    /// A VM's row of the sample at `t` covering (t0, t], sampled by thread `worker`. Not
    /// inlined, so a profile shows what the alarms cost inside the sampler.
    @inline(never)
    func sampled(_ vm: VM, row: UnsafeBufferPointer<Double>, at t: SimTime, start t0: SimTime, worker: Int) {
        let slot = vm.index
        guard slot >= 0, slot < sampledAt.count, let fast else { return }
        sampledAt[slot] = t.micros
        let memory = Double(vm.memory)
        for k in 0..<fast.count {
            let f = fast.pointer(k)
            var v = row[f.pointee.channel]
            if f.pointee.perMemory { v = memory > 0 ? v / memory * 100 : 0 }
            let l = Alarm.metricLevel(v, warning: f.pointee.warning, critical: f.pointee.critical, below: f.pointee.below,
                                      lasting: f.pointee.lasting, state: f.pointee.state + slot, t.micros, t0.micros)
            if l != f.pointee.level[slot] { found[worker].changes.append(Change(alarm: Int32(k), slot: Int32(slot), level: l, value: v)) }
        }
    }

    /// After the sample: VMs it did not see have no data (their conditions reset); the
    /// changes are sorted by alarm and VM, for `apply`.
    private var sorted: [Change] = []
    private var cursor = 0

    func finish(vms: [VM], at t: SimTime, start t0: SimTime) {
        sorted.removeAll(keepingCapacity: true)
        cursor = 0
        for f in found {
            sorted += f.changes
            f.changes.removeAll(keepingCapacity: true)
        }
        for (k, a) in alarms.enumerated() {
            let c = a.compiled[0]
            for slot in 0..<min(vms.count, sampledAt.count) where sampledAt[slot] != t.micros {
                let l = a.metricLevel(slot, c, nil, t.micros, t0.micros)
                if l != a.level[slot] { sorted.append(Change(alarm: Int32(k), slot: Int32(slot), level: l, value: .nan)) }
            }
        }
        sorted.sort { $0.alarm != $1.alarm ? $0.alarm < $1.alarm : $0.slot < $1.slot }
    }

    /// Applies the changes of `a` (called for each alarm of the pass in definition order,
    /// where the engine reaches it, so the log keeps alarm order).
    func apply(_ a: Alarm, vms: [VM], at t: SimTime) {
        while cursor < sorted.count, alarms[Int(sorted[cursor].alarm)] === a {
            let ch = sorted[cursor]
            cursor += 1
            a.apply(slot: Int(ch.slot), .vm(vms[Int(ch.slot)]), to: ch.level, value: ch.value, at: t)
        }
    }
}
