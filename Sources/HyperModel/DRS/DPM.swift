/// Distributed Power Management (datacenter-facts §2.6; vSphere 6.7 Resource Mgmt
/// GUID-5E5E349A; KB 310527). DPM compares the VMs' demand with the capacity of the
/// powered-on hosts and keeps utilisation inside the band target ± tolerance (45–81 % by
/// default), per resource:
///
/// * demand, read after every sample: Σ over running VMs of max(CPU demand, CPU
///   reservation) and max(active memory, memory reservation);
/// * capacity: the hosts that are on, live and not in or entering maintenance mode;
/// * power-off: when CPU **and** memory demand stayed below target − tolerance during the
///   whole 40 min window (every sample), one host goes to standby per DRS pass, repeated
///   while that holds, so a power-off never follows less than 40 min of low demand. The
///   host is the one with the least demand (the last in the cluster's order on ties)
///   whose VMs can all leave (DPM never breaks a required rule, §2.4), and only if the
///   window's demand on the hosts left stays inside the band [M: a what-if, so the next
///   pass does not power it on again];
/// * power-on: when CPU **or** memory demand stayed above target + tolerance during the
///   whole 5 min window (against the hosts on and those already booting), standby hosts
///   boot, in the cluster's order, as many as bring that demand back to the target;
/// * HA: never fewer hosts on than HA's tolerated failures + 1, and never a standby that
///   HA admission control would not survive (settlersoman.com DPM overview); a standby
///   host is powered on at once when a failure left fewer (priority 1).
///
/// Recommendations carry a priority [M]: 1 a power-on HA needs, 2 a power-on for demand,
/// 3 to 5 a power-off whose what-if leaves the rest at or below the target (3), below
/// the middle of the upper half-band (4) or inside the band (5). The threshold applies
/// those of priority ≤ threshold (3 by default, as DRS's). DPM decides at each DRS pass;
/// it powers nothing off while a host is entering standby or booting, and one host per
/// pass at most.
public final class DPM {
    public unowned(unsafe) let cluster: Cluster
    public internal(set) var settings: DPMSettings
    /// What the last evaluation recommended (manual automation) and nobody applied.
    public internal(set) var recommendations: [DPMRecommendation] = []
    /// What the last evaluation saw and decided, for `c.dpm.last` and tests.
    public internal(set) var last = "no evaluation yet"
    var enabled = true
    private var nextID = 1
    private var history = DemandHistory()
    /// When recording started: a window is judged only once it is covered.
    private var since: SimTime

    init(cluster: Cluster, settings: DPMSettings) {
        self.cluster = cluster
        self.settings = settings
        since = cluster.datacenter.now
    }

    /// DPM is on (`c:enable_dpm`, not disabled since); with automation "off" it watches only.
    public var isOn: Bool { enabled }
    var isActive: Bool { enabled && settings.automation != .off }
    private var now: SimTime { cluster.datacenter.now }
    private var log: EventLog { cluster.datacenter.log }
    public var description: String { "\(cluster.description).dpm" }

    /// Hosts whose capacity DPM counts: on, live, not in or entering maintenance mode.
    public var poweredOn: [Host] { cluster.hosts.filter { !$0.failed && $0.power == .on && $0.maintenance == .none } }

    /// CPU (MHz) and memory (bytes) demand of the cluster now.
    public var demand: (cpu: Double, memory: Double) {
        // read after every sample, for every VM of the cluster, none of them in cache: the
        // VMs two hosts ahead and their metrics and guests one host ahead are asked for
        // first (hints only), and no VM is retained (the datacenter owns them)
        var c = 0.0, m = 0.0
        let hosts = cluster.hosts
        for (i, h) in hosts.enumerated() {
            if i + 2 < hosts.count { hosts[i + 2].vms.forEachUnretained { Prefetch.object($0, lines: 4) } }
            if i + 1 < hosts.count {
                hosts[i + 1].vms.forEachUnretained { v in
                    Prefetch.object(v.metrics, lines: 1)
                    Prefetch.object(v.guest, lines: 4)
                }
            }
            guard !h.failed else { continue }
            h.vms.forEachUnretained { v in
                guard v.state == .on else { return }
                c += max(v.metrics.cpuDemandMHz, v.cpuAllocation.reservationMHz)
                m += Double(max(v.active, v.memAllocation.reservation))
            }
        }
        return (c, m)
    }

