/// A defined alarm and its state for each subject. Subjects have slots (their index
/// among the objects of the target kind, `AlarmEngine`); per slot it keeps the alarm's
/// level and, per trigger, the trigger's level and since when its warning and critical
/// conditions have held — plain arrays, so a sample costs a few loads per subject.
public final class Alarm {
    public let spec: AlarmSpec
    public var name: String { spec.name }
    public var target: AlarmTarget { spec.target }
    /// "file:line" of the definition in a lab script, for errors of its actions.
    public var origin = ""
    /// Evaluated in the sampler's pass over the VMs (`AlarmSamplePass`).
    var inSamplePass = false
    /// Every change of state, oldest first.
    public internal(set) var history: [AlarmHistoryEntry] = []
    public unowned(unsafe) let engine: AlarmEngine

    /// A trigger reduced to plain values for the sample loop.
    struct Compiled {
        enum Kind { case metric, state, event }
        var kind: Kind
        var metric: AlarmMetric.Reader = .datastoreUsage
        var warning = Double.nan, critical = Double.nan
        var lasting: Int64 = 0
        var below = false
        var state: AlarmState.Reader = .vmPower
        /// Bit i set: the state's value i matches.
        var mask: UInt32 = 0
        var level: UInt8 = 2
    }
    let compiled: [Compiled]
    let n: Int
    let hasMetric: Bool, hasState: Bool, hasEvent: Bool

    /// A trigger's state for one subject: its level, and since when its warning and
    /// critical conditions hold (`none` when they do not) — one record, so a sample
    /// touches one place per alarm and subject.
    struct TriggerState {
        var warn = Alarm.none, crit = Alarm.none
        var current: UInt8 = 0
    }
    let level = SlotBuffer<UInt8>(fill: 0)
    /// Per slot and trigger, slot-major.
    let states = SlotBuffer<TriggerState>(fill: TriggerState())
    /// What each trigger saw at the last evaluation of a subject, for the transition's
    /// value: a metric's number (NaN for none), a state's index, an event's message.
    @exclusivity(unchecked) var seenNumber: [Double]
    @exclusivity(unchecked) var seenState: [Int]
    @exclusivity(unchecked) var seenText: [String]
    /// Repeating actions: the next repeat by slot, for subjects in the state the action's
    /// transition led to.
    var repeats: [[Int: (due: SimTime, subject: AlarmSubject)]]
    static let none = Int64.min

    init(spec: AlarmSpec, engine: AlarmEngine) {
        self.spec = spec
        self.engine = engine
        var out: [Compiled] = []
        for t in spec.triggers {
            switch t {
            case .metric(let m):
                var c = Compiled(kind: .metric)
                c.metric = m.metric.reader
                c.warning = m.warning ?? .nan
                c.critical = m.critical ?? .nan
                c.lasting = m.lasting.micros
                c.below = m.below
                out.append(c)
            case .state(let s):
                var c = Compiled(kind: .state)
                c.state = s.state.reader
                for (i, v) in s.state.values.enumerated() where s.values.contains(v) != s.negate { c.mask |= 1 << UInt32(i) }
                c.level = s.level.rawValue
                out.append(c)
            case .event(let e):
                var c = Compiled(kind: .event)
                c.level = e.level.rawValue
                out.append(c)
            }
        }
        compiled = out
        n = out.count
        hasMetric = out.contains { $0.kind == .metric }
        hasState = out.contains { $0.kind == .state }
        hasEvent = out.contains { $0.kind == .event }
        seenNumber = Array(repeating: .nan, count: out.count)
        seenState = Array(repeating: 0, count: out.count)
        seenText = Array(repeating: "", count: out.count)
        repeats = Array(repeating: [:], count: spec.actions.count)
    }

    /// Makes room for slots up to `count`.
    func grow(to count: Int) {
        guard level.count < count else { return }
        level.grow(to: count)
        states.grow(to: count * n)
    }

    /// The state of a subject's slot (green before its first evaluation).
    func state(slot: Int) -> AlarmLevel { slot < level.count ? AlarmLevel(rawValue: level[slot])! : .green }

    // MARK: evaluation

    /// A metric trigger's level for a subject from the sample at `t` covering (t0, t]: a
    /// condition holds from the start of the first sample interval that met it, and counts
    /// once it has held for the whole condition length. No value (no data): nothing holds.
    @inline(__always)
    func metricLevel(_ j: Int, _ c: Compiled, _ v: Double?, _ t: Int64, _ t0: Int64) -> UInt8 {
        Alarm.metricLevel(v, warning: c.warning, critical: c.critical, below: c.below, lasting: c.lasting,
                          state: states.pointer + j, t, t0)
    }

