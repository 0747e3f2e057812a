import HyperModel
import LuaKit

/// The container, its cgroup's CPU and memory counters, its kernel and its image, as Lua
/// objects (docs/containers.md explains every number).
extension LabAPI {
    func defineContainerObjects() {
        container.property("name", "string", "Its name.", stable: true) { k, c in c.push(k.name) }
            .property("state", "\"starting\"|\"running\"|\"exited\"|\"oom-killed\"", "Where it is in its life.") { k, c in c.push(k.state.rawValue) }
            .property("image", "lab.Image?", "Its image.", stable: true) { [unowned(unsafe) self] k, c in
                if let i = k.image { c.push(i, self.image) } else { c.pushNil() }
            }
            .property("kernel", "lab.Kernel", "The kernel it runs on (a node's, or a VM guest's).", stable: true) { [unowned(unsafe) self] k, c in
                c.push(k.kernel, self.kernel)
            }
            .property("start_time", "number?", "Seconds from `run_container` to running (pull + start-up); nil until it runs.") { k, c in
                if let s = k.startTime { c.push((s - k.createdAt).seconds) } else { c.pushNil() }
            }
            .property("started_at", "number?", "lab.now() when it became running; nil until then.") { k, c in
                if let s = k.startTime { c.push(s.seconds) } else { c.pushNil() }
            }
            .property("exit_code", "integer?", "137 when OOM-killed (128 + SIGKILL), 143 when stopped (128 + SIGTERM), nil while live or after a kernel panic.") { k, c in
                if let e = k.exitCode { c.push(e) } else { c.pushNil() }
            }
            .property("reason", "string?", "Why it ended (\"OOM killed: memory.max ...\", \"kernel panic ...\").") { k, c in
                if let r = k.reason { c.push(r) } else { c.pushNil() }
            }
            .property("namespaces", "string[]", "Linux namespaces it has of its own.", stable: true) { k, c in c.pushArray(k.namespaces) { c.push($0) } }
            .property("compromised", "boolean", "A modelled kernel exploit reached it.") { k, c in c.push(k.compromised) }
            .property("oom_score_adj", "integer", "oom_score_adj of its processes (0; a pod's from its QoS class), weighing the global OOM killer's choice.") { k, c in
                c.push(k.oomScoreAdj)
            }
            .property("cpu", "lab.ContainerCPU", "Its cgroup's CPU settings and cpu.stat.", stable: true) { [unowned(unsafe) self] k, c in c.push(k, self.containerCPU) }
            .property("memory", "lab.ContainerMemory", "Its cgroup's memory settings, usage and memory.events.", stable: true) { [unowned(unsafe) self] k, c in
                c.push(k, self.containerMemory)
            }
            .property("disk", "lab.ContainerDisk", "Its disk writes (disk workloads, copy-ups) and io.weight / io.max.", stable: true) { [unowned(unsafe) self] k, c in
                c.push(k, self.containerDisk)
            }
            .property("writable", "integer", "Bytes of its writable (upper) layer: copied-up and new files.") { k, c in c.push(k.writableBytes) }
            .property("whiteouts", "integer", "Image files it deleted (each hidden by a whiteout; the image layer keeps its bytes).") { k, c in c.push(k.whiteoutCount) }
            .property("workloads", "(lab.CPUWorkload|lab.MemoryWorkload|lab.DiskWorkload)[]", "Workloads started in it.") { [unowned(unsafe) self] k, c in
                c.pushArray(k.workloads) { self.pushWorkload($0, c) }
            }
            .method("run", doc: "Starts a lab.workload.cpu{...}, .memory{...} or .disk{...} in it (queued while it is starting) and returns it. A disk workload writes to the node's first datastore, or in a VM guest to the VM's disk (the VM's I/O to the hypervisor).",
                    params: [LuaParam("workload", "lab.CPUWorkload|lab.MemoryWorkload|lab.DiskWorkload")], returns: [LuaParam("", "lab.CPUWorkload|lab.MemoryWorkload|lab.DiskWorkload")]) { [unowned(unsafe) self] k, call in
                let w = try self.workloadArgument(call, 2, "\(k.description):run")
                try model { try k.run(w) }
                call.pushValue(2)
                return 1
            }
            .method("stop", doc: "docker stop: its workloads stop now and it exits after the kernel's exit_time (exit code 143).") { k, _ in
                try model { try k.kernel.stop(k) }
                return 0
            }
            .method("write", doc: "Writes to a file: the first write to an image file copies the whole file up into the writable layer at the datastore's write bandwidth (its disk writes wait meanwhile); a new path is a new file. Returns the seconds the write waits for its copy-up (0 without one).",
                    params: [LuaParam("path", "string", "Absolute path."), LuaParam("bytes", "integer|string|lab.WriteOptions", "Bytes written (default 1), or { bytes, offset }.", optional: true)],
                    returns: [LuaParam("", "number")]) { k, call in
                let ctx = "\(k.description):write"
                let path = try call.string(2, "path")
                var bytes: Int64 = 1, offset: Int64 = 0
                switch call.value(3) {
                case .none, .nil: break
                case .table:
                    let o = try call.options(3, LabAPI.writeOptions, context: ctx)
                    bytes = try Quantity.bytes(o["bytes"], ctx, "bytes", allowZero: true)
                    if o.has("offset") { offset = try Quantity.bytes(o["offset"], ctx, "offset", allowZero: true) }
                case let v: bytes = try Quantity.bytes(v, ctx, "bytes", allowZero: true)
                }
                let (b, off) = (bytes, offset)
                let wait = try model { try k.write(path, offset: off, bytes: b) }
                call.push(wait)
                return 1
            }
            .method("delete", doc: "Deletes a file: an image file gets a whiteout (nothing is freed in the image layer).",
                    params: [LuaParam("path", "string", "Absolute path.")]) { k, call in
                let path = try call.string(2, "path")
                try model { try k.delete(path) }
                return 0
            }
            .method("file", doc: "The size of the file at `path` as the container sees it (its writable layer over the image), or nil.",
                    params: [LuaParam("path", "string")], returns: [LuaParam("", "integer?")], mutates: false) { k, call in
                if let s = k.file(try call.string(2, "path")) { call.push(s) } else { call.pushNil() }
                return 1
            }
            .method("exploit", doc: "Runs a modelled kernel exploit (Dirty COW-like) from this container; returns every container it compromises: all on a bare-metal kernel, only this VM guest's inside a VM, every VM guest's on the host with hypervisor_bug = true.",
                    params: [LuaParam("options", "lab.ExploitOptions", "", optional: true)], returns: [LuaParam("", "lab.Container[]")]) { [unowned(unsafe) self] k, call in
                var bug = false
                if !call.value(2).isNil {
                    let o = try call.options(2, LabAPI.exploitOptions, context: "\(k.description):exploit")
                    bug = try o.boolean("hypervisor_bug") ?? false
                }
                let b = bug
                let hit = try model { try k.kernel.exploit(from: k, hypervisorBug: b) }
                call.pushArray(hit) { call.push($0, self.container) }
                return 1
            }

        containerCPU.property("usage", "number", "CPU it uses now, % of one CPU (as docker stats: 150 = one and a half CPUs).") { k, c in c.push(k.cpuRate * 100) }
            .property("usage_usec", "integer", "cpu.stat usage_usec: CPU time used since it started, µs.") { k, c in c.push(k.stat.usageUsec) }
            .property("nr_periods", "integer", "cpu.stat nr_periods: quota periods elapsed while runnable (0 without a quota).") { k, c in c.push(k.stat.nrPeriods) }
            .property("nr_throttled", "integer", "cpu.stat nr_throttled: periods in which it used up its quota and was throttled.") { k, c in c.push(k.stat.nrThrottled) }
            .property("throttled_usec", "integer", "cpu.stat throttled_usec: time throttled, summed over its per-CPU run queues, µs.") { k, c in c.push(k.stat.throttledUsec) }
            .property("throttled", "boolean", "Its quota binds now (it would run faster without it).") { k, c in
                _ = k.cpuRate  // a guest kernel accounts what its VM received first
                c.push(k.state == .running && k.throttled)
            }
.property("weight", "integer", "cpu.weight (v2) or cpu.shares (v1) in force.") { k, c in c.push(k.cpuControl.weight) }
            .property("shares", "integer?", "The cpu.shares it was given (cpu_shares, or a pod's requests.cpu), before any conversion to a v2 weight.") { k, c in
                if let s = k.options.cpuShares { c.push(s) } else { c.pushNil() }
            }
            .property("max", "string", "cpu.max as the file shows it, e.g. \"50000 100000\" or \"max 100000\".") { k, c in c.push(k.cpuControl.maxText) }
            .property("quota", "integer?", "Quota per period in µs, nil for none.") { k, c in if let q = k.cpuControl.quota { c.push(q) } else { c.pushNil() } }
            .property("period", "integer", "Period in µs.") { k, c in c.push(k.cpuControl.period) }
            .property("cpuset", "integer[]?", "CPUs it may run on, nil for all.") { k, c in
                if let s = k.cpuControl.cpuset { c.pushArray(s) { c.push($0) } } else { c.pushNil() }
            }

        containerMemory.property("usage", "integer", "Resident memory charged to its cgroup, bytes (memory.current without swap).") { k, c in c.push(k.memoryUsage) }
            .property("swap", "integer", "memory.swap.current: bytes it has in swap.") { k, c in c.push(k.swapUsage) }
            .property("peak", "integer", "memory.peak: the most it had resident.") { k, c in c.push(k.memoryPeak) }
            .property("max", "integer?", "memory.max, nil for max.") { k, c in if let m = k.memoryControl.max { c.push(m) } else { c.pushNil() } }
            .property("high", "integer?", "memory.high, nil for max.") { k, c in if let m = k.memoryControl.high { c.push(m) } else { c.pushNil() } }
            .property("swap_max", "integer?", "memory.swap.max, nil for max.") { k, c in if let m = k.memoryControl.swapMax { c.push(m) } else { c.pushNil() } }
            .property("events", "{ low: integer, high: integer, max: integer, oom: integer, oom_kill: integer }", "memory.events counters.") { k, c in
                let e = k.memoryEventsNow
                c.pushTable { t in
                    t.set("low", e.low)
                    t.set("high", e.high)
                    t.set("max", e.max)
                    t.set("oom", e.oom)
                    t.set("oom_kill", e.oomKill)
                }
            }

        containerDisk.property("written", "integer", "Bytes it wrote to disk since it started (disk workloads and copy-ups).") { k, c in c.push(k.diskWritten) }
            .property("rate", "number", "Bytes/s it wrote in the last storage second (0 when it is not writing).") { k, c in c.push(k.diskRate) }
            .property("latency_ms", "number", "Write latency it sees now: its datastore's (growing with utilization), plus a type 2 host's in a VM guest, ms.") { k, c in
                c.push(k.diskLatencyMs)
            }
            .property("throttled", "number", "Seconds its disk writes were held at io.max (it asked more and the disk had room).") { k, c in c.push(k.diskThrottled) }
            .property("copy_up", "number", "Seconds it spent copying image files up.") { k, c in c.push(k.copyUpSeconds) }
            .property("weight", "integer", "io.weight (v2) or blkio.weight (v1) in force.") { k, c in c.push(k.ioControl.weight) }
            .property("wbps", "number?", "io.max wbps in bytes/s, nil for max.") { k, c in if let b = k.ioControl.wbps { c.push(b) } else { c.pushNil() } }
            .property("wiops", "number?", "io.max wiops, nil for max.") { k, c in if let b = k.ioControl.wiops { c.push(b) } else { c.pushNil() } }
            .property("max", "string", "io.max as the file shows it, e.g. \"8:0 rbps=max wbps=52428800 riops=max wiops=max\".") { k, c in c.push(k.ioControl.maxText) }
            .property("datastore", "lab.Datastore?", "Where its writes land (nil on a node without a datastore).") { [unowned(unsafe) self] k, c in
                if let d = k.diskDatastore { c.push(d, self.datastore) } else { c.pushNil() }
            }

        image.property("name", "string", "Its name.", stable: true) { i, c in c.push(i.name) }
            .property("size", "integer", "Bytes of all its layers.", stable: true) { i, c in c.push(i.size) }
            .property("layers", "integer[]", "Each layer's size, lowest first.", stable: true) { i, c in c.pushArray(i.layers) { c.push($0.size) } }
            .property("memory", "integer", "Working set of its entry process.", stable: true) { i, c in c.push(i.workingSet) }
            .property("files", "string[]", "Paths of the files named in its layers.", stable: true) { i, c in c.pushArray(i.filePaths) { c.push($0) } }
    }
}