    /// Demand now as % of the powered-on capacity.
    public var utilization: (cpu: Double, memory: Double) {
        let on = poweredOn
        let d = history.latest ?? demand
        let c = on.reduce(0) { $0 + $1.capacityMHz }, m = on.reduce(0.0) { $0 + Double($1.memory.capacity) }
        return (c > 0 ? d.cpu / c * 100 : 0, m > 0 ? d.memory / m * 100 : 0)
    }

    /// On again after being off: the windows start over (nothing was recorded meanwhile).
    func restart() {
        enabled = true
        history = DemandHistory()
        since = now
    }

    func record() {
        let d = demand
        history.append(now.micros, d.cpu, d.memory, keep: SimTime.seconds(max(settings.onWindow, settings.offWindow)).micros)
    }

    // MARK: deciding

    func evaluate() {
        recommendations.removeAll()
        guard cluster.drsIfEnabled != nil else {
            last = "waits: DRS is off in \(cluster.name) (DPM evacuates hosts through DRS)"
            return
        }
        if let busy = cluster.hosts.first(where: { $0.power == .enteringStandby }) {
            if let e = busy.evacuation, e.byDPM, let hard = e.blockers.first(where: { $0.reason != .recommended }) {
                busy.cancelStandby("\(hard.vm.vm.name) cannot leave (\(hard.reason.rawValue): \(hard.message))")
            } else {
                last = "waits: \(busy.name) is entering standby"
                return
            }
        }
        guard let d = decide() else { return }
        guard d.priority <= settings.threshold else {
            last = "\(d.action.rawValue) \(d.names) has priority \(d.priority), above threshold \(settings.threshold): not made (\(d.reason))"
            return
        }
        last = "\(settings.automation == .automatic ? "" : "recommends ")\(d.action.rawValue) \(d.names), priority \(d.priority): \(d.reason)"
        for h in d.hosts {
            let rec = DPMRecommendation(id: nextID, host: .init(h), action: d.action, priority: d.priority, reason: d.reason)
            nextID += 1
            if settings.automation == .automatic {
                log.record(now, "dpm", cluster.description, "priority \(d.priority): \(d.action.rawValue) \(h.name): \(d.reason)")
                execute(rec)
            } else {
                recommendations.append(rec)
                log.record(now, "dpm", cluster.description, "recommendation \(rec.id), priority \(d.priority): \(d.action.rawValue) \(h.name): \(d.reason)")
            }
        }
    }

    private struct Decision {
        let hosts: [Host]
        let action: DPMRecommendation.Action
        let priority: Int
        let reason: String
        var names: String { hosts.map(\.name).joined(separator: ", ") }
    }

