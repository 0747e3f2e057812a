import HyperModel

/// Choosing and collecting what `RunCharts` holds. For each view its rule (named, read by
/// the checks, read by the script, everything) picks objects and their sides; a side whose
/// values never changed is left out, with a note, unless it was named; each kind is capped
/// per view, with a note of how many more there were.
extension RunCharts {
    init(_ w: Datacenter, focus: ReportFocus) {
        let start = focus.hiddenStart
        let rules: [(RunCharts.Views, ReportFocus.Rule)] = [(.author, focus.rule(student: false)), (.student, focus.rule(student: true))]

        /// The views that draw `aspect` of `object` and whether any named it. Views that
        /// would draw it but find its values unchanged (`unchanged` gives them, or nil
        /// when they changed) list it among the steady objects instead.
        func pick(_ object: AnyObject, _ aspect: ReportAspects, hidden: Bool, section: String, name: String, host: String? = nil,
                  unchanged: () -> [Double]??) -> (views: RunCharts.Views, named: Bool) {
            var views: RunCharts.Views = [], named = false, steadyIn: RunCharts.Views = []
            var computed = false, values: [Double]??  // nil: it changed; .some(nil): never sampled
            for (view, rule) in rules {
                if view == .student && hidden { continue }
                let (aspects, isNamed) = focus.aspects(of: object, rule: rule, student: view == .student)
                guard aspects.contains(aspect) else { continue }
                if isNamed {
                    views.insert(view)
                    named = true
                    continue
                }
                if !computed { (values, computed) = (unchanged(), true) }
                if values != nil { steadyIn.insert(view) } else { views.insert(view) }
            }
            if !steadyIn.isEmpty, let v = values {
                steady.append(Steady(section: section, name: name, host: host, values: v, views: steadyIn))
            }
            return (views, named)
        }
        func constant(_ series: [Series], scale: Double, samples: Int) -> [Double]?? {
            guard samples >= 2 else { return .some(nil) }
            guard series.allSatisfy({ RunCharts.flat($0.values, scale: scale) }) else { return nil }
            return .some(series.map { $0.values.first ?? 0 })
        }

        var likeCPU = Alike(), likeMemory = Alike()
        for (i, h) in w.hosts.enumerated() {
            let hidden = i >= (start?.hosts ?? Int.max)
            let s = h.metrics.series
            let times = RunCharts.thin(s.times.map(\.seconds))
            func series(_ n: String) -> [Double] { RunCharts.thin(s[n]?.values ?? []) }
            let capacity = Double(h.memory.capacity)
            let memory = ["memory.consumed", "memory.free"].map { Series(name: $0, values: series($0)) }
            let reclaimedAll = ["memory.shared_saved", "memory.ballooned", "memory.compressed", "memory.swapped"].map {
                Series(name: $0, values: series($0))
            }
            let reclaimed = reclaimedAll.filter { $0.values.contains { $0 > 0 } }
            let m = pick(h, .memory, hidden: hidden, section: "host memory", name: h.name) {
                reclaimed.isEmpty ? constant(memory, scale: capacity, samples: times.count) : nil
            }
            if !m.views.isEmpty {
                hostMemory.append(HostMemoryChart(name: h.name, capacity: capacity, thresholds: h.memory.edges.map(Double.init), times: times,
                                                  series: memory, reclaimed: m.named ? reclaimedAll : reclaimed, views: m.views))
            }
            let used = Series(name: "cpu.used", values: series("cpu.used"))
            let c = pick(h, .cpu, hidden: hidden, section: "host cpu", name: h.name) { constant([used], scale: 100, samples: times.count) }
            if !c.views.isEmpty { hostCPU.append(HostCPUChart(name: h.name, pcpus: h.cpus, times: times, used: used.values, views: c.views)) }
            if let trace = h.scheduleTrace, h.cpus <= 16, let first = trace.segments.first {
                let g = pick(h, .cpu, hidden: hidden, section: "gantt", name: h.name) { nil }
                if !g.views.isEmpty {
                    // the first second of scheduling: tens of quanta, readable as a chart
                    let t0 = first.start.micros, t1 = t0 + RunCharts.ganttWindow
                    let segs = trace.segments.lazy.filter { $0.start.micros < t1 }.prefix(RunCharts.maxSegments).map {
                        Segment(pcpu: $0.pcpu + 1, vm: $0.vm, vcpu: $0.vcpu, start: $0.start.seconds, end: Double(min($0.end.micros, t1)) / 1e6)
                    }
                    let end = segs.map(\.end).max() ?? Double(t1) / 1e6
                    gantts.append(Gantt(host: h.name, pcpus: h.cpus, from: Double(t0) / 1e6, to: end, segments: Array(segs), views: g.views))
                }
            }
        }
        for (i, vm) in w.vms.enumerated() {
            let hidden = i >= (start?.vms ?? Int.max)
            let s = vm.metrics.series
            let times = RunCharts.thin(s.times.map(\.seconds))
            func series(_ names: [String]) -> [Series] { names.map { Series(name: $0, values: RunCharts.thin(s[$0]?.values ?? [])) } }
            let cpu = series(RunCharts.columns["vm cpu"]!)
            let c = pick(vm, .cpu, hidden: hidden, section: "vm cpu", name: vm.name, host: vm.host.name) {
                constant(cpu, scale: 100, samples: times.count)
            }
            if !c.views.isEmpty {
                let chart = VMCPUChart(name: vm.name, host: vm.host.name, vcpus: vm.vcpus, times: times,
                                       series: c.named ? cpu : cpu.filter { $0.values.contains { $0 >= 0.05 } }, views: c.views)
                if c.named || !likeCPU.seen(chart.name, host: chart.host, times: times, series: chart.series, views: c.views, scale: 100) {
                    vmCPU.append(chart)
                }
            }
            let configured = Double(vm.memory)
            let mem = series(RunCharts.columns["vm memory"]!)
            let m = pick(vm, .memory, hidden: hidden, section: "vm memory", name: vm.name, host: vm.host.name) {
                constant(mem, scale: configured, samples: times.count)
            }
            if !m.views.isEmpty {
                let chart = VMMemoryChart(name: vm.name, host: vm.host.name, configured: configured, times: times,
                                          series: m.named ? mem : mem.filter { $0.values.contains { $0 > 0 } }, views: m.views)
                if m.named || !likeMemory.seen(chart.name, host: chart.host, times: times, series: chart.series, views: m.views, scale: configured) {
                    vmMemory.append(chart)
                }
            }
        }
        for d in w.allDatastores {
            let hidden = start.map { !$0.datastores.contains(ObjectIdentifier(d)) } ?? false
            let p = pick(d, .storage, hidden: hidden, section: "datastores", name: d.name) { nil }
            if !p.views.isEmpty {
                datastores.append(DatastoreBar(name: d.name, kind: d.kind.rawValue, capacity: Double(d.capacity), used: Double(d.used),
                                               provisioned: Double(d.provisioned), views: p.views))
            }
        }
        for (section, like) in [("vm cpu", likeCPU), ("vm memory", likeMemory)] {
            for view in [RunCharts.Views.author, .student] { for n in like.notes(view) { addNote(section, n, view) } }
        }
        hostMemory = cap(hostMemory, RunCharts.maxHosts, \.views, "host memory", "hosts")
        hostCPU = cap(hostCPU, RunCharts.maxHosts, \.views, "host cpu", "hosts")
        vmCPU = cap(vmCPU, RunCharts.maxVMCharts, \.views, "vm cpu", "VMs")
        vmMemory = cap(vmMemory, RunCharts.maxVMCharts, \.views, "vm memory", "VMs")
        datastores = cap(datastores, RunCharts.maxDatastores, \.views, "datastores", "datastores")
        gantts = cap(gantts, RunCharts.maxGantts, \.views, "gantt", "hosts")
        steady = cap(steady, RunCharts.maxSteady, \.views, "steady", "unchanged objects")
        for (view, rule) in rules { addNote("selection", rule.rawValue, view) }
        collectEvents(w, hiddenEvents: start?.events)
        collectPanels(w, focus: focus, rule: rules[0].1)
    }

