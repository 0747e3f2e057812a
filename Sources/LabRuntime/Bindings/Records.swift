import LuaKit

/// Option tables of the constructors. Unknown keys are refused with the allowed list.
extension LabAPI {
    static let datastoreOptions = LuaRecord(
        "lab.DatastoreOptions", doc: "Options of `lab.datastore{...}`.",
        fields: [
            LuaParam("name", "string", "Unique name."),
            LuaParam("capacity", "integer|string", "Size, e.g. \"500 GiB\"."),
            LuaParam("kind", "\"ssd\"|\"hdd\"|\"san\"|\"nfs\"", "Kind of storage (default \"ssd\").", optional: true),
            LuaParam("write_rate", "number|string", "Write bandwidth the storage clock shares, e.g. \"1.3 GiB/s\" (default the kind's: ssd 400 MiB/s, san 300, hdd 120, nfs 100).", optional: true),
        ])

    static let hostOptions = LuaRecord(
        "lab.HostOptions", doc: "Options of `lab.host{...}`.",
        fields: [
            LuaParam("name", "string", "Unique name."),
            LuaParam("cpus", "integer", "Physical CPUs (cores)."),
            LuaParam("mhz", "number|string", "Clock speed, e.g. 2400 or \"2.4 GHz\" (default 2400 MHz; 100 MHz to 10 GHz, or from 1 Hz with scheduler = \"fair\").", optional: true),
            LuaParam("memory", "integer|string", "Machine memory, e.g. \"64 GiB\"."),
            LuaParam("datastores", "lab.Datastore[]", "Datastores the host mounts.", optional: true),
            LuaParam("scheduler", "\"esx\"|\"strict\"|\"relaxed\"|\"credit\"|\"cfs\"|\"round-robin\"|\"fair\"|lab.Policy",
                     "CPU scheduler (default: the profile's, \"esx\" for ESXi), or a policy from lab.scheduler{...}.", optional: true),
            LuaParam("passthrough_devices", "integer", "Physical devices VMs can own through DirectPath I/O (default 0).", optional: true),
            LuaParam("hypervisor", "\"type1\"|\"type2\"|\"none\"", "Bare metal (default), hosted on an OS that keeps memory and CPU and handles VM I/O, or none: a Linux machine that runs containers, not VMs.", optional: true),
            LuaParam("cpu_generation", "string", "Its CPU's generation, as EVC names them: Intel \"merom\" … \"sapphire-rapids\", AMD \"opteron-g1\" … \"zen4\" (default \"cascade-lake\" for every host; the catalogue is in docs/datacenter.md).", optional: true),
            LuaParam("cgroup", "\"v2\"|\"v1\"", "With hypervisor = \"none\": the kernel's cgroup hierarchy (default v2).", optional: true),
            LuaParam("swap", "integer|string", "With hypervisor = \"none\": the node's swap space (default 2 GiB).", optional: true),
        ])

    static let clusterOptions = LuaRecord(
        "lab.ClusterOptions", doc: "Options of `lab.cluster{...}`.",
        fields: [LuaParam("name", "string", "Unique name."), LuaParam("hosts", "lab.Host[]", "Member hosts."),
                 LuaParam("evc", "string", "EVC on from the start with this baseline, e.g. \"haswell\" (every host's CPU must have it); as `c:enable_evc`.", optional: true)])