    private func decide() -> Decision? {
        let s = settings
        let on = poweredOn
        let booting = cluster.hosts.filter { $0.power == .poweringOn && !$0.failed }
        let standby = cluster.hosts.filter { $0.power == .standby && !$0.failed }
        let failures = cluster.ha?.failures ?? 0
        let floor = failures + 1
        if on.count + booting.count < floor, !standby.isEmpty {
            let n = floor - on.count - booting.count
            let hosts = Array(standby.prefix(n))
            return Decision(hosts: hosts, action: .powerOn, priority: 1,
                            reason: "HA tolerates \(failures) host failure\(failures == 1 ? "" : "s"), so \(floor) hosts must be on; \(on.count) \(on.count == 1 ? "is" : "are")\(booting.isEmpty ? "" : " and \(booting.count) booting")")
        }
        let capC = on.reduce(0) { $0 + $1.capacityMHz }, capM = on.reduce(0.0) { $0 + Double($1.memory.capacity) }
        guard capC > 0, capM > 0 else { last = "no host is on"; return nil }
        // capacity on its way counts against a power-on: booting hosts will take VMs
        let soonC = capC + booting.reduce(0) { $0 + $1.capacityMHz }, soonM = capM + booting.reduce(0.0) { $0 + Double($1.memory.capacity) }
        let pct = { (x: Double) in Units.trim((x * 10).rounded() / 10) }
        if let w = history.window(since: now.micros - SimTime.seconds(s.onWindow).micros, covered: since <= now - .seconds(s.onWindow)) {
            let c = w.cpuMin / soonC * 100, m = w.memMin / soonM * 100
            if c > s.high || m > s.high {
                guard !standby.isEmpty else { last = "demand is above the band (CPU ≥ \(pct(c)) %, memory ≥ \(pct(m)) %) but no host is in standby"; return nil }
                // as many hosts as bring the window's demand back to the target (at least one)
                var hosts: [Host] = [], addC = 0.0, addM = 0.0
                for h in standby {
                    hosts.append(h)
                    addC += h.capacityMHz
                    addM += Double(h.memory.capacity)
                    if w.cpuMin / (soonC + addC) * 100 <= s.target && w.memMin / (soonM + addM) * 100 <= s.target { break }
                }
                let what = c > s.high ? "CPU demand stayed at or above \(pct(c)) %" : "memory demand stayed at or above \(pct(m)) %"
                let after = max(w.cpuMin / (soonC + addC), w.memMin / (soonM + addM)) * 100
                return Decision(hosts: hosts, action: .powerOn, priority: 2,
                                reason: "\(what) of the powered-on capacity\(booting.isEmpty ? "" : " (booting hosts included)") for \(DPMSettings.span(s.onWindow)), above \(pct(s.high)) % (target \(pct(s.target)) % + tolerance \(pct(s.tolerance)) %); with \(hosts.count == 1 ? "it" : "them") at least \(pct(after)) %")
            }
        }
        if let b = booting.first {
            last = "waits: \(b.name) is powering on"
            return nil
        }
        guard let w = history.window(since: now.micros - SimTime.seconds(s.offWindow).micros, covered: since <= now - .seconds(s.offWindow)) else {
            last = "not \(DPMSettings.span(s.offWindow)) of demand recorded yet"
            return nil
        }
        let c = w.cpuMax / capC * 100, m = w.memMax / capM * 100
        guard c < s.low && m < s.low else {
            last = "in the band: over \(DPMSettings.span(s.offWindow)) demand peaked at CPU \(pct(c)) %, memory \(pct(m)) % (power-off below \(pct(s.low)) %)"
            return nil
        }
        guard on.count > floor else {
            last = "demand is below the band but \(on.count) host\(on.count == 1 ? " is" : "s are") on, the fewest \(failures > 0 ? "HA allows (tolerating \(failures) failure\(failures == 1 ? "" : "s"))" : "a cluster can run on")"
            return nil
        }
        let running = cluster.hosts.flatMap { $0.vms.filter { $0.state.holdsResources } }
        var notes: [String] = []
        for h in candidates(on) {
            let remC = capC - h.capacityMHz, remM = capM - Double(h.memory.capacity)
            let after = max(w.cpuMax / remC, w.memMax / remM) * 100
            let priority = after <= s.target + 1e-9 ? 3 : after <= s.target + s.tolerance / 2 + 1e-9 ? 4 : after <= s.high + 1e-9 ? 5 : 0
            guard priority > 0 else { notes.append("\(h.name): the rest would reach \(pct(after)) %"); continue }
            if let why = cluster.haShortfall(hosts: on.filter { $0 !== h }, vms: running) { notes.append("\(h.name): \(why)"); continue }
            if let why = cluster.root.standbyRefusal(without: h) { notes.append("\(h.name): \(why)"); continue }
            var trial = Evacuator(h, Evacuation(.standby, byDPM: true))
            if let b = trial.blockers(dryRun: true).first {
                notes.append("\(h.name): \(b.vm.vm.name) cannot leave (\(b.reason.rawValue))")
                continue
            }
            return Decision(hosts: [h], action: .standby, priority: priority,
                            reason: "over \(DPMSettings.span(s.offWindow)) CPU demand peaked at \(pct(c)) % and memory at \(pct(m)) % of the powered-on capacity, below \(pct(s.low)) % (target \(pct(s.target)) % − tolerance \(pct(s.tolerance)) %); without \(h.name) the rest would be at \(pct(after)) %")
        }
        last = "demand is below the band but no host can go to standby: " + (notes.isEmpty ? "every host is excluded" : notes.joined(separator: "; "))
        return nil
    }

    /// Hosts DPM may put in standby, least demand first (the last in the cluster's order on ties).
    private func candidates(_ on: [Host]) -> [Host] {
        let excluded = settings.excluded
        let list = on.enumerated().filter { _, h in !excluded.contains { $0.host === h } }.map { i, h -> (Int, Host, Double) in
            var c = 0.0, m = 0.0
            for v in h.vms where v.state == .on {
                c += max(v.metrics.cpuDemandMHz, v.cpuAllocation.reservationMHz)
                m += Double(max(v.active, v.memAllocation.reservation))
            }
            return (i, h, max(c / h.capacityMHz, m / Double(h.memory.capacity)))
        }
        return list.sorted { a, b in a.2 != b.2 ? a.2 < b.2 : a.0 > b.0 }.map(\.1)
    }

