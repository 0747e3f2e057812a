/// vCenter's alarms over one datacenter (datacenter-facts §3.1). Metric triggers are
/// evaluated at each sample, right after it (20 s by default), for every subject: cost
/// linear in alarms × subjects per sample, nothing per model event. Event triggers, and
/// the state triggers of the subject an event concerns, are driven by the event log: an
/// event of a watched kind is looked at once, when it is recorded. Actions run after the
/// sample or event that triggered them, between model events (`Datacenter.run`).
public final class AlarmEngine {
    unowned(unsafe) let dc: Datacenter
    public private(set) var alarms: [Alarm] = []

    struct Pending {
        let alarm: Alarm
        let action: Int
        let subject: AlarmSubject
        let from: AlarmLevel, to: AlarmLevel
        let value: AlarmValue
        let time: SimTime
        let repeated: Bool
    }
    var pending: [Pending] = []

    // subjects' slots: VMs, hosts and clusters by creation index; datastores on first sight
    private var vmSlot: [ObjectIdentifier: Int] = [:]
    private var hostSlot: [ObjectIdentifier: Int] = [:]
    var hostsByName: [String: Host] = [:]
    private var datastoreSlot: [ObjectIdentifier: Int] = [:]
    private(set) var datastores: [Datastore] = []

    /// Event kinds looked at when recorded: those event triggers and resets name, and
    /// those that change a state a state trigger watches.
    private var watched: Set<String> = []
    var stateKinds: [String: Set<AlarmTarget>] = [:]
    /// Clusters' HA resources, recomputed at the next sample after an event that may
    /// change them (it costs a pass over the cluster's VMs).
    private var haState: [Int] = []
    var haDirty = true

    /// The alarms the sampler evaluates as it samples each VM and host.
    let vmPass = AlarmSamplePass(target: .vm)
    let hostPass = AlarmSamplePass(target: .host)

    init(datacenter: Datacenter) { dc = datacenter }

    // MARK: defining

    /// Adds an alarm after checking all of it: nothing is added when any part is wrong.
    public func define(_ spec: AlarmSpec) throws -> Alarm {
        try AlarmEngine.validate(spec, existing: alarms.map(\.name))
        let mine: Bool
        switch spec.scope {
        case .all: mine = true
        case .vm(let v): mine = v.datacenter === dc && !v.isHostProcesses
        case .host(let h): mine = h.datacenter === dc
        case .datastore(let d): mine = dc.allDatastores.contains { $0 === d }
        case .cluster(let c): mine = dc.clusters.contains { $0 === c }
        }
        guard mine else { throw ModelError("lab.alarm \"\(spec.name)\": \(spec.scope.description) is not part of this datacenter") }
        let a = Alarm(spec: spec, engine: self)
        alarms.append(a)
        _ = vmPass.take(a) || hostPass.take(a)
        for t in spec.triggers {
            switch t {
            case .event(let e):
                watch(e.kind)
                if let r = e.reset { watch(r) }
            case .state:
                let kinds: [String]
                switch spec.target {
                case .vm: kinds = ["vm.power", "vm.question"]
                case .host: kinds = ["host.fail", "host.recover", "host.power"]
                case .cluster: kinds = ["ha", "host.fail", "host.recover", "host.power", "maintenance", "vm.power", "vm.config", "cluster.create"]
                case .datastore: kinds = []
                }
                for kind in kinds {
                    for k in expand(kind) { stateKinds[k, default: []].insert(spec.target); watched.insert(k) }
                }
            case .metric: break
            }
        }
        haDirty = true
        dc.log.observer = { [unowned(unsafe) self] e in self.observe(e) }
        dc.log.observedKinds = watched
        return a
    }

    private func expand(_ selector: String) -> [String] {
        EventKinds.all.map(\.kind).filter { $0 == selector || $0.hasPrefix(selector + ".") }
    }

    private func watch(_ selector: String) { for k in expand(selector) { watched.insert(k) } }

    // MARK: subjects

    func syncSlots() {
        while vmSlot.count < dc.vms.count { vmSlot[ObjectIdentifier(dc.vms[vmSlot.count])] = vmSlot.count }
        while hostSlot.count < dc.hosts.count {
            let h = dc.hosts[hostSlot.count]
            hostsByName[h.name] = h
            hostSlot[ObjectIdentifier(h)] = hostSlot.count
        }
    }