    static let cpuAllocation = LuaRecord(
        "lab.CPUAllocation", doc: "CPU shares, reservation and limit of a VM.",
        fields: [
            LuaParam("shares", "\"low\"|\"normal\"|\"high\"|integer", "500/1000/2000 per vCPU, or a number (default \"normal\").", optional: true),
            LuaParam("reservation", "number|string", "Guaranteed MHz, e.g. \"1 GHz\" (default 0).", optional: true),
            LuaParam("limit", "number|string", "Most MHz the VM may use (default unlimited).", optional: true),
            LuaParam("weight", "integer", "Xen credit weight, 1–65535 (default 256; credit scheduler only).", optional: true),
            LuaParam("cap", "integer|string", "Xen cap in % of one pCPU, e.g. 50 or \"50%\" (default 0: none; credit only).", optional: true),
            LuaParam("quota", "number|string", "CPU time each vCPU may use per CFS period, e.g. \"50 ms\" (cfs only).", optional: true),
            LuaParam("global_quota", "number|string", "CPU time all its vCPUs together may use per CFS period, e.g. \"1 s\" per 500 ms for two CPUs' worth (libvirt's global_quota; cfs only).", optional: true),
        ])

    static let memAllocation = LuaRecord(
        "lab.MemoryAllocation", doc: "Memory shares, reservation and limit of a VM.",
        fields: [
            LuaParam("shares", "\"low\"|\"normal\"|\"high\"|integer", "5/10/20 per MB configured, or a number (default \"normal\").", optional: true),
            LuaParam("reservation", "integer|string", "Guaranteed memory, e.g. \"1 GiB\" (default 0).", optional: true),
            LuaParam("limit", "integer|string", "Most machine memory the VM may use (default unlimited).", optional: true),
            LuaParam("max_balloon", "integer|string", "`sched.mem.maxmemctl`: the most its balloon may hold (default: no VM cap).", optional: true),
            LuaParam("share_salt", "string", "`sched.mem.pshare.salt`: VMs with the same salt share pages under salting 1 and 2.", optional: true),
            LuaParam("max", "integer|string", "Xen's maxmem (xen profile): the VM boots with `memory` and may grow to this with `vm:mem_set`.", optional: true),
        ])

    static let vmOptions = LuaRecord(
        "lab.VMOptions", doc: "Options of `host:create_vm{...}`.",
        fields: [
            LuaParam("name", "string", "Unique name."),
            LuaParam("vcpus", "integer", "Virtual CPUs (default 1).", optional: true),
            LuaParam("memory", "integer|string", "Configured memory, e.g. \"4 GiB\"."),
            LuaParam("guest", "string", "Guest OS image (default \"linux\").", optional: true),
            LuaParam("tools", "boolean", "VMware Tools with the balloon driver installed (default true).", optional: true),
            LuaParam("cpu_hot_add", "boolean", "vSphere's CPU hot add: vcpus may grow while it runs (default false).", optional: true),
            LuaParam("memory_hot_add", "boolean", "vSphere's memory hot plug: memory.configured may grow while it runs (default false).", optional: true),
            LuaParam("boot", "number|string", "How long the guest takes to boot: VMware Tools run this long after each power-on (default \"30 s\"; 0 s to 1 h).", optional: true),
            LuaParam("shutdown", "number|string", "How long a guest shutdown takes (a vApp's \"guest-shutdown\" stop action; default \"10 s\"; 0 s to 1 h).", optional: true),
            LuaParam("cpu", "lab.CPUAllocation", "CPU shares, reservation, limit.", optional: true),
            LuaParam("mem", "lab.MemoryAllocation", "Memory shares, reservation, limit.", optional: true),
            LuaParam("devices", "lab.DeviceOptions[]", "NICs and disk controllers, e.g. { { kind = \"nic\", adapter = \"vmxnet3\" } }.", optional: true),
            LuaParam("disks", "lab.DiskOptions[]", "Virtual disks, e.g. { { size = \"40 GiB\", provisioning = \"thin\" } }.", optional: true),
            LuaParam("pool", "lab.ResourcePool", "Its resource pool, of the host's tree (default: the root of the host's cluster, or of the host standing alone).", optional: true),
        ])

    static let cpuWorkloadOptions = LuaRecord(
        "lab.CPUWorkloadOptions", doc: "Options of `lab.workload.cpu{...}`.",
        fields: [
            LuaParam("threads", "integer", "Guest threads (default 1); thread t runs on vCPU t mod vcpus.", optional: true),
            LuaParam("load", "number", "Duty cycle of each thread, 0 to 1 (default 1: always busy).", optional: true),
            LuaParam("period", "number|string", "How often work arrives (default \"100 ms\").", optional: true),
        ])

