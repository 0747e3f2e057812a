/// The actions an administrator has on a running datacenter, which a lab may let a
/// submission take on its world with `lab.operate` (by binding name), and why every
/// other write is refused. Deny by default: a binding added later is refused until it is
/// listed here, and a lab allows only what it names.
enum OperateActions {
    /// Binding names a lab may list in `allow`, with what each is in vSphere's words.
    static let catalogue: [String: String] = [
        "VMCPU.shares": "a VM's CPU shares (Edit Settings, also while it runs)",
        "VMCPU.reservation": "a VM's CPU reservation (admission control applies)",
        "VMCPU.limit": "a VM's CPU limit",
        "VMMemory.shares": "a VM's memory shares",
        "VMMemory.reservation": "a VM's memory reservation (admission control applies)",
        "VMMemory.limit": "a VM's memory limit",
        "VM.vcpus": "a VM's vCPU count (off; while it runs only upward, with cpu_hot_add)",
        "VMMemory.configured": "a VM's memory size (off; while it runs only upward, with memory_hot_add)",
        "VM.pool": "moving a VM into another resource pool of its tree",
        "VM.drs_automation": "a VM's own DRS automation level",
        "VM:migrate": "vMotion to another host",
        "VM:power_on": "powering a VM on",
        "VM:power_off": "powering a VM off",
        "VM:suspend": "suspending a VM",
        "VM:resume": "resuming a suspended VM",
        "VM:answer": "answering a paused VM's question",
        "VM:snapshot": "taking a snapshot",
        "VM:delete_snapshot": "deleting (consolidating) a snapshot",
        "VM:enable_ft": "turning Fault Tolerance on",
        "VM:disable_ft": "turning Fault Tolerance off",
        "ResourcePool:create_pool": "creating a resource pool",
        "ResourcePool:move": "moving a VM or a pool into a pool",
        "ResourcePool:destroy": "removing a resource pool",
        "ResourcePool.scalable_shares": "scalable shares on a tree",
        "PoolCPU.shares": "a pool's CPU shares",
        "PoolCPU.reservation": "a pool's CPU reservation",
        "PoolCPU.limit": "a pool's CPU limit",
        "PoolCPU.expandable": "a pool's expandable CPU reservation",
        "PoolMemory.shares": "a pool's memory shares",
        "PoolMemory.reservation": "a pool's memory reservation",
        "PoolMemory.limit": "a pool's memory limit",
        "PoolMemory.expandable": "a pool's expandable memory reservation",
        "Cluster.scalable_shares": "scalable shares on a cluster",
        "Cluster:enable_drs": "turning DRS on or changing its settings",
        "Cluster:disable_drs": "turning DRS off",
        "Cluster:add_rule": "adding a DRS rule",
        "Cluster:remove_rule": "removing a DRS rule",
        "Cluster:enable_ha": "turning HA on",
        "DRS:run": "running DRS now",
        "DRS:apply": "applying a DRS recommendation",
        "Host:enter_maintenance": "putting a host into maintenance mode",
        "Host:exit_maintenance": "taking a host out of maintenance mode",
    ]

    /// Why writes that are not an administrator's action are refused, by binding name or
    /// by class ("Host." covers every property of a host without a setter).
    static func reason(_ w: (binding: String, cls: String, member: String, writable: Bool)) -> String {
        if let r = exact[w.binding] { return r }
        if let r = byClass[w.cls] { return r(w.member) }
        if !w.writable {
            return "\(w.member) shows the model's state; no administrator's action sets it"
        }
        return "\(w.binding) is not an administrator's action on a running datacenter that lab.operate lets a submission take"
    }

    private static let hardware: @Sendable (String) -> String = { m in
        "a host's \(m) is hardware; an administrator cannot change it"
    }
    private static let setting: @Sendable (String) -> String = { m in
        "\(m) is a host's advanced setting, part of this lab's configuration; an administrator's fix here is made on VMs, pools and clusters"
    }
    private static let workload: @Sendable (String) -> String = { _ in
        "a guest's workload is what its users run; an administrator cannot change it"
    }

    private static let byClass: [String: @Sendable (String) -> String] = [
        "Host": hardware, "HostCPU": hardware, "HostMemory": hardware,
        "Datastore": { m in "a datastore's \(m) is the storage array's; an administrator cannot change it" },
        "Reclaim": setting, "PageSharing": setting, "Balloon": setting, "Compression": setting, "HostSwap": setting,
        "Scheduler": setting,
        "Guest": workload, "CPUWorkload": workload, "BatchWorkload": workload, "MemoryWorkload": workload,
        "DiskWorkload": workload, "NetworkWorkload": workload,
    ]

    private static let exact: [String: String] = [
        "Host.scheduler": "a host's CPU scheduler is the hypervisor's code; an administrator cannot swap it",
        "Host:create_vm": "a new VM adds load: operate the VMs the lab gave you",
        "Cluster:create_vm": "a new VM adds load: operate the VMs the lab gave you",
        "VM:clone": "a new VM adds load: operate the VMs the lab gave you",
        "VM:to_template": "turning a VM into a template takes it out of service",
        "VM:revert": "reverting throws away the guest's data",
        "Cluster:add_host": "a new host is hardware the lab does not give you",
        "Host:fail": "a hardware failure is not an administrator's action",
        "Host:recover": "a hardware failure is not an administrator's action",
        "Host:enter_standby": "standby is DPM's power management, part of this lab's configuration",
        "Host:exit_standby": "standby is DPM's power management, part of this lab's configuration",
        "Host:run": "a host's own workload is the lab's; an administrator cannot change it",
        "Host:stop": "a host's own workload is the lab's; an administrator cannot change it",
        "VM:run": "a guest's workload is what its users run; an administrator cannot change it",
        "VM:stop": "a guest's workload is what its users run; an administrator cannot change it",
        "VM:mem_set": "a Xen balloon target is the lab's configuration here",
        "DRS.policy": "a DRS balancing policy is the lab's configuration",
        "Disk:inflate": "inflating a disk takes more of the datastore, and the VM must be off",
    ]

    /// Why a module function is refused while a submission operates the lab's world.
    static func moduleReason(_ name: String) -> String {
        switch name {
        case "lab.run_for", "lab.run_until":
            return "time passes only when the lab runs its world; an administrator cannot make it pass"
        case "lab.sample_interval", "lab.statistics_level", "lab.realtime_retention", "lab.profile":
            return "it is the lab's configuration"
        default:
            return "a submission operating the lab's world cannot build or run a world of its own"
        }
    }
}
