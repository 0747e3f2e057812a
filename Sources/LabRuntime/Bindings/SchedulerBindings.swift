import HyperModel
import LuaKit

extension LabAPI {
    func defineScheduler() {
        scheduler.property(
            "name", "string", "The scheduler's name; assign a scheduler name or a policy while no VM on the host is powered on.",
            get: { h, c in c.push(h.scheduler.name) },
            set: { [unowned(unsafe) self] h, c in try self.setScheduler(h, c.value(3), c, field: "scheduler.name") })
            .property("description", "string", "What the scheduler does.") { h, c in c.push(h.scheduler.kind.summary) }
            .property(
                "quantum", "number", "The time step in seconds: quantum (esx, strict, relaxed, round-robin: 0.05), tick (credit: 0.01) or granularity (cfs: 0.004).",
                get: { h, c in c.push(h.scheduler.quantum.seconds) },
                set: { h, c in try model { try h.setQuantum(.seconds(Quantity.seconds(c.value(3), "\(h.description).scheduler", "quantum", allowZero: false))) } })
            .property(
                "skew_threshold", "number", "Co-scheduling: skew in seconds beyond which leading vCPUs are co-stopped (default 0.003).",
                get: { h, c in c.push(h.scheduler.skewThreshold.seconds) },
                set: { h, c in
                    try model { try h.setSkewThreshold(.seconds(Quantity.seconds(c.value(3), "\(h.description).scheduler", "skew_threshold"))) }
                })
            .property(
                "time_slice", "number", "Xen credit: the time slice and accounting period in seconds (default 0.03).",
                get: { h, c in c.push(h.scheduler.timeSlice.seconds) },
                set: { h, c in
                    try model { try h.setTimeSlice(.seconds(Quantity.seconds(c.value(3), "\(h.description).scheduler", "time_slice", allowZero: false))) }
                })
            .property(
                "ratelimit", "number", "Xen credit: `sched_ratelimit_us` in seconds, the least a running vCPU runs before a waking one may preempt it (default 0.001, up to the time slice; the model steps by the 10 ms tick, so values up to it change nothing).",
                get: { h, c in c.push(h.scheduler.ratelimit.seconds) },
                set: { h, c in
                    try model { try h.setRatelimit(.seconds(Quantity.seconds(c.value(3), "\(h.description).scheduler", "ratelimit"))) }
                })
            .property(
                "period", "number", "CFS: the bandwidth period in seconds that quotas apply to (default 0.1).",
                get: { h, c in c.push(h.scheduler.period.seconds) },
                set: { h, c in
                    try model { try h.setPeriod(.seconds(Quantity.seconds(c.value(3), "\(h.description).scheduler", "period", allowZero: false))) }
                })
            .property(
                "work_conserving", "boolean",
                "fair: false (default) bounds each VM as SimGrid does, by min(active threads, vCPUs) cores, so CPU a VM's threads cannot use is lost; true bounds it by what its threads want, so the rest goes to the others.",
                get: { h, c in c.push(h.scheduler.workConserving) },
                set: { h, c in try model { try h.setWorkConserving(c.boolean(3, "work_conserving")) } })
            .property(
                "trace", "boolean", "Record which vCPU ran on which pCPU (for Gantt charts of small labs).",
                get: { h, c in c.push(h.scheduler.trace) },
                set: { h, c in try model { try h.setTrace(c.boolean(3, "trace")) } })
            .method(
                "segments",
                doc: "With `trace` on: who ran on which pCPU, as { pcpu, vm, vcpu, start, finish } (seconds; pCPUs and vCPUs from 1), oldest first.",
                params: [LuaParam("filter", "lab.SegmentFilter", "", optional: true)],
                returns: [LuaParam("", "{ pcpu: integer, vm: string, vcpu: integer, start: number, finish: number }[]")],
                mutates: false
            ) { h, call in
                guard let trace = h.scheduleTrace else {
                    throw LuaError("\(h.description).scheduler:segments: the trace is off (set host.scheduler.trace = true before powering VMs on)")
                }
                h.settleCPU()
                var from = 0.0, to = Double.infinity
                if !call.value(2).isNil {
                    let o = try call.options(2, LabAPI.segmentFilter, context: "\(h.description).scheduler:segments")
                    if o.has("from") { from = try Quantity.seconds(o["from"], o.context, "from") }
                    if o.has("to") { to = try Quantity.seconds(o["to"], o.context, "to") }
                }
                let picked = trace.segments.filter { $0.end.seconds > from && $0.start.seconds < to }
                call.pushArray(picked) { seg in
                    call.pushTable { t in
                        t.set("pcpu", Int64(seg.pcpu + 1))
                        t.set("vm", seg.vm)
                        t.set("vcpu", Int64(seg.vcpu))
                        t.set("start", seg.start.seconds)
                        t.set("finish", seg.end.seconds)
                    }
                }
                return 1
            }

        policy.property("name", "string", "Its name.", stable: true) { p, c in c.push(p.name) }
            .property("quantum", "number", "Seconds between two calls of pick.", stable: true) { p, c in c.push(p.quantum.seconds) }
    }

    /// `host.scheduler = "credit"` or `= policy`.
    func setScheduler(_ h: Host, _ value: LuaValue, _ c: LuaCall, field: String) throws {
        switch value {
        case .string(let name): try model { try h.setScheduler(LabAPI.schedulerKind(name, "\(h.description).\(field)")) }
        case .object(let o, let t) where t == c.state.typeID(of: policy): try model { try h.setPolicy(o as! LuaPolicy) }
        default:
            throw LuaError("\(h.description).\(field): \(c.describe(value)) is not a scheduler (use a name such as \"esx\" or a policy from lab.scheduler{...})")
        }
    }

    /// Reads a Xen cap: a number of percent or "50%".
    static func cap(_ v: LuaValue, _ ctx: String) throws -> Int64 {
        switch v {
        case .integer, .number:
            if let n = try LuaNumber.integer(v, ctx, "cap", range: 0...100_000) { return n }
        case .string(let s):
            if let p = try? Units.parsePercent(s), p >= 0, p <= 100_000, p == p.rounded() { return Int64(p) }
        default: break
        }
        throw Quantity.bad(ctx, "cap", v, "a cap (use a whole percentage of one pCPU, e.g. 50 or \"50%\"; 0 = no cap)")
    }

    func schedulerFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "scheduler",
            doc: """
                A CPU scheduling policy written in Lua. Every quantum `pick(view)` receives a snapshot: `view.now`, \
                `view.quantum`, `view.pcpus` and `view.runnable`, a list of { id, vm, vcpu, vcpus, shares, run, ready, \
                waiting } (seconds). It returns the ids of the vCPUs to run, at most `view.pcpus`; the model checks \
                them (an unknown id, an id twice or too many stops the run with a clear error). Assign the policy to \
                `host.scheduler`.
                """,
            params: [LuaParam("options", "lab.PolicyOptions")], returns: [LuaParam("", "lab.Policy")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.scheduler"
            let o = try call.options(1, LabAPI.policyOptions, context: ctx)
            let name = try o.string("name")!
            let quantum = o.has("quantum") ? try Quantity.seconds(o["quantum"], ctx, "quantum", allowZero: false) : 0.05
            guard case .function(let fn) = o["pick"] else { throw o.bad("pick", o["pick"], expected: "a function") }
            let p = LuaPolicy(name: name, quantum: .seconds(quantum), state: call.state, ref: call.ref(fn), session: self.session)
            call.push(p, self.policy)
            return 1
        }
    }
}
