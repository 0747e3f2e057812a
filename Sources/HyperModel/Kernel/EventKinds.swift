/// Every kind of event the model records, with what it means: `lab.events{ kind }`
/// refuses any other (a misspelt kind would silently match nothing), and the API
/// reference lists them. A kind also selects its sub-kinds: "memory" matches
/// "memory.state", "memory.balloon" and the rest.
public enum EventKinds {
    public static let all: [(kind: String, meaning: String)] = [
        ("alarm", "An alarm changed state for an object (green, yellow, red), with the value that made it."),
        ("alarm.action", "An alarm action ran (a built-in action on the object, or a Lua function), or failed and why."),
        ("admission", "A power-on, reservation or migration refused by admission control, with the reason."),
        ("cluster.create", "A cluster was created."),
        ("cpu.scheduler", "A host's CPU scheduler or one of its parameters changed."),
        ("datastore.alarm", "A datastore crossed a usage alarm threshold (75 % warning, 85 % alert)."),
        ("datastore.create", "A datastore was created."),
        ("drs", "DRS: switched on or off, settings, a pass with the imbalance it saw, host eligibility, VM automation levels."),
        ("drs.migrate", "A DRS move: its priority, reason code (fairnessCpuAvg, fairnessMemAvg, jointAffin, antiAffin, hostMaint…) and the vMotion."),
        ("drs.place", "DRS placed a VM: the host it registered or powered it on on."),
        ("drs.rule", "A DRS rule was added (enabled, or disabled by a conflict with an older rule) or removed."),
        ("drs.policy", "A balancing policy written in Lua failed, or one of its moves was refused, with the reason."),
        ("drs.recommend", "A DRS recommendation (manual or partially automated, or a VM's own level): move or power-on host, priority, reason."),
        ("disk.create", "A virtual disk was created."),
        ("disk.full", "A disk write found its datastore full; the VM is paused with a question."),
        ("disk.inflate", "A thin disk was inflated to thick."),
        ("disk.zeroed", "An eager-zeroed disk finished zeroing."),
        ("dpm", "DPM: switched on or off, a host put in standby or powered on (or recommended) with the demand that decided it."),
        ("failure", "The model stopped a run: the reason."),
        ("ft", "Fault Tolerance: a secondary created, a takeover, a new secondary."),
        ("guest.memory", "The guest OS touched or freed memory."),
        ("ha", "vSphere HA: VMs left down or not protected, admission control."),
        ("ha.failover", "vSphere HA declared a host failed and starts restarting its VMs (failover in progress)."),
        ("ha.failover_done", "vSphere HA finished a failover: how many VMs it restarted."),
        ("ha.failover_failed", "vSphere HA could not restart a VM (failover failed)."),
        ("ha.restart", "vSphere HA restarted a VM on a surviving host."),
        ("host.create", "A host was created."),
        ("host.fail", "A host failed."),
        ("host.power", "A host entered standby (evacuated, then powered off), was powered on from it, or a standby was cancelled."),
        ("host.os", "A hosted (type 2) hypervisor's host OS reserved memory and CPU."),
        ("host.recover", "A failed host came back."),
        ("maintenance", "Maintenance mode: a host entering, in or leaving it, a VM re-registered for it, and each VM that cannot be evacuated with why."),
        ("memory.balloon", "A VM's balloon target changed."),
        ("memory.block", "A guest's allocation was blocked in the low state, or resumed."),
        ("memory.config", "A host's reclamation settings or a VM's memory settings changed."),
        ("memory.share", "Page sharing merged or broke pages."),
        ("memory.short", "The host ran short of free memory for an allocation."),
        ("memory.state", "A host's free-memory state changed (high, clear, soft, hard, low), with the free memory."),
        ("memory.swap", "Host swapping of a VM's pages."),
        ("memory.swapfile", "A VM's .vswp file was created or removed."),
        ("microvm", "A microVM: created (its slot in the host's creation queue), VMM started, InstanceStart, /sbin/init reached, or a start that failed."),
        ("network", "A NIC's traffic started or changed."),
        ("pool.config", "A resource pool's CPU or memory settings, or a tree's scalable shares, changed."),
        ("pool.create", "A resource pool was created."),
        ("pool.move", "A VM moved to another resource pool (by request, or because its new host is in another tree)."),
        ("profile", "The hypervisor profile was chosen."),
        ("sampling", "The sample interval or statistics level changed."),
        ("snapshot.create", "A snapshot was taken."),
        ("snapshot.delete", "A snapshot was deleted and its delta consolidated."),
        ("snapshot.revert", "A VM was reverted to a snapshot."),
        ("vdi", "A VDI desktop pool: provisioned (clone kind, storage), a desktop's boot, login or steady phase, a boot storm's datastore saturation."),
        ("vm.clone", "A VM was cloned (full or linked)."),
        ("vm.config", "A VM's CPU or memory shares, reservation or limit changed (at once, also while it runs)."),
        ("vm.create", "A VM was created."),
        ("vm.migrate", "A live migration: each pre-copy round, the switchover and the outcome."),
        ("vm.power", "A VM was powered on, off, suspended or resumed."),
        ("vm.question", "A paused VM's question was asked or answered."),
        ("vm.template", "A VM was marked as a template."),
        ("workload", "A workload started, finished or stopped."),
    ]

    /// The kinds and their categories ("memory", "vm", "disk", …).
    public static let selectors: Set<String> = {
        var s = Set(all.map(\.kind))
        for k in all.map(\.kind) where k.contains(".") { s.insert(String(k.split(separator: ".")[0])) }
        return s
    }()

    public static func isKnown(_ kind: String) -> Bool { all.contains { $0.kind == kind } }
}
