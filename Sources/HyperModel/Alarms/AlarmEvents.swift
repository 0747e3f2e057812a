/// Event and state triggers, driven by the event log: each event of a watched kind is
/// looked at once, when it is recorded (`EventLog.observer`).
extension AlarmEngine {
    /// An event of a watched kind was recorded.
    func observe(_ e: LogEvent) {
        if stateKinds[e.kind]?.contains(.cluster) == true { haDirty = true }
        guard let subject = subject(named: e.subject) else { return }
        let kindOf: AlarmTarget
        switch subject {
        case .vm: kindOf = .vm
        case .host: kindOf = .host
        case .datastore: kindOf = .datastore
        case .cluster: kindOf = .cluster
        }
        let refreshesState = stateKinds[e.kind]?.contains(kindOf) == true
        for a in alarms where a.target == kindOf && (a.hasEvent || (a.hasState && refreshesState)) {
            guard inScope(a, subject), let slot = slot(subject) else { continue }
            a.grow(to: slot + 1)
            var matched = false
            for (k, t) in a.spec.triggers.enumerated() {
                guard case .event(let trig) = t else { continue }
                if AlarmEngine.matches(e, trig.kind, trig.message) {
                    a.event(slot: slot, trigger: k, set: true, subject, message: e.message, at: e.time)
                    matched = true
                } else if let r = trig.reset, AlarmEngine.matches(e, r, trig.resetMessage) {
                    a.event(slot: slot, trigger: k, set: false, subject, message: e.message, at: e.time)
                    matched = true
                }
            }
            if !matched && a.hasState && refreshesState {
                a.evaluate(slot: slot, subject, at: e.time, start: e.time, sampled: false)
            }
        }
        if !pending.isEmpty { dc.sim.stopRequested = true }
    }

    static func matches(_ e: LogEvent, _ kind: String, _ message: String?) -> Bool {
        guard e.kind == kind || (e.kind.hasPrefix(kind) && e.kind.dropFirst(kind.count).first == ".") else { return false }
        return message.map { e.message.contains($0) } ?? true
    }

    func subject(named s: String) -> AlarmSubject? {
        guard s.hasSuffix(")"), let open = s.firstIndex(of: "(") else { return nil }
        let name = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
        switch s[..<open] {
        case "VM": return dc.vm(named: name).map { .vm($0) }
        case "Host":
            syncSlots()
            return hostsByName[name].map { .host($0) }
        case "Cluster": return dc.clusters.first { $0.name == name }.map { .cluster($0) }
        case "Datastore": return dc.allDatastores.first { $0.name == name }.map { .datastore($0) }
        default: return nil
        }
    }
}
