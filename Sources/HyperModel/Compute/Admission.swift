/// Admission control at power-on (vSphere "Admission Control", model-facts §1.1, §2.2):
/// a VM powers on only if its vCPUs fit the host's pCPUs (not in fair mode), its CPU reservation fits the
/// unreserved CPU, and its memory reservation plus overhead fits the unreserved memory.
/// Over-commitment itself — more configured vCPUs or memory than the host has — is
/// never a reason to refuse (behaviour 38).
enum Admission {
    /// `haAdmission` false: HA's own failover restarts, which its admission control does
    /// not apply to (it keeps room for them).
    static func refusal(for vm: VM, on host: Host, haAdmission: Bool = true) -> String? {
        if host.failed { return "host \(host.name) has failed" }
        if let why = host.unavailability { return "host \(host.name) is \(why)" }
        if let c = host.clusterMembership, let why = c.drsIfAny?.ineligibility(of: host) { return "host \(host.name) is \(why)" }
        if haAdmission, let c = host.cluster, let r = c.haRefusal(for: vm) { return r }
        // ESXi's rule; SimGrid (fair) lets a VM have more vCPUs than the host has cores
        if vm.vcpus > host.cpus && host.scheduler.kind != .fair {
            return "it has \(vm.vcpus) vCPUs but host \(host.name) has only \(host.cpus) pCPUs (a VM cannot have more vCPUs than its host has physical CPUs)"
        }
        if let r = vm.poolAdmissionRefusal(on: host) { return r }
        let cpuNeed = vm.cpuAllocation.reservationMHz
        if cpuNeed > host.unreservedMHz + 1e-9 {
            return "insufficient CPU resources: its CPU reservation \(Units.formatMHz(cpuNeed)) is more than the \(Units.formatMHz(host.unreservedMHz)) unreserved on \(host.name) (capacity \(Units.formatMHz(host.capacityMHz)), reserved \(Units.formatMHz(host.reservedMHz)))"
        }
        let memNeed = vm.memAllocation.reservation + vm.overheadReservation
        let unreserved = host.memory.unreserved
        if memNeed > unreserved {
            return "insufficient memory resources: its memory reservation \(Units.formatBytes(vm.memAllocation.reservation)) + overhead \(Units.formatBytes(vm.overheadReservation)) = \(Units.formatBytes(memNeed)) is more than the \(Units.formatBytes(unreserved)) unreserved on \(host.name) (capacity \(Units.formatBytes(host.memory.capacity)), reserved \(Units.formatBytes(host.memory.reserved)))"
        }
        let owned = vm.spec.devices.filter { $0.adapter == .passthrough }.count
        if owned > 0 && host.passthroughInUse + owned > host.passthroughDevices {
            return "its \(owned) pass-through device\(owned == 1 ? " is" : "s are") not free: \(host.name) has \(host.passthroughDevices), \(host.passthroughInUse) owned by powered-on VMs (a pass-through device belongs to one VM at a time)"
        }
        if let refusal = host.memory.swapFileRefusal(for: vm) { return refusal }
        if !host.memory.settings.lazyAllocation {
            // Xen populates the whole domain at creation: it must fit in free memory
            let need = (vm.xenTarget ?? vm.guest.configured) + vm.overheadReservation
            if need > host.memory.free {
                return "insufficient free memory: Xen populates the domain's \(Units.formatBytes(need - vm.overheadReservation)) (+ overhead \(Units.formatBytes(vm.overheadReservation))) at creation but \(host.name) has only \(Units.formatBytes(host.memory.free)) free"
            }
        }
        return nil
    }

    /// What the VM reserves and what was unreserved before it: called once admission
    /// allowed it and before it holds anything.
    static func summary(of vm: VM, on host: Host) -> String {
        "CPU reservation \(Units.formatMHz(vm.cpuAllocation.reservationMHz)) (\(Units.formatMHz(host.unreservedMHz)) was unreserved), "
            + "memory reservation + overhead \(Units.formatBytes(vm.memAllocation.reservation + vm.overheadReservation)) (\(Units.formatBytes(host.memory.unreserved)) was unreserved)"
    }
}