    private mutating func addNote(_ section: String, _ text: String, _ view: Views) {
        if let i = notes.firstIndex(where: { $0.section == section && $0.text == text }) {
            notes[i].views.insert(view)
        } else {
            notes.append(Note(section: section, text: text, views: view))
        }
    }

    /// Keeps the first `limit` items of each view; notes how many more there were.
    private mutating func cap<T>(_ list: [T], _ limit: Int, _ views: WritableKeyPath<T, Views>, _ section: String, _ what: String) -> [T] {
        var out = list
        for view in [Views.author, .student] {
            var seen = 0
            for i in out.indices where out[i][keyPath: views].contains(view) {
                seen += 1
                if seen > limit { out[i][keyPath: views].remove(view) }
            }
            if seen > limit { addNote(section, "\(seen - limit) more \(what) not drawn (at most \(limit) are).", view) }
        }
        return out.filter { !$0[keyPath: views].isEmpty }
    }

    /// The events about the objects drawn (every event when the run drew everything),
    /// students' only from before hidden/ ran.
    private mutating func collectEvents(_ w: Datacenter, hiddenEvents: Int?) {
        eventsTotal = w.log.total
        func subjects(_ view: Views) -> Set<String> {
            var s = Set<String>()
            for c in RunCharts.visible(hostMemory, view, \.views) { s.insert("Host(\(c.name))") }
            for c in RunCharts.visible(hostCPU, view, \.views) { s.insert("Host(\(c.name))") }
            for c in RunCharts.visible(gantts, view, \.views) { s.insert("Host(\(c.host))") }
            for c in RunCharts.visible(vmCPU, view, \.views) { s.insert("VM(\(c.name))") }
            for c in RunCharts.visible(vmMemory, view, \.views) { s.insert("VM(\(c.name))") }
            for c in RunCharts.visible(datastores, view, \.views) { s.insert("Datastore(\(c.name))") }
            for c in RunCharts.visible(steady, view, \.views) { s.insert(c.host == nil ? "Host(\(c.name))" : "VM(\(c.name))") }
            return s
        }
        let about: [(Views, Set<String>)] = [(.author, subjects(.author)), (.student, subjects(.student))]
        var counts: [Views: Int] = [:]
        var kept: [Views: Int] = [:]
        for (i, e) in w.log.events.enumerated() {
            var views: Views = []
            for (view, set) in about where set.contains(e.subject) {
                if view == .student, let h = hiddenEvents, i >= h { continue }
                counts[view, default: 0] += 1
                if kept[view, default: 0] < RunCharts.maxEvents {
                    kept[view, default: 0] += 1
                    views.insert(view)
                }
            }
            if !views.isEmpty {
                events.append(Event(time: e.time.seconds, kind: e.kind, subject: e.subject, message: e.message, views: views))
            }
        }
        for (view, _) in about {
            let n = counts[view] ?? 0, k = kept[view] ?? 0
            addNote("events", n > k ? "\(n) events about the objects drawn, the first \(k) listed." : "\(n) events about the objects drawn.", view)
        }
    }