    /// Datastores get slots as they appear (a host's local disk when first used).
    private func syncDatastores() {
        for d in dc.allDatastores where datastoreSlot[ObjectIdentifier(d)] == nil {
            datastoreSlot[ObjectIdentifier(d)] = datastores.count
            datastores.append(d)
        }
    }

    func slot(_ s: AlarmSubject) -> Int? {
        syncSlots()
        switch s {
        case .vm(let v): return vmSlot[ObjectIdentifier(v)]
        case .host(let h): return hostSlot[ObjectIdentifier(h)]
        case .datastore(let d):
            syncDatastores()
            return datastoreSlot[ObjectIdentifier(d)]
        case .cluster(let c): return dc.clusters.firstIndex { $0 === c }
        }
    }

    private func slotCount(_ t: AlarmTarget) -> Int {
        switch t {
        case .vm: return dc.vms.count
        case .host: return dc.hosts.count
        case .datastore: return datastores.count
        case .cluster: return dc.clusters.count
        }
    }

    /// The subjects an alarm watches now, in creation order (VMs move between hosts, so a
    /// host's or cluster's children are found again at each sample).
    public func subjects(of a: Alarm) -> [AlarmSubject] {
        syncSlots()
        syncDatastores()
        var out: [AlarmSubject] = []
        forEach(a) { _, s in out.append(s) }
        return out
    }

    private func forEach(_ a: Alarm, _ body: (Int, AlarmSubject) -> Void) {
        switch a.target {
        case .vm: forEachVM(a.spec.scope) { body($0, .vm($1)) }
        case .host:
            for h in hosts(of: a.spec.scope) where h.index >= 0 && h.datacenter === dc { body(h.index, .host(h)) }
        case .datastore:
            var seen = Set<ObjectIdentifier>()
            for d in datastores(of: a.spec.scope) where seen.insert(ObjectIdentifier(d)).inserted {
                if let slot = datastoreSlot[ObjectIdentifier(d)] { body(slot, .datastore(d)) }
            }
        case .cluster:
            for (i, c) in dc.clusters.enumerated() {
                switch a.spec.scope {
                case .all: body(i, .cluster(c))
                case .cluster(let x) where x === c: body(i, .cluster(c))
                default: break
                }
            }
        }
    }

    @inline(__always)
    private func forEachVM(_ scope: AlarmScope, _ body: (Int, VM) -> Void) {
        switch scope {
        case .all: for (i, v) in dc.vms.enumerated() { body(i, v) }
        case .vm(let v): if let slot = vmSlot[ObjectIdentifier(v)] { body(slot, v) }
        case .host(let h): for v in h.vms { if let slot = vmSlot[ObjectIdentifier(v)] { body(slot, v) } }
        case .cluster(let c):
            for h in c.hosts { for v in h.vms { if let slot = vmSlot[ObjectIdentifier(v)] { body(slot, v) } } }
        case .datastore: break
        }
    }

    private func hosts(of scope: AlarmScope) -> [Host] {
        switch scope {
        case .all: return dc.hosts
        case .host(let h): return [h]
        case .cluster(let c): return c.hosts
        default: return []
        }
    }

    private func datastores(of scope: AlarmScope) -> [Datastore] {
        switch scope {
        case .all: return datastores
        case .datastore(let d): return [d]
        case .host(let h): return h.datastores + (h.localDatastoreIfUsed.map { [$0] } ?? [])
        case .cluster(let c): return c.hosts.flatMap { $0.datastores + ($0.localDatastoreIfUsed.map { [$0] } ?? []) }
        default: return []
        }
    }

    func inScope(_ a: Alarm, _ s: AlarmSubject) -> Bool {
        switch (a.spec.scope, s) {
        case (.all(let k), _): return k == a.target
        case (.vm(let x), .vm(let v)): return x === v
        case (.host(let x), .host(let h)): return x === h
        case (.host(let x), .vm(let v)): return v.host === x
        case (.host(let x), .datastore(let d)): return datastores(of: .host(x)).contains { $0 === d }
        case (.datastore(let x), .datastore(let d)): return x === d
        case (.cluster(let x), .cluster(let c)): return x === c
        case (.cluster(let x), .host(let h)): return x.hosts.contains { $0 === h }
        case (.cluster(let x), .vm(let v)): return x.hosts.contains { $0 === v.host }
        case (.cluster(let x), .datastore(let d)): return datastores(of: .cluster(x)).contains { $0 === d }
        default: return false
        }
    }

