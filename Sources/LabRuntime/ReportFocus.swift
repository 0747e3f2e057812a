import HyperModel

/// The sides of an object a report can draw: a VM's or host's CPU, its memory, a
/// datastore's space.
public struct ReportAspects: OptionSet, Codable, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let cpu = ReportAspects(rawValue: 1)
    public static let memory = ReportAspects(rawValue: 2)
    public static let storage = ReportAspects(rawValue: 4)
    public static let all: ReportAspects = [.cpu, .memory, .storage]

    static let names: [(String, ReportAspects)] = [("cpu", .cpu), ("memory", .memory), ("storage", .storage)]
}

/// What a run's report is about: which hosts, VMs and datastores Lua code read, and
/// which side of each, told apart by where the read happened (a check of lab.lua, a
/// check of hidden/, or the script outside checks), plus what `lab.report{...}` named.
/// Student views must not learn of hidden/, so what only hidden code read or named, and
/// every object created while hidden/ ran, is kept for the author's view.
///
/// Reads arrive from every property getter of the metric classes, so noting one is a
/// comparison with the last read and, for a new object or side, one dictionary update.
final class ReportFocus {
    enum Context: Int { case check = 0, hiddenCheck, script, hiddenScript }

    struct Entry {
        /// Sides read, by `Context`.
        var read: [ReportAspects] = [[], [], [], []]
        var named: ReportAspects = []
        var namedByHidden: ReportAspects = []
    }

    private(set) var entries: [ObjectIdentifier: Entry] = [:]
    /// A VM's memory counters that its host's free-memory state decides: reading them is
    /// reading the host's memory too (its chart shows the states that explain them).
    static let hostDecides: Set<String> = ["shared", "ballooned", "compressed", "swapped", "balloon_target", "swap_target", "target"]
    private var last: (ObjectIdentifier, ReportAspects, Context)?
    /// Whether `lab.report` was called (by lab.lua, or by a hidden script).
    private(set) var namedAny = false
    private(set) var namedAnyVisible = false
    /// Counts of the world's objects and events when hidden/ began to run: everything
    /// after them belongs to the instructor's scenarios.
    var hiddenStart: (hosts: Int, vms: Int, datastores: Set<ObjectIdentifier>, events: Int)?

    func note(_ object: AnyObject, _ aspects: ReportAspects, _ context: Context) {
        let id = ObjectIdentifier(object)
        if let l = last, l.0 == id, l.1 == aspects, l.2 == context { return }
        last = (id, aspects, context)
        entries[id, default: Entry()].read[context.rawValue].formUnion(aspects)
    }

    func name(_ object: AnyObject, _ aspects: ReportAspects, hidden: Bool) {
        let id = ObjectIdentifier(object)
        if hidden { entries[id, default: Entry()].namedByHidden.formUnion(aspects) } else { entries[id, default: Entry()].named.formUnion(aspects) }
        namedAny = true
        if !hidden { namedAnyVisible = true }
    }

    /// The selection rule, for one audience, as the report states it.
    enum Rule: String, Codable, Sendable {
        case named = "named by lab.report"
        case read = "read by the lab's checks and the code that works out what they compare"
        case everything = "of the lab (its code read none)"
    }

    /// The rule in force for the author (`student` false) or for students: what
    /// `lab.report` named, else what lab code read (students: not hidden/), else everything.
    func rule(student: Bool) -> Rule {
        if student ? namedAnyVisible : namedAny { return .named }
        let contexts: [Context] = student ? [.check, .script] : [.check, .hiddenCheck, .script, .hiddenScript]
        if entries.values.contains(where: { e in contexts.contains { !e.read[$0.rawValue].isEmpty } }) { return .read }
        return .everything
    }

    /// The sides of `object` that `rule` selects for a view (empty: not selected), and
    /// whether it was named.
    func aspects(of object: AnyObject, rule: Rule, student: Bool) -> (ReportAspects, named: Bool) {
        guard let e = entries[ObjectIdentifier(object)] else { return rule == .everything ? (.all, false) : ([], false) }
        switch rule {
        case .named:
            let n = student ? e.named : e.named.union(e.namedByHidden)
            return (n, !n.isEmpty)
        case .read:
            let r = e.read[Context.check.rawValue].union(e.read[Context.script.rawValue])
            return (student ? r : r.union(e.read[Context.hiddenCheck.rawValue]).union(e.read[Context.hiddenScript.rawValue]), false)
        case .everything: return (.all, false)
        }
    }
}

extension LabSession {
    /// Where Lua code is running now, for `ReportFocus`.
    var focusContext: ReportFocus.Context {
        if let c = runningCheck { return c.hidden ? .hiddenCheck : .check }
        return inHiddenScripts ? .hiddenScript : .script
    }
}

extension LabAPI {
    /// Tells the session's focus of every read of a metric: a VM's CPU and memory, a
    /// host's, a datastore's, a disk's (its datastore) and a VM's storage.
    func trackReads() {
        let session = self.session
        let focus = session.focus
        vmCPU.onRead = { [unowned(unsafe) session] v, _ in focus.note(v, .cpu, session.focusContext) }
        vmMemory.onRead = { [unowned(unsafe) session] v, name in
            focus.note(v, .memory, session.focusContext)
            if ReportFocus.hostDecides.contains(name) { focus.note(v.host, .memory, session.focusContext) }
        }
        guest.onRead = { [unowned(unsafe) session] v, _ in focus.note(v, .memory, session.focusContext) }
        hostCPU.onRead = { [unowned(unsafe) session] h, _ in focus.note(h, .cpu, session.focusContext) }
        hostMemory.onRead = { [unowned(unsafe) session] h, _ in focus.note(h, .memory, session.focusContext) }
        datastore.onRead = { [unowned(unsafe) session] d, _ in focus.note(d, .storage, session.focusContext) }
        disk.onRead = { [unowned(unsafe) session] d, _ in focus.note(d.datastore, .storage, session.focusContext) }
        vm.onRead = { [unowned(unsafe) session] v, name in
            guard ["disks", "storage", "snapshots", "question"].contains(name) else { return }
            for d in v.disks { focus.note(d.datastore, .storage, session.focusContext) }
        }
    }

    /// `lab.series(object, metric)` reads the side its metric names.
    func noteSeries(_ object: AnyObject, _ metric: String) {
        guard session.options.charts else { return }
        let aspect: ReportAspects = metric.hasPrefix("cpu.") ? .cpu : metric.hasPrefix("memory.") ? .memory : []
        guard !aspect.isEmpty else { return }
        session.focus.note(object, aspect, session.focusContext)
        if let v = object as? VM, ReportFocus.hostDecides.contains(String(metric.dropFirst("memory.".count))) {
            session.focus.note(v.host, .memory, session.focusContext)
        }
    }
}
