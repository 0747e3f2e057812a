import HyperModel
import LuaKit

extension LabAPI {
    func defineWorkloads() {
        cpuWorkload.property("kind", "\"cpu\"", "The workload kind.", stable: true) { w, c in c.push(w.kind) }
            .property("threads", "integer", "Guest threads.", stable: true) { w, c in c.push(w.threads) }
            .property("load", "number", "Duty cycle of each thread.", stable: true) { w, c in c.push(w.load) }
            .property("running", "boolean", "Started and not stopped.") { w, c in c.push(w.isRunning) }
            .property("vm", "lab.VM?", "The VM it runs on (nil on the host itself).") { [unowned(unsafe) self] w, c in
                if let v = w.vm, !w.onHost { c.push(v, self.vm) } else { c.pushNil() }
            }
            .property("host", "lab.Host?", "The host it runs on, in a VM or on the host itself (`host:run`).") { [unowned(unsafe) self] w, c in
                if let h = w.host { c.push(h, self.host) } else { c.pushNil() }
            }
            .property("container", "lab.Container?", "The container it runs in (nil in a VM or on a host).") { [unowned(unsafe) self] w, c in
                if let k = w.container { c.push(k, self.container) } else { c.pushNil() }
            }
        batchWorkload.property("kind", "\"batch\"", "The workload kind.", stable: true) { w, c in c.push(w.kind) }
            .property("threads", "integer", "Guest threads.", stable: true) { w, c in c.push(w.threads) }
            .property("work", "number", "Mean cycles per chunk.", stable: true) { w, c in c.push(w.work) }
            .property("spread", "number", "Spread of chunk lengths.", stable: true) { w, c in c.push(w.spread) }
            .property("completed", "integer", "Chunks finished so far, by all threads.") { w, c in
                w.vm?.host.settleCPU()
                c.push(w.completed)
            }
            .property("running", "boolean", "Started and not stopped.") { w, c in c.push(w.isRunning) }
            .property("vm", "lab.VM?", "The VM it runs on (nil on the host itself).") { [unowned(unsafe) self] w, c in
                if let v = w.vm, !w.onHost { c.push(v, self.vm) } else { c.pushNil() }
            }
            .property("host", "lab.Host?", "The host it runs on, in a VM or on the host itself (`host:run`).") { [unowned(unsafe) self] w, c in
                if let h = w.host { c.push(h, self.host) } else { c.pushNil() }
            }
        memoryWorkload.property("kind", "\"memory\"", "The workload kind.", stable: true) { w, c in c.push(w.kind) }
            .property("size", "integer", "Bytes it allocates.", stable: true) { w, c in c.push(w.size) }
            .property("active", "integer", "Bytes it keeps active.", stable: true) { w, c in c.push(w.active) }
            .property("allocated", "integer", "Bytes allocated so far.") { w, c in c.push(w.container?.allocated(w) ?? w.allocated) }
            .property("running", "boolean", "Started and not stopped.") { w, c in c.push(w.isRunning) }
            .property("vm", "lab.VM?", "The VM it runs on.") { [unowned(unsafe) self] w, c in
                if let v = w.vm { c.push(v, self.vm) } else { c.pushNil() }
            }
            .property("container", "lab.Container?", "The container it runs in (nil in a VM).") { [unowned(unsafe) self] w, c in
                if let k = w.container { c.push(k, self.container) } else { c.pushNil() }
            }
    }

    func pushWorkload(_ w: Workload, _ c: LuaCall) {
        if let cpu = w as? CPUWorkload {
            c.push(cpu, cpuWorkload)
        } else if let b = w as? BatchWorkload {
            c.push(b, batchWorkload)
        } else if let m = w as? MemoryWorkload {
            c.push(m, memoryWorkload)
        } else if let d = w as? DiskWorkload {
            c.push(d, diskWorkload)
        } else if let n = w as? NetworkWorkload {
            c.push(n, networkWorkload)
        }
    }

    func workloadArgument(_ call: LuaCall, _ index: Int32, _ ctx: String) throws -> Workload {
        switch call.value(index) {
        case .object(let o, let t)
        where t == call.state.typeID(of: cpuWorkload) || t == call.state.typeID(of: memoryWorkload)
            || t == call.state.typeID(of: batchWorkload) || t == call.state.typeID(of: diskWorkload)
            || t == call.state.typeID(of: networkWorkload):
            return o as! Workload
        case let v:
            throw LuaError("\(ctx): workload \(call.describe(v)) is not a workload (make one with lab.workload.cpu{...}, .batch{...}, .memory{...} or .disk{...})")
        }
    }