    // MARK: reading

    @inline(__always)
    func read(_ r: AlarmMetric.Reader, _ s: AlarmSubject, at t: SimTime) -> Double? {
        switch s {
        case .vm(let v): return AlarmMetrics.read(r, vm: v, at: t)
        case .host(let h): return AlarmMetrics.read(r, host: h, at: t)
        case .datastore(let d): return AlarmMetrics.read(r, datastore: d, used: used(d))
        case .cluster(let c): return AlarmMetrics.read(r, cluster: c, at: t)
        }
    }

    /// A datastore's space used, added up again only when something changed it (adding
    /// up its disks at every sample is most of what alarms cost in a large datacenter).
    private var usedCache: [ObjectIdentifier: (changes: Int, used: Int64)] = [:]
    private func used(_ d: Datastore) -> Int64 {
        if let c = usedCache[ObjectIdentifier(d)], c.changes == d.changes { return c.used }
        let u = d.used
        usedCache[ObjectIdentifier(d)] = (d.changes, u)
        return u
    }

    /// A state's value, as its index among the state's values.
    func readState(_ r: AlarmState.Reader, _ s: AlarmSubject) -> Int {
        switch s {
        case .vm(let v): return AlarmStates.read(r, vm: v)
        case .host(let h): return AlarmStates.read(r, host: h)
        case .cluster(let c):
            let slot = dc.clusters.firstIndex { $0 === c }!
            if haDirty || slot >= haState.count { refreshHA() }
            return haState[slot]
        case .datastore: return 0
        }
    }

    private func refreshHA() {
        haState = dc.clusters.map { AlarmStates.read(.clusterHA, cluster: $0) }
        haDirty = false
    }

    // MARK: evaluating

    /// Before the sample: the sampler's pass gets room for every VM and thread.
    func prepareSample(workers: Int) {
        if !vmPass.isEmpty { vmPass.prepare(objects: dc.vms.count, workers: workers) }
        if !hostPass.isEmpty { hostPass.prepare(objects: dc.hosts.count, workers: workers) }
    }

    /// At the sample taken at `t`, which covers (t0, t].
    func evaluate(at t: SimTime, start t0: SimTime) {
        syncSlots()
        if alarms.contains(where: { $0.target == .datastore }) { syncDatastores() }
        if !vmPass.isEmpty { vmPass.finish(objects: dc.vms.count, at: t, start: t0) }
        if !hostPass.isEmpty { hostPass.finish(objects: dc.hosts.count, at: t, start: t0) }
        for a in alarms {
            a.grow(to: slotCount(a.target))
            if a.pass === vmPass {
                let vms = dc.vms
                vmPass.apply(a, at: t) { .vm(vms[$0]) }   // evaluated as the VMs were sampled
            } else if a.pass === hostPass {
                let hosts = dc.hosts
                hostPass.apply(a, at: t) { .host(hosts[$0]) }
            } else if a.n == 1, a.hasMetric {
                let r = a.compiled[0].metric
                switch (a.target, a.spec.scope) {
                case (.vm, .all):
                    // the common case (vCenter's defaults): every VM, in creation order
                    let vms = dc.vms
                    for i in vms.indices { a.evaluateMetric(slot: i, AlarmMetrics.read(r, vm: vms[i], at: t), .vm(vms[i]), at: t, start: t0) }
                case (.vm, _): forEachVM(a.spec.scope) { slot, v in a.evaluateMetric(slot: slot, AlarmMetrics.read(r, vm: v, at: t), .vm(v), at: t, start: t0) }
                case (.host, _):
                    for h in hosts(of: a.spec.scope) where h.index >= 0 && h.datacenter === dc {
                        a.evaluateMetric(slot: h.index, AlarmMetrics.read(r, host: h, at: t), .host(h), at: t, start: t0)
                    }
                default: forEach(a) { slot, s in a.evaluateMetric(slot: slot, read(r, s, at: t), s, at: t, start: t0) }
                }
            } else if a.hasMetric || a.hasState {
                forEach(a) { slot, s in a.evaluate(slot: slot, s, at: t, start: t0, sampled: true) }
            }
            // event triggers change only with events: nothing to do at a sample
            queueRepeats(a, at: t)
        }
        if !pending.isEmpty { dc.sim.stopRequested = true }
    }

