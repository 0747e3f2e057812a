/// Changing a VM's CPU and memory settings while it runs, as vSphere allows: shares,
/// reservation and limit take effect at once. A larger reservation goes through
/// admission control on the VM's host, as at power-on, and is refused with the same
/// reason; nothing changes when it is refused.
extension VM {
    public func setCPUAllocation(_ a: CPUAllocation) throws {
        let who = "\(description).cpu"
        var spec = VMSpec(name: name, vcpus: vcpus, memory: memory, cpu: a, mem: memAllocation)
        spec.guest = guestOS
        try spec.checkAllocation(who: who, on: host)
        if state == .on { try a.check(for: host.scheduler.kind, vm: self, who: who) }
        if state.holdsResources, a.reservationMHz > cpuAllocation.reservationMHz,
           let refusal = poolRefusal(raising: .cpu, by: a.reservationMHz - cpuAllocation.reservationMHz, to: Units.formatMHz(a.reservationMHz)) {
            throw ModelError("\(who): \(refusal)")
        }
        if state.holdsResources, a.reservationMHz > cpuAllocation.reservationMHz {
            let unreserved = host.unreservedMHz + cpuAllocation.reservationMHz
            guard a.reservationMHz <= unreserved else {
                datacenter.log.record(now, "admission", description, "CPU reservation \(Units.formatMHz(a.reservationMHz)) refused")
                throw ModelError("\(who): reservation \(Units.formatMHz(a.reservationMHz)) is refused by admission control: \(host.name) has \(Units.formatMHz(unreserved)) unreserved for this VM")
            }
        }
        guard a != cpuAllocation else { return }
        cpuAllocation = a
        datacenter.log.record(now, "vm.config", description, "CPU settings changed: \(a.summary)")
        if state == .on { host.cpu.reconfigure(self, at: now) }
        poolSettingsChanged()
    }

    public func setMemAllocation(_ m: MemoryAllocation) throws {
        let who = "\(description).memory"
        var spec = VMSpec(name: name, vcpus: vcpus, memory: memory, cpu: cpuAllocation, mem: m)
        spec.guest = guestOS
        try spec.checkAllocation(who: who, on: host)
        let delta = m.reservation - memAllocation.reservation
        if state.holdsResources, delta > 0, let refusal = poolRefusal(raising: .memory, by: Double(delta), to: Units.formatBytes(m.reservation)) {
            throw ModelError("\(who): \(refusal)")
        }
        if state.holdsResources, delta > 0 {
            guard delta <= host.memory.unreserved else {
                datacenter.log.record(now, "admission", description, "memory reservation \(Units.formatBytes(m.reservation)) refused")
                throw ModelError("\(who): reservation \(Units.formatBytes(m.reservation)) is refused by admission control: \(host.name) has \(Units.formatBytes(host.memory.unreserved + memAllocation.reservation)) unreserved for this VM")
            }
        }
        guard m != memAllocation else { return }
        if state.holdsResources { host.memory.reserved += delta }
        memAllocation = m
        // the guest's reclaim reads its own copy: without this a limit removed while the
        // VM runs would go on being enforced (and a new one never would)
        guest.reservationPages = m.reservation / Units.pageSize
        guest.limitPages = m.limit.map { $0 / Units.pageSize }
        datacenter.log.record(now, "vm.config", description, "memory settings changed: \(m.summary)")
        host.memory.settingsChanged()
        poolSettingsChanged()
    }
}

extension CPUAllocation {
    var summary: String {
        var parts = ["shares \(shares)", "reservation \(Units.formatMHz(reservationMHz))",
                     "limit " + (limitMHz.map { Units.formatMHz($0) } ?? "unlimited")]
        if let w = weight { parts.append("weight \(w)") }
        if let c = cap { parts.append("cap \(c) %") }
        if let q = quota { parts.append("quota \(q)") }
        if let q = globalQuota { parts.append("global quota \(q)") }
        return parts.joined(separator: ", ")
    }
}

extension MemoryAllocation {
    var summary: String {
        "shares \(shares), reservation \(Units.formatBytes(reservation)), limit " + (limit.map { Units.formatBytes($0) } ?? "unlimited")
    }
}
