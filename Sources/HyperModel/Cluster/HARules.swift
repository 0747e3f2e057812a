/// HA beside DRS rules, maintenance mode and DPM (datacenter-facts §2.4–2.6, model-facts
/// §4.3). HA counts the hosts that are live, not in maintenance mode and not in (or
/// booting out of) standby: only they receive restarts and hold failover capacity. A
/// restart never goes where a required VM-host rule forbids it; HA ignores "should"
/// rules and VM-VM rules, as it does unless its advanced options say otherwise
/// (vSphere 6.5 Availability GUID-E137A9F8).
extension Cluster {
    /// Where a VM holding resources will run: its live migration's destination, the
    /// destination of a DRS move waiting for a vMotion slot, else its host.
    func plannedHost(of v: VM) -> Host {
        if let m = v.migration, !m.done { return m.destination }
        if let q = drsIfAny?.flight.waiting.first(where: { $0.vm === v }) { return q.to }
        return v.host
    }

    /// Why HA admission control would not hold if only `hosts` ran `vms`, nil when it
    /// holds (or HA is off, or its admission control is).
    func haShortfall(hosts: [Host], vms: [VM]) -> String? {
        guard let ha, ha.admission != .none else { return nil }
        let names = hosts.map(\.name).joined(separator: ", ")
        guard !hosts.isEmpty else { return "HA would have no host left to restart VMs on (it tolerates \(ha.failures) host failure\(ha.failures == 1 ? "" : "s"))" }
        switch ha.admission {
        case .none: return nil
        case .slots:
            let capacity = Cluster.failoverCapacity(hosts: hosts, vms: vms)
            guard capacity < ha.failures else { return nil }
            return "with only \(names) left, cluster \(name) could tolerate \(capacity) host failure\(capacity == 1 ? "" : "s"), fewer than the \(ha.failures) HA admission control keeps room for"
        case .percentage:
            let cpu = hosts.reduce(0) { $0 + $1.capacityMHz }
            let mem = hosts.reduce(Int64(0)) { $0 + $1.memory.capacity }
            let usedCPU = vms.reduce(0) { $0 + $1.cpuAllocation.reservationMHz }
            let usedMem = vms.reduce(Int64(0)) { $0 + $1.memAllocation.reservation + $1.overheadReservation }
            let free = min((cpu - usedCPU) / cpu, Double(mem - usedMem) / Double(mem)) * 100
            guard free < ha.percent else { return nil }
            return "with only \(names) left, \(Units.trim(free.rounded(.down))) % of cluster \(name)'s resources would stay unreserved, below the \(Units.trim(ha.percent)) % HA admission control keeps for failover"
        }
    }

    /// Slots of `hosts` for `vms` (model-facts §4.3) and how many of the largest hosts may
    /// fail with the remaining slots still covering every VM.
    static func failoverCapacity(hosts: [Host], vms: [VM]) -> Int {
        let cpu = max(32, vms.map(\.cpuAllocation.reservationMHz).max() ?? 0)
        let reserved = vms.map(\.memAllocation.reservation).max() ?? 0
        let memory = reserved > 0 ? reserved : (vms.map(\.overheadReservation).max() ?? Units.MiB)
        var left = hosts.map { h in min(Int(h.capacityMHz / cpu), Int(h.memory.capacity / max(memory, 1))) }.sorted(by: >)
        var failures = 0
        while !left.isEmpty {
            left.removeFirst()
            guard left.reduce(0, +) >= vms.count else { break }
            failures += 1
        }
        return failures
    }

    /// Why evacuating `v` from `h` would break the HA failover level (§2.5): the hosts
    /// that stay (live, not being evacuated) must still tolerate the configured failures
    /// with every VM planned on them, `v` and `extra` included.
    func haEvacuationRefusal(adding v: VM, leaving h: Host, alsoMoving extra: [VM]) -> String? {
        guard let ha, ha.admission != .none else { return nil }
        let staying = liveHosts.filter { $0 !== h && $0.evacuation == nil }
        var vms: [VM] = []
        for x in hosts {
            for w in x.vms where w.state.holdsResources && w !== v && !extra.contains(where: { $0 === w }) {
                let p = plannedHost(of: w)
                if staying.contains(where: { $0 === p }) { vms.append(w) }
            }
        }
        vms += extra + [v]
        return haShortfall(hosts: staying, vms: vms).map { "evacuating it would break the HA failover level: \($0)" }
    }

    /// Hosts HA may restart `vm` on: live, admitting it (HA's admission control keeps
    /// room for these restarts and does not apply to them), and allowed by its required
    /// VM-host rules; with why there are none.
    func restartTargets(for vm: VM) -> (hosts: [Host], why: String) {
        let allowed = drsIfAny?.allowedHosts(vm) ?? hosts
        let live = liveHosts
        let ruled = live.filter { h in allowed.contains { $0 === h } }
        let admitted = ruled.filter { Admission.refusal(for: vm, on: $0, haAdmission: false) == nil }
        if !live.isEmpty && ruled.isEmpty {
            let rules = drsIfAny?.rules(of: vm).filter { $0.kind == .vmHost && $0.must }.map { "\($0.name) (\($0.summary))" } ?? []
            return ([], "the required rule\(rules.count == 1 ? "" : "s") \(rules.joined(separator: ", ")) allow\(rules.count == 1 ? "s" : "") no surviving host of \(name) (HA never breaks a must rule)")
        }
        return (admitted, "no surviving host of \(name) admits it")
    }
}