    /// `run`'s panels: the VMs the author's view is about (else the VMs of its hosts).
    private mutating func collectPanels(_ w: Datacenter, focus: ReportFocus, rule: ReportFocus.Rule) {
        var vms = w.vms.filter { !focus.aspects(of: $0, rule: rule, student: false).0.isEmpty }
        if vms.isEmpty {
            let hosts = Set(w.hosts.filter { !focus.aspects(of: $0, rule: rule, student: false).0.isEmpty }.map(ObjectIdentifier.init))
            vms = w.vms.filter { hosts.contains(ObjectIdentifier($0.host)) }
        }
        panelsOmitted = max(0, vms.count - RunCharts.maxPanels)
        for vm in vms.prefix(RunCharts.maxPanels) { panels.append(Panel(vm, in: w)) }
    }
}

extension RunCharts.Panel {
    /// One VM's Summary panel as it is now (`run`'s panels, the shell's VM panel).
    init(_ vm: VM, in w: Datacenter?) {
        var stores = w?.datastores ?? []
        if !stores.contains(where: { $0 === vm.swapDatastore }) { stores.append(vm.swapDatastore) }
        let files = stores.flatMap { $0.files }.filter { $0.owner == vm.name }
        self.init(
            name: vm.name, host: vm.host.name, state: vm.state.rawValue, guest: vm.guestOS, vcpus: vm.vcpus,
            cpuUsedMHz: vm.metrics.cpu.usedMHz, cpuReservationMHz: vm.cpuAllocation.reservationMHz,
            memory: [
                "configured": Double(vm.memory), "consumed": Double(vm.consumed), "active": Double(vm.active),
                "shared": Double(vm.shared), "ballooned": Double(vm.ballooned), "compressed": Double(vm.compressed),
                "swapped": Double(vm.swapped), "overhead": Double(vm.overhead), "reservation": Double(vm.memAllocation.reservation),
            ],
            storageProvisioned: Double(files.reduce(0) { $0 + $1.size }), storageUsed: Double(files.reduce(0) { $0 + $1.used }))
    }
}

extension RunCharts {
    /// Unchanged within half a percent of the chart's scale: a flat line.
    static func flat(_ v: [Double], scale: Double) -> Bool {
        guard let lo = v.min(), let hi = v.max() else { return true }
        return hi - lo <= max(scale, 1e-9) * 0.005
    }

    /// Charts of VMs on one host that ran alike (within 2 % of the scale at every sample,
    /// about 3 pixels): the first is drawn, the others named under it. Each host keeps a few distinct charts to compare with, so the work stays
    /// small however many VMs a lab has.
    struct Alike {
        private var drawn: [String: [(name: String, times: [Double], series: [Series], views: Views)]] = [:]
        private var like: [(name: String, as: String, views: Views)] = []

        /// Whether a chart like this one was drawn before (then it is noted, not drawn).
        mutating func seen(_ name: String, host: String, times: [Double], series: [Series], views: Views, scale: Double) -> Bool {
            for d in drawn[host] ?? [] where d.views.isSuperset(of: views) && d.times == times && d.series.count == series.count {
                let same = zip(d.series, series).allSatisfy { a, b in
                    a.name == b.name && a.values.count == b.values.count
                        && zip(a.values, b.values).allSatisfy { abs($0 - $1) <= scale * 0.02 }
                }
                if same {
                    like.append((name, d.name, views))
                    return true
                }
            }
            if (drawn[host]?.count ?? 0) < 8 { drawn[host, default: []].append((name, times, series, views)) }
            return false
        }

        /// "esx1-vm2, esx1-vm3 ran like esx1-vm1 (not drawn)."
        func notes(_ view: Views) -> [String] {
            var groups: [(String, [String])] = []
            for l in like where l.views.contains(view) {
                if let i = groups.firstIndex(where: { $0.0 == l.as }) { groups[i].1.append(l.name) } else { groups.append((l.as, [l.name])) }
            }
            return groups.map { first, names in
                let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? " and \(names.count - 8) more" : "")
                return "\(shown) ran like \(first) (not drawn)."
            }
        }
    }
}