    // MARK: transitions and actions

    func transition(_ a: Alarm, slot: Int, _ subject: AlarmSubject, from: AlarmLevel, to: AlarmLevel, value: AlarmValue,
                    trigger: Int, at t: SimTime) {
        dc.log.record(t, "alarm", subject.description, AlarmText.transition(a, from: from, to: to, value: value, trigger: trigger))
        let path = AlarmTransitionKind.path(from, to)
        for (i, action) in a.spec.actions.enumerated() {
            for step in path where action.transitions.contains(step) {
                pending.append(Pending(alarm: a, action: i, subject: subject, from: step == path.first ? from : .yellow,
                                       to: step.into, value: value, time: t, repeated: false))
            }
            guard action.repeats else { continue }
            if let last = path.last, action.transitions.contains(last) {
                a.repeats[i][slot] = (t + action.every, subject)
            } else {
                a.repeats[i][slot] = nil
            }
        }
    }

    private func queueRepeats(_ a: Alarm, at t: SimTime) {
        for (i, action) in a.spec.actions.enumerated() where action.repeats && !a.repeats[i].isEmpty {
            for slot in a.repeats[i].keys.sorted() {
                guard let (due, subject) = a.repeats[i][slot], due <= t else { continue }
                let l = a.state(slot: slot)
                pending.append(Pending(alarm: a, action: i, subject: subject, from: l, to: l, value: .none, time: t, repeated: true))
                var next = due
                while next <= t { next = next + action.every }
                a.repeats[i][slot] = (next, subject)
            }
        }
    }

    public var hasPendingActions: Bool { !pending.isEmpty }

    /// Runs the actions due, in the order they were triggered; those they trigger in turn
    /// run too. A script's failure ends the run with its error.
    func runPendingActions() throws {
        var ran = 0
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll()
            for p in batch {
                ran += 1
                guard ran <= 10_000 else {
                    pending.removeAll()
                    throw ModelError("alarm actions keep triggering each other at \(dc.now): stopped after 10000 (last: \(p.alarm.name) on \(p.subject.description))")
                }
                let action = p.alarm.spec.actions[p.action]
                switch action.body {
                case .builtin(let name):
                    let head = "\(p.alarm.name): action \(name)\(p.repeated ? " (repeat)" : "")"
                    do {
                        let did = try AlarmActions.run(name, on: p.subject)
                        dc.log.record(dc.now, "alarm.action", p.subject.description, "\(head): \(did)")
                    } catch let e as ModelError {
                        dc.log.record(dc.now, "alarm.action", p.subject.description, "\(head) failed: \(e.message)")
                    }
                case .script(let s):
                    dc.log.record(dc.now, "alarm.action", p.subject.description,
                                  "\(p.alarm.name): script action\(p.repeated ? " (repeat)" : "") for \(p.from.name) → \(p.to.name)")
                    try s.run(AlarmActionCall(alarm: p.alarm, subject: p.subject, from: p.from, to: p.to, value: p.value,
                                              time: p.time, repeated: p.repeated))
                }
            }
        }
    }

    // MARK: reading states

    /// The alarm's state for `subject`; nil when the alarm does not watch it.
    public func state(_ a: Alarm, _ subject: AlarmSubject) -> AlarmLevel? {
        guard inScope(a, subject), let slot = slot(subject) else { return nil }
        return a.state(slot: slot)
    }

    /// Subjects not green, in creation order.
    public func triggered(_ a: Alarm) -> [(AlarmSubject, AlarmLevel)] {
        var out: [(AlarmSubject, AlarmLevel)] = []
        syncSlots()
        syncDatastores()
        forEach(a) { slot, s in
            let l = a.state(slot: slot)
            if l != .green { out.append((s, l)) }
        }
        return out
    }

    /// vCenter's "Reset to green": clears the subject's event triggers. False when the
    /// alarm does not watch the subject.
    public func reset(_ a: Alarm, _ subject: AlarmSubject) -> Bool {
        guard inScope(a, subject), let slot = slot(subject) else { return false }
        a.reset(slot: slot, subject, at: dc.now)
        if !pending.isEmpty { dc.sim.stopRequested = true }
        return true
    }
}
