import HyperModel
import LuaKit

extension LabAPI {
    func defineHost() {
        host.property("name", "string", "Its name.", stable: true) { h, c in c.push(h.name) }
            .property("cpus", "integer", "Physical CPUs.", stable: true) { h, c in c.push(h.cpus) }
            .property("mhz", "number", "Clock speed in MHz.", stable: true) { h, c in c.push(h.mhz) }
            .property("cpu", "lab.HostCPU", "CPU capacity, use and over-commitment.", stable: true) { [unowned(unsafe) self] h, c in c.push(h, self.hostCPU) }
            .property("memory", "lab.HostMemory", "Machine memory.", stable: true) { [unowned(unsafe) self] h, c in c.push(h, self.hostMemory) }
            .property("reclaim", "lab.Reclaim", "Memory reclamation: page sharing, balloon, compression, swap and the state settings.", stable: true) {
                [unowned(unsafe) self] h, c in c.push(h, self.reclaim)
            }
            .property("hypervisor", "\"type1\"|\"type2\"|\"none\"", "Bare metal, hosted, or none (a Linux node for containers).", stable: true) { h, c in c.push(h.hypervisor.rawValue) }
            .property("host_os_memory", "integer", "Memory a type 2 host's operating system keeps (0 on type 1).", stable: true) { h, c in
                c.push(h.hostOSMemory)
            }
            .property("vms", "lab.VM[]", "VMs registered on the host.") { [unowned(unsafe) self] h, c in c.pushArray(h.vms) { c.push($0, self.vm) } }
            .property("datastores", "lab.Datastore[]", "Mounted datastores.") { [unowned(unsafe) self] h, c in
                c.pushArray(h.datastores) { c.push($0, self.datastore) }
            }
            .property(
                "scheduler", "lab.Scheduler",
                "The CPU scheduler. Assign a name (\"esx\", \"credit\"...) or a policy from lab.scheduler{...} to change it while no VM on the host is powered on.",
                get: { [unowned(unsafe) self] h, c in c.push(h, self.scheduler) },
                set: { [unowned(unsafe) self] h, c in try self.setScheduler(h, c.value(3), c, field: "scheduler") })
            .property("workloads", "(lab.CPUWorkload|lab.BatchWorkload)[]",
                      "Workloads running on the host itself, not in a VM (from `host:run`; a type 2 host's OS work is the first).") {
                [unowned(unsafe) self] h, c in c.pushArray(h.hostWorkloads) { self.pushWorkload($0, c) }
            }
            .method(
                "run",
                doc: "Starts a CPU or batch workload on the host itself, beside its VMs (the host OS's processes; SimGrid's tasks on a physical machine) and returns it. The share-based schedulers run it with a host OS's priority; fair makes each of its threads a flow of weight 1 beside the VMs.",
                params: [LuaParam("workload", "lab.CPUWorkload|lab.BatchWorkload", "From lab.workload.cpu{...} or .batch{...}.")],
                returns: [LuaParam("", "lab.CPUWorkload|lab.BatchWorkload")]
            ) { [unowned(unsafe) self] h, call in
                let w = try self.workloadArgument(call, 2, "\(h.description):run")
                try model { try h.run(w) }
                call.pushValue(2)
                return 1
            }
            .method(
                "stop", doc: "Stops one workload running on the host itself, or all of them (a type 2 host's OS work too) when none is given.",
                params: [LuaParam("workload", "lab.CPUWorkload|lab.BatchWorkload", "", optional: true)]
            ) { [unowned(unsafe) self] h, call in
                if call.value(2).isNil {
                    h.stopWorkloads()
                } else {
                    let w = try self.workloadArgument(call, 2, "\(h.description):stop")
                    try model { try h.stop(w) }
                }
                return 0
            }
            .method(
                "create_vm", doc: "Creates a VM on this host, powered off. Every option is checked before anything changes.",
                params: [LuaParam("options", "lab.VMOptions")], returns: [LuaParam("", "lab.VM")]
            ) { [unowned(unsafe) self] h, call in
                let spec = try self.vmSpec(call)
                let v = try model { try h.createVM(spec) }
                call.push(v, self.vm)
                return 1
            }

        hostCPU.property("pcpus", "integer", "Physical CPUs.", stable: true) { h, c in c.push(h.cpus) }
            .property("capacity", "number", "Total MHz (pCPUs × clock).", stable: true) { h, c in c.push(h.capacityMHz) }
            .property("used", "number", "% of capacity used in the last sample interval.") { h, c in c.push(h.metrics.cpuUsed) }
            .property("overcommit", "number", "vCPUs of powered-on VMs per pCPU.") { h, c in c.push(h.cpuOvercommit) }
            .property("reserved", "number", "MHz reserved by powered-on VMs.") { h, c in c.push(h.reservedMHz) }
            .property("unreserved", "number", "MHz still available to reservations (admission control).") { h, c in c.push(h.unreservedMHz) }
            .property("processes", "{ run: number, ready: number }",
                      "CPU seconds the host's own processes (`host:run`, a type 2 host's OS) ran and waited since the host started, summed over their threads.") { h, c in
                h.settleCPU()
                let p = h.processCounters
                c.pushTable { t in
                    t.set("run", Double(p.run) / 1e6)
                    t.set("ready", Double(p.ready) / 1e6)
                }
            }

        hostMemory.property("capacity", "integer", "Machine memory in bytes.", stable: true) { h, c in c.push(h.memory.capacity) }
            .property("consumed", "integer", "Bytes backing guest memory and VM overhead.") { h, c in c.push(h.memory.consumed) }
            .property("free", "integer", "Bytes not consumed.") { h, c in c.push(h.memory.free) }
            .property("reserved", "integer", "Reservations + overhead of powered-on VMs, in bytes.") { h, c in c.push(h.memory.reserved) }
            .property("unreserved", "integer", "Bytes still available to reservations + overhead (admission control).") { h, c in
                c.push(h.memory.unreserved)
            }
            .property("overcommit", "number", "Configured memory of powered-on VMs per byte of machine memory.") { h, c in
                c.push(h.memory.overcommit)
            }
            .property("state", "\"high\"|\"clear\"|\"soft\"|\"hard\"|\"low\"", "The free-memory state, which decides which reclaimers run.") { h, c in
                c.push(h.memory.state.name)
            }
            .property("min_free", "integer", "minFree: 6 % of the first 4 GB, 4 % of the next 8, 2 % of the next 16, 1 % of the rest (or reclaim.min_free_percent).") { h, c in
                c.push(h.memory.minFree)
            }
            .property("thresholds", "{ high: integer, clear: integer, soft: integer, hard: integer }", "Free memory at which each state begins (bytes); below hard is low.") { h, c in
                let e = h.memory.edges
                c.pushTable { t in for (i, s) in ["high", "clear", "soft", "hard"].enumerated() { t.set(s, e[i]) } }
            }
            .property("shared_saved", "integer", "Machine memory saved by page sharing.") { h, c in c.push(h.memory.sharedSaved) }
            .property("ballooned", "integer", "Memory held by the VMs' balloons (MCTLSZ summed).") { h, c in c.push(h.memoryReclaimed.ballooned) }
            .property("compressed", "integer", "Guest memory held compressed (ZIP summed).") { h, c in c.push(h.memoryReclaimed.compressed) }
            .property("swapped", "integer", "Guest memory swapped by the host (SWCUR summed).") { h, c in c.push(h.memoryReclaimed.swapped) }

        datastore.property("name", "string", "Its name.", stable: true) { d, c in c.push(d.name) }
            .property("capacity", "integer", "Size in bytes.", stable: true) { d, c in c.push(d.capacity) }
            .property("kind", "\"ssd\"|\"hdd\"|\"san\"|\"nfs\"", "Kind of storage.", stable: true) { d, c in c.push(d.kind.rawValue) }
            .property("hosts", "lab.Host[]", "Hosts that mount it.") { [unowned(unsafe) self] d, c in c.pushArray(d.hosts) { c.push($0, self.host) } }
            .property("provisioned", "integer", "Bytes its files may grow to (thin files count at full size).") { d, c in c.push(d.provisioned) }
            .property("utilization", "number", "Share (0 to 1) of its write bandwidth used in the last second.") { d, c in c.push(d.utilization) }
            .property("latency_ms", "number", "Write latency now: the kind's service time ÷ (1 − utilization).") { d, c in c.push(d.latencyMs) }
            .property("bandwidth", "number", "Write bandwidth in bytes/s (ssd 400 MB/s, san 300, hdd 120, nfs 100).", stable: true) { d, c in
                c.push(d.writeBandwidth)
            }
            .property("used", "integer", "Bytes its files take now.") { d, c in c.push(d.used) }
            .property("free", "integer", "Capacity minus used.") { d, c in c.push(d.free) }
            .property("files", "{ name: string, kind: string, size: integer, used: integer, vm: string }[]",
                      "Its files as the datastore browser lists them, e.g. { name = \"web01.vswp\", kind = \"vswp\", size, used, vm = \"web01\" }.") { d, c in
                c.pushArray(d.files) { f in
                    c.pushTable { t in
                        t.set("name", f.name)
                        t.set("kind", f.kind)
                        t.set("size", f.size)
                        t.set("used", f.used)
                        t.set("vm", f.owner)
                    }
                }
            }

        cluster.property("name", "string", "Its name.", stable: true) { x, c in c.push(x.name) }
            .property("hosts", "lab.Host[]", "Member hosts.") { [unowned(unsafe) self] x, c in c.pushArray(x.hosts) { c.push($0, self.host) } }
    }