    static let batchWorkloadOptions = LuaRecord(
        "lab.BatchWorkloadOptions", doc: "Options of `lab.workload.batch{...}`.",
        fields: [
            LuaParam("threads", "integer", "Guest threads (default 1); thread t runs on vCPU t mod vcpus.", optional: true),
            LuaParam("work", "number|string", "Cycles per chunk, e.g. \"10 Gcycles\"."),
            LuaParam("spread", "number", "Chunk lengths uniform in work × [1 − spread, 1 + spread] (default 0).", optional: true),
        ])

    static let policyOptions = LuaRecord(
        "lab.PolicyOptions", doc: "Options of `lab.scheduler{...}`: a CPU scheduling policy written in Lua.",
        fields: [
            LuaParam("name", "string", "Its name, shown in results and the event log."),
            LuaParam("quantum", "number|string", "How often `pick` is called (default 50 ms).", optional: true),
            LuaParam("pick", "fun(view: lab.SchedulerView): integer[]",
                     "Called every quantum with the runnable vCPUs; returns the ids of those to run (at most view.pcpus)."),
        ])

    static let balloonPolicyOptions = LuaRecord(
        "lab.BalloonPolicyOptions", doc: "Options of `lab.balloon_policy{...}`: a balloon-target policy written in Lua.",
        fields: [
            LuaParam("name", "string", "Its name, shown in results and the event log."),
            LuaParam("target", "fun(view: lab.BalloonView): table<string, integer|string>",
                     "Called every balance period with the host's memory and VMs; returns balloon targets by VM name."),
        ])

    static let segmentFilter = LuaRecord(
        "lab.SegmentFilter", doc: "Filter of `scheduler:segments{...}`.",
        fields: [
            LuaParam("from", "number|string", "Start of the window (default 0).", optional: true),
            LuaParam("to", "number|string", "End of the window (default now).", optional: true),
        ])

    static let memoryWorkloadOptions = LuaRecord(
        "lab.MemoryWorkloadOptions", doc: "Options of `lab.workload.memory{...}`.",
        fields: [
            LuaParam("size", "integer|string", "Memory the application allocates and writes."),
            LuaParam("active", "integer|string", "Part of it kept in active use (default: all).", optional: true),
            LuaParam("rate", "number|string", "Allocation speed (default \"1 GiB/s\").", optional: true),
            LuaParam("zero", "number", "Fraction of the pages left all zeros, 0 to 1 (default 0): shareable within the VM.", optional: true),
            LuaParam("compressible", "number", "Fraction of the data pages that compress to 2 KB or less, 0 to 1 (default 0.6; a third of them to 1 KB).", optional: true),
            LuaParam("dirty", "number|string", "Bytes per second it keeps rewriting in its active set, e.g. \"100 MB/s\" (default 0): what live migration resends.", optional: true),
        ])

    static let touchOptions = LuaRecord(
        "lab.TouchOptions", doc: "Options of `vm.guest:touch(size, {...})`: what the written pages hold.",
        fields: [
            LuaParam("zero", "number", "Fraction of the pages left all zeros, 0 to 1 (default 0).", optional: true),
            LuaParam("compressible", "number", "Fraction of the data pages that compress to 2 KB or less, 0 to 1 (default 0.6).", optional: true),
        ])

    static let eventFilter = LuaRecord(
        "lab.EventFilter", doc: "Filter of `lab.events{...}`.",
        fields: [
            LuaParam("kind", "string", "Event kind or prefix: \"vm.power\", \"admission\", \"vm\"...", optional: true),
            LuaParam("subject", "lab.VM|lab.Host|string", "The object concerned.", optional: true),
        ])
}