    /// The same on raw state, for the sampler's pass; sets the trigger's level too. It
    /// writes only what changes, so subjects in their usual state dirty no memory.
    @inline(__always)
    static func metricLevel(_ v: Double?, warning: Double, critical: Double, below: Bool, lasting: Int64,
                            state s: UnsafeMutablePointer<TriggerState>, _ t: Int64, _ t0: Int64) -> UInt8 {
        var l: UInt8 = 0
        if let v {
            let w = below ? v < warning : v > warning   // false for NaN (no threshold)
            let r = below ? v < critical : v > critical
            if w { if s.pointee.warn == Alarm.none { s.pointee.warn = t0 } } else if s.pointee.warn != Alarm.none { s.pointee.warn = Alarm.none }
            if r { if s.pointee.crit == Alarm.none { s.pointee.crit = t0 } } else if s.pointee.crit != Alarm.none { s.pointee.crit = Alarm.none }
            if r && t - s.pointee.crit >= lasting { l = 2 } else if w && t - s.pointee.warn >= lasting { l = 1 }
        } else {
            if s.pointee.warn != Alarm.none { s.pointee.warn = Alarm.none }
            if s.pointee.crit != Alarm.none { s.pointee.crit = Alarm.none }
        }
        if s.pointee.current != l { s.pointee.current = l }
        return l
    }

    @inline(__always)
    private func setCurrent(_ j: Int, _ l: UInt8) {
        let p = states.pointer + j
        if p.pointee.current != l { p.pointee.current = l }
    }

    /// Evaluates every trigger of a subject's slot (metrics from the sample at `t`, or
    /// kept as they are when `sampled` is false) and changes its state if the combined
    /// level changed. Returns nothing; transitions go to the engine.
    @inline(__always)
    func evaluate(slot: Int, _ subject: AlarmSubject, at t: SimTime, start t0: SimTime, sampled: Bool) {
        var combined: UInt8 = spec.all ? 2 : 0
        let base = slot * n
        for k in 0..<n {
            let c = compiled[k]
            let l: UInt8
            switch c.kind {
            case .metric:
                if sampled {
                    let v = engine.read(c.metric, subject, at: t)
                    l = metricLevel(base + k, c, v, t.micros, t0.micros)
                    seenNumber[k] = v ?? .nan
                } else {
                    l = states[base + k].current
                }
            case .state:
                let index = engine.readState(c.state, subject)
                l = c.mask & (1 << UInt32(index)) != 0 ? c.level : 0
                setCurrent(base + k, l)
                seenState[k] = index
            case .event:
                l = states[base + k].current
            }
            combined = spec.all ? min(combined, l) : max(combined, l)
        }
        if combined != level[slot] { change(slot, subject, to: combined, at: t) }
    }

    /// The fast path of the common alarm: one metric trigger, evaluated at a sample.
    @inline(__always)
    func evaluateMetric(slot: Int, _ v: Double?, _ subject: @autoclosure () -> AlarmSubject, at t: SimTime, start t0: SimTime) {
        let l = metricLevel(slot, compiled[0], v, t.micros, t0.micros)
        if l != level[slot] {
            seenNumber[0] = v ?? .nan
            change(slot, subject(), to: l, at: t)
        }
    }

    /// An event matched trigger `k` (or its reset): latch or clear it and re-evaluate.
    func event(slot: Int, trigger k: Int, set: Bool, _ subject: AlarmSubject, message: String, at t: SimTime) {
        grow(to: slot + 1)
        setCurrent(slot * n + k, set ? compiled[k].level : 0)
        seenText[k] = message
        evaluate(slot: slot, subject, at: t, start: t, sampled: false)
    }

    /// A manual reset ("Reset to green"): event triggers cleared, the rest re-evaluated
    /// from what they last saw.
    func reset(slot: Int, _ subject: AlarmSubject, at t: SimTime) {
        grow(to: slot + 1)
        for k in 0..<n where compiled[k].kind == .event {
            setCurrent(slot * n + k, 0)
            seenText[k] = ""
        }
        evaluate(slot: slot, subject, at: t, start: t, sampled: false)
    }

    /// A level found by the sampler's pass (`AlarmSamplePass`), applied in order.
    func apply(slot: Int, _ subject: AlarmSubject, to l: UInt8, value: Double, at t: SimTime) {
        guard l != level[slot] else { return }
        seenNumber[0] = value
        change(slot, subject, to: l, at: t)
    }

    private func change(_ slot: Int, _ subject: AlarmSubject, to l: UInt8, at t: SimTime) {
        let from = AlarmLevel(rawValue: level[slot])!, to = AlarmLevel(rawValue: l)!
        level[slot] = l
        // the value shown: the trigger that decided the level
        let base = slot * n
        var decider = 0
        for k in 0..<n where states[base + k].current == l {
            decider = k
            break
        }
        let value: AlarmValue
        let c = compiled[decider]
        switch c.kind {
        case .metric: value = seenNumber[decider].isNaN ? .none : .number(seenNumber[decider])
        case .state: value = .text(AlarmStates.values(c.state)[seenState[decider]])
        case .event: value = seenText[decider].isEmpty ? .none : .text(seenText[decider])
        }
        history.append(AlarmHistoryEntry(time: t, subject: subject, from: from, to: to, value: value))
        engine.transition(self, slot: slot, subject, from: from, to: to, value: value, trigger: decider, at: t)
    }
}