    /// Reads `create_vm{...}`: every field is checked before the model sees it.
    func vmSpec(_ call: LuaCall) throws -> VMSpec {
        let ctx = "create_vm"
        let o = try call.options(2, LabAPI.vmOptions, context: ctx)
        let name = try o.string("name")!
        var spec = VMSpec(name: name, memory: try Quantity.bytes(o["memory"], ctx, "memory"))
        if o.has("vcpus") { spec.vcpus = try Quantity.positiveInteger(o["vcpus"], ctx, "vcpus", range: 1...768) }
        if let g = try o.string("guest") { spec.guest = g }
        if let t = try o.boolean("tools") { spec.tools = t }
        if let h = try o.boolean("cpu_hot_add") { spec.cpuHotAdd = h }
        if let h = try o.boolean("memory_hot_add") { spec.memoryHotAdd = h }
        if o.has("boot") { spec.bootSeconds = try Quantity.seconds(o["boot"], "\(ctx) \(name)", "boot") }
        if o.has("shutdown") { spec.shutdownSeconds = try Quantity.seconds(o["shutdown"], "\(ctx) \(name)", "shutdown") }
        if let cpu = try o.options("cpu", LabAPI.cpuAllocation) {
            if cpu.has("shares") { spec.cpu.shares = try Quantity.shares(cpu["shares"], cpu.context, "shares") }
            if cpu.has("reservation") { spec.cpu.reservationMHz = try Quantity.mhz(cpu["reservation"], cpu.context, "reservation") }
            if cpu.has("limit") { spec.cpu.limitMHz = try Quantity.mhz(cpu["limit"], cpu.context, "limit") }
            if cpu.has("weight") { spec.cpu.weight = try Int64(Quantity.positiveInteger(cpu["weight"], cpu.context, "weight", range: 1...65535)) }
            if cpu.has("cap") { spec.cpu.cap = try LabAPI.cap(cpu["cap"], cpu.context) }
            if cpu.has("quota") { spec.cpu.quota = .seconds(try Quantity.seconds(cpu["quota"], cpu.context, "quota", allowZero: false)) }
            if cpu.has("global_quota") {
                spec.cpu.globalQuota = .seconds(try Quantity.seconds(cpu["global_quota"], cpu.context, "global_quota", allowZero: false))
            }
        }
        spec.disks = try diskSpecs(o, call)
        spec.devices = try deviceSpecs(o, call)
        if let mem = try o.options("mem", LabAPI.memAllocation) {
            if mem.has("shares") { spec.mem.shares = try Quantity.shares(mem["shares"], mem.context, "shares") }
            if mem.has("reservation") {
                spec.mem.reservation = try Quantity.bytes(mem["reservation"], mem.context, "reservation", allowZero: true)
            }
            if mem.has("limit") { spec.mem.limit = try Quantity.bytes(mem["limit"], mem.context, "limit") }
            if mem.has("max_balloon") {
                spec.mem.maxBalloon = try Quantity.bytes(mem["max_balloon"], mem.context, "max_balloon", allowZero: true)
            }
            if let salt = try mem.string("share_salt") { spec.mem.shareSalt = salt }
            if mem.has("max") { spec.mem.max = try Quantity.bytes(mem["max"], mem.context, "max") }
        }
        if o.has("pool") { spec.pool = try poolArgument(o["pool"], call, "\(ctx) \(name)") }
        return spec
    }
}