    func workloadModule() -> LuaModuleDecl {
        LuaModuleDecl(
            "lab.workload", doc: "What guests do. Pass a workload to `vm:run(w)`.",
            functions: [
                LuaFunctionDecl(
                    "cpu",
                    doc: "Guest threads, each busy `load` of the time: every `period` a thread receives `load × period` of CPU work. A thread offered more than it gets builds a backlog and stays runnable.",
                    params: [LuaParam("options", "lab.CPUWorkloadOptions", "", optional: true)],
                    returns: [LuaParam("", "lab.CPUWorkload")]
                ) { [unowned(unsafe) self] call in
                    let ctx = "lab.workload.cpu"
                    var threads = 1, load = 1.0, period = 0.1
                    if !call.value(1).isNil {
                        let o = try call.options(1, LabAPI.cpuWorkloadOptions, context: ctx)
                        if o.has("threads") { threads = try Quantity.positiveInteger(o["threads"], ctx, "threads", range: 1...4096) }
                        if let l = try o.number("load") {
                            guard l >= 0, l <= 1 else { throw o.bad("load", o["load"], expected: "a duty cycle from 0 to 1") }
                            load = l
                        }
                        if o.has("period") { period = try Quantity.seconds(o["period"], ctx, "period", allowZero: false) }
                    }
                    let w = try model { try CPUWorkload(threads: threads, load: load, period: .seconds(period)) }
                    call.push(w, self.cpuWorkload)
                    return 1
                },
                LuaFunctionDecl(
                    "batch",
                    doc: "Threads running chunks of `work` cycles back to back (lengths spread uniformly by `spread`, drawn from the seed); `w.completed` counts finished chunks.",
                    params: [LuaParam("options", "lab.BatchWorkloadOptions")], returns: [LuaParam("", "lab.BatchWorkload")]
                ) { [unowned(unsafe) self] call in
                    let ctx = "lab.workload.batch"
                    let o = try call.options(1, LabAPI.batchWorkloadOptions, context: ctx)
                    let threads = o.has("threads") ? try Quantity.positiveInteger(o["threads"], ctx, "threads", range: 1...4096) : 1
                    let work = try Quantity.cycles(o["work"], ctx, "work")
                    let spread = try o.number("spread") ?? 0
                    guard spread >= 0, spread < 1 else { throw o.bad("spread", o["spread"], expected: "a spread from 0 up to, not including, 1") }
                    let w = try model { try BatchWorkload(threads: threads, work: work, spread: spread) }
                    call.push(w, self.batchWorkload)
                    return 1
                },
                LuaFunctionDecl(
                    "memory", doc: "An application that allocates `size` at `rate` and keeps `active` of it in use. Stopping it frees its memory inside the guest.",
                    params: [LuaParam("options", "lab.MemoryWorkloadOptions")], returns: [LuaParam("", "lab.MemoryWorkload")]
                ) { [unowned(unsafe) self] call in
                    let ctx = "lab.workload.memory"
                    let o = try call.options(1, LabAPI.memoryWorkloadOptions, context: ctx)
                    let size = try Quantity.bytes(o["size"], ctx, "size")
                    let active = o.has("active") ? try Quantity.bytes(o["active"], ctx, "active", allowZero: true) : size
                    guard active <= size else {
                        throw o.bad("active", o["active"], expected: "at most size (\(Units.formatBytes(size)))")
                    }
                    let rate = o.has("rate") ? try Quantity.rate(o["rate"], ctx, "rate") : Double(Units.GiB)
                    let (zero, mix) = try LabAPI.content(o)
                    let dirty = o.has("dirty") ? try Quantity.rate(o["dirty"], ctx, "dirty") : 0
                    let w = try model { try MemoryWorkload(size: size, active: active, rate: rate, zero: zero, mix: mix, dirty: dirty) }
                    call.push(w, self.memoryWorkload)
                    return 1
                },
                diskWorkloadFunction(),
                networkWorkloadFunction(),
                LuaFunctionDecl("busy", doc: "`cpu{ threads = n, load = 1 }`: n threads always busy (written in Lua).",
                                params: [LuaParam("threads", "integer", "default 1", optional: true)], returns: [LuaParam("", "lab.CPUWorkload")], body: nil),
                LuaFunctionDecl("idle", doc: "`cpu{ load = 0.02 }`: an idle guest's background activity (written in Lua).",
                                returns: [LuaParam("", "lab.CPUWorkload")], body: nil),
            ])
    }
}
