/// Initial placement (datacenter-facts §2.1, vSphere 5.1 GUID-AE4E1173): a VM powering on
/// in a cluster with DRS on passes admission control and then DRS chooses its host. A
/// Disabled VM powers on on its registered host. Partially and fully automated: the VM is
/// re-registered on the chosen host (it is off: nothing to copy with shared storage) and
/// starts there. Manual: nothing starts; a power-on recommendation (priority 1, reason
/// `powerOn`, from the registered host) is added to `c.drs.recommendations`, and applying
/// it powers the VM on on its host — as vCenter's power-on dialog lists hosts to choose.
extension DRS {
    /// Handles `vm`'s power-on; true when it did (or deferred) it, false when the VM
    /// should power on on its host as outside DRS.
    func placeAtPowerOn(_ vm: VM) throws -> Bool {
        guard enabled, let level = automation(of: vm) else { return false }
        let target: Host
        switch chooseHost(for: vm) {
        case .success(let h): target = h
        case .failure(let e):
            datacenter.log.record(now, "admission", vm.description, "power on refused: \(e.message)")
            throw ModelError("power_on: \(vm.description) cannot power on: \(e.message)")
        }
        if level == .manual || settings.automation == .manual {
            if let old = recommendations.firstIndex(where: { $0.reason == .powerOn && $0.vm.vm === vm }) { recommendations.remove(at: old) }
            _ = recommend(DRSMove(vm: vm, from: vm.host, to: target, priority: 1, reason: .powerOn, before: .nan, after: .nan))
            return true
        }
        try register(vm, on: target)
        try vm.powerOnHere()
        return true
    }

    /// Re-registers a powered-off VM on `h` (logged when it changes host).
    func register(_ vm: VM, on h: Host) throws {
        guard vm.host !== h else { return }
        let from = vm.host.name
        vm.move(to: h)
        datacenter.log.record(now, "drs.place", vm.description, "placed on \(h.name) (registered on \(from) before)")
    }
}

extension Cluster {
    /// `c:create_vm{...}`: DRS chooses the host to register the VM on (it is created
    /// powered off; its power-on is placed again). Refused in a cluster without DRS,
    /// which offers no placement (§2.1), and when no host can hold it.
    public func createVM(_ spec: VMSpec) throws -> VM {
        let who = "\(description):create_vm \(spec.name)"
        guard drs.enabled else {
            throw ModelError("\(who): DRS is off in \(name), and only a DRS cluster places VMs (enable it with c:enable_drs{...}, or create the VM on a host with h:create_vm)")
        }
        guard let first = drs.activeHosts.first else { throw ModelError("\(who): no host of \(name) is live and eligible") }
        // validate the spec on a host of the cluster before choosing (same rules on every host)
        try spec.validate(on: first)
        if let p = spec.pool, !p.accepts(first) {
            throw ModelError("\(who): pool \(p.name) belongs to \(p.ownerName), not to cluster \(name) (a VM's pool must be in the tree of its host)")
        }
        var best: Host?
        var reasons: [String] = []
        let L = drs.loads
        var bestScore = Double.infinity
        for h in drs.activeHosts {
            if let why = Admission.placementRefusal(spec, on: h) { reasons.append("\(h.name): \(why)"); continue }
            guard let i = L.hostIndex(h) else { continue }
            let score = max(L.cpuLoad(i), L.memLoad(i)) + Double(h.vms.count) * 1e-9
            if score < bestScore {
                bestScore = score
                best = h
            }
        }
        guard let h = best else {
            throw ModelError("\(who): no host of \(name) can hold it: \(reasons.joined(separator: "; "))")
        }
        let vm = try h.createVM(spec)
        datacenter.log.record(datacenter.now, "drs.place", vm.description, "registered on \(h.name) by DRS (least loaded host that admits it)")
        return vm
    }

    var datacenter: Datacenter { hosts[0].datacenter }
}

extension Admission {
    /// What would refuse a VM of `spec` on `h` at power-on, before it exists: its vCPUs and
    /// its reservations against the host's unreserved resources.
    static func placementRefusal(_ spec: VMSpec, on h: Host) -> String? {
        if spec.vcpus > h.cpus && h.scheduler.kind != .fair {
            return "it has \(spec.vcpus) vCPUs but the host has only \(h.cpus) pCPUs"
        }
        if spec.cpu.reservationMHz > h.unreservedMHz + 1e-9 {
            return "its CPU reservation \(Units.formatMHz(spec.cpu.reservationMHz)) is more than the \(Units.formatMHz(h.unreservedMHz)) unreserved"
        }
        let need = spec.mem.reservation + Overhead.bytes(configured: Units.pages(spec.memory), vcpus: spec.vcpus)
        if need > h.memory.unreserved {
            return "its memory reservation + overhead \(Units.formatBytes(need)) is more than the \(Units.formatBytes(h.memory.unreserved)) unreserved"
        }
        for d in spec.disks {
            if let ds = d.datastore, !h.datastores.contains(where: { $0 === ds }) { return "it does not mount \(ds.name)" }
        }
        return nil
    }
}