    // MARK: acting

    private func execute(_ r: DPMRecommendation) {
        do {
            switch r.action {
            case .standby: try r.host.host.enterStandby(byDPM: true)
            case .powerOn: try r.host.host.exitStandby()
            }
        } catch let e as ModelError {
            log.record(now, "dpm", cluster.description, "\(r.action.rawValue) \(r.host.host.name) not done: \(e.message)")
        } catch {}
    }

    /// Applies a recommendation of the current list (manual automation); a stale one is
    /// refused with nothing changed.
    public func apply(_ rec: DPMRecommendation) throws {
        guard let i = recommendations.firstIndex(where: { $0.id == rec.id }) else {
            throw ModelError("\(description):apply: recommendation \(rec.id) (\(rec.action.rawValue) \(rec.host.host.name)) is stale: it is no longer in c.dpm.recommendations (a later evaluation replaced the list, or it was applied); read c.dpm.recommendations again")
        }
        switch rec.action {
        case .standby: try rec.host.host.enterStandby(byDPM: true)
        case .powerOn: try rec.host.host.exitStandby()
        }
        recommendations.remove(at: i)
    }
}

/// Cluster demand after each sample, kept for the longer window.
struct DemandHistory {
    private var times: [Int64] = []
    private var cpu: [Double] = []
    private var mem: [Double] = []
    private var head = 0

    var latest: (cpu: Double, memory: Double)? { times.count > head ? (cpu[cpu.count - 1], mem[mem.count - 1]) : nil }

    mutating func append(_ t: Int64, _ c: Double, _ m: Double, keep: Int64) {
        times.append(t)
        cpu.append(c)
        mem.append(m)
        while head < times.count && times[head] < t - keep { head += 1 }
        if head > 256 && head * 2 > times.count {
            times.removeFirst(head)
            cpu.removeFirst(head)
            mem.removeFirst(head)
            head = 0
        }
    }

    /// Extremes of the samples after `start`; nil when there are none or the window is not covered.
    func window(since start: Int64, covered: Bool) -> (cpuMin: Double, cpuMax: Double, memMin: Double, memMax: Double)? {
        guard covered else { return nil }
        var r: (cpuMin: Double, cpuMax: Double, memMin: Double, memMax: Double) = (.infinity, 0, .infinity, 0)
        var any = false
        var i = times.count - 1
        while i >= head && times[i] > start {
            r.cpuMin = min(r.cpuMin, cpu[i]); r.cpuMax = max(r.cpuMax, cpu[i])
            r.memMin = min(r.memMin, mem[i]); r.memMax = max(r.memMax, mem[i])
            any = true
            i -= 1
        }
        return any ? r : nil
    }
}

extension Cluster {
    /// `c:enable_dpm{...}`: checked whole, then applied; needs DRS on (DPM moves VMs
    /// through it). Enabling again changes the settings and keeps the demand recorded.
    public func enableDPM(_ settings: DPMSettings) throws {
        let who = "\(description):enable_dpm"
        try settings.validate(who, cluster: self)
        guard drsIfEnabled != nil else {
            throw ModelError("\(who): DRS is off in \(name); DPM powers hosts off by evacuating them through DRS (turn DRS on first with c:enable_drs{...})")
        }
        let m = hostModes
        if let d = m.dpm {
            d.settings = settings
            if !d.enabled { d.restart() }
        } else {
            m.dpm = DPM(cluster: self, settings: settings)
        }
        m.watch()
        let s = settings
        datacenter.log.record(datacenter.now, "dpm", description,
                              "DPM on: \(s.automation.rawValue), target \(Units.trim(s.target)) % ± \(Units.trim(s.tolerance)) % (band \(Units.trim(s.low))–\(Units.trim(s.high)) %), threshold \(s.threshold), windows \(DPMSettings.span(s.onWindow)) on / \(DPMSettings.span(s.offWindow)) off, boot \(DPMSettings.span(s.boot))\(s.excluded.isEmpty ? "" : ", never standby: " + s.excluded.map(\.host.name).joined(separator: ", "))")
    }

    /// Turns DPM off; hosts in standby stay there until powered on.
    public func disableDPM() throws {
        guard let d = dpm, d.enabled else { throw ModelError("\(description):disable_dpm: DPM is not on in \(name)") }
        d.enabled = false
        d.recommendations.removeAll()
        datacenter.log.record(datacenter.now, "dpm", description, "DPM off: hosts in standby stay there until h:exit_standby()")
    }
}
