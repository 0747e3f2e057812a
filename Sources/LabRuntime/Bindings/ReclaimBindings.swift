import HyperModel
import LuaKit

/// `h.reclaim` and its reclaimers. Every parameter is declared from the model's table
/// (`ReclaimParameter.all`), which also checks each change.
extension LabAPI {
    func defineReclaim() {
        reclaim.property("tps", "lab.PageSharing", "Page sharing: ESX's TPS, or KSM on the kvm profile.", stable: true) { [unowned(unsafe) self] h, c in
            c.push(h, self.pageSharing)
        }
        .property("balloon", "lab.Balloon", "The balloon drivers of the host's VMs.", stable: true) { [unowned(unsafe) self] h, c in c.push(h, self.balloon) }
        .property("compression", "lab.Compression", "Memory compression: ESX's per-VM cache, or zswap on the kvm profile.", stable: true) {
            [unowned(unsafe) self] h, c in c.push(h, self.compression)
        }
        .property("swap", "lab.HostSwap", "Host swapping: to each VM's .vswp file, or the kvm host's swap device.", stable: true) {
            [unowned(unsafe) self] h, c in c.push(h, self.hostSwap)
        }
        .property("profile", "\"esxi\"|\"xen\"|\"kvm\"", "The profile whose reclaimers the host runs.", stable: true) { h, c in
            c.push(h.memory.settings.profile.rawValue)
        }
        .property(
            "reading", "\"A\"|\"B\"",
            "How the published thresholds are read: \"A\" (default) high ≥ 4×, clear ≥ 1×, soft ≥ 0.64×, hard ≥ 0.32× minFree; \"B\" clear below 100 %, soft below 64 %, hard below 32 %, low below 16 %.",
            get: { h, c in c.push(h.memory.settings.machine.reading.rawValue) },
            set: { h, c in
                let v = c.value(3)
                guard case .string(let s) = v, let r = ThresholdReading(rawValue: s) else {
                    throw LuaError("\(h.description).reclaim.reading: \(v.describe()) is not a reading (use \"A\" or \"B\")")
                }
                try model { try h.setThresholdReading(r) }
            })
        declareParameters(.host, on: reclaim)

        pageSharing.property("mode", "\"tps\"|\"ksm\"", "ESX's transparent page sharing or Linux KSM.", stable: true) { h, c in
            c.push(h.memory.settings.sharing.mode.rawValue)
        }
        .property("saved", "integer", "Machine memory saved by sharing, in bytes (vCenter's shared common subtracted from shared).") { h, c in
            c.push(h.memory.sharedSaved)
        }
        .property("shared", "integer", "Guest memory backed by shared pages, summed over the VMs (bytes).") { h, c in
            c.push(h.memoryReclaimed.shared)
        }
        .property("large_pages_broken", "boolean", "Whether large pages have been broken into small ones (below the high state).") { h, c in
            c.push(h.memory.largePagesBroken)
        }
        declareParameters(.tps, on: pageSharing)

        balloon.property("ballooned", "integer", "Memory held by balloons, summed over the VMs (esxtop MCTLSZ; bytes).") { h, c in
            c.push(h.memoryReclaimed.ballooned)
        }
        .property("target", "integer", "Balloon targets summed over the VMs (esxtop MCTLTGT; bytes).") { h, c in c.push(h.memoryReclaimed.balloonTarget) }
        .property(
            "policy", "lab.BalloonPolicy?",
            "A balloon-target policy from lab.balloon_policy{...} replacing the host's computation; nil restores it.",
            get: { [unowned(unsafe) self] h, c in
                if let p = h.memory.settings.balloon.policy as? LuaBalloonPolicy { c.push(p, self.balloonPolicy) } else { c.pushNil() }
            },
            set: { [unowned(unsafe) self] h, c in
                switch c.value(3) {
                case .nil, .none: h.setBalloonPolicy(nil)
                case .object(let o, let t) where t == c.state.typeID(of: self.balloonPolicy): h.setBalloonPolicy(o as! LuaBalloonPolicy)
                case let v:
                    throw LuaError("\(h.description).reclaim.balloon.policy: \(c.describe(v)) is not a balloon policy (use lab.balloon_policy{...} or nil)")
                }
            })
        declareParameters(.balloon, on: balloon)

        compression.property("mode", "\"cache\"|\"zswap\"", "ESX's per-VM compression cache or Linux zswap.", stable: true) { h, c in
            c.push(h.memory.settings.compression.mode.rawValue)
        }
        .property("compressed", "integer", "Guest memory held compressed, summed over the VMs (esxtop ZIP; bytes).") { h, c in
            c.push(h.memoryReclaimed.compressed)
        }
        declareParameters(.compression, on: compression)

        hostSwap.property("mode", "\"vswp\"|\"device\"", "Per-VM .vswp files on the VM's datastore, or the host's swap device.", stable: true) { h, c in
            c.push(h.memory.settings.swap.mode.rawValue)
        }
        .property("swapped", "integer", "Guest memory swapped by the host, summed over the VMs (esxtop SWCUR; bytes).") { h, c in
            c.push(h.memoryReclaimed.swapped)
        }
        declareParameters(.swap, on: hostSwap)

        balloonPolicy.property("name", "string", "Its name.", stable: true) { p, c in c.push(p.name) }
    }

    /// One writable property per model parameter of `reclaimer`.
    private func declareParameters(_ reclaimer: Reclaimer, on cls: LuaClass<Host>) {
        for p in ReclaimParameter.all where p.reclaimer == reclaimer {
            let type = p.kind == .flag ? "boolean" : p.kind == .integer ? "integer" : "number"
            let unit: String
            switch p.kind {
            case .flag, .integer, .fraction: unit = ""
            case .percent: unit = " Percent (0–100) or a string such as \"65%\"."
            case .rate: unit = " Bytes per second or a string such as \"64 MB/s\"."
            case .duration: unit = " Seconds or a string such as \"15 s\"."
            }
            cls.property(
                p.name, type, "\(p.doc) Allowed: \(p.rangeText).\(p.whileOff ? " Only while no VM on the host is powered on." : "")\(unit)",
                get: { h, c in
                    let v = p.value(h.memory.settings)
                    switch p.kind {
                    case .flag: c.push(v != 0)
                    case .integer: c.push(Int64(v))
                    default: c.push(v)
                    }
                },
                set: { h, c in
                    let field = p.reclaimer == .host ? "reclaim" : "reclaim.\(p.reclaimer.rawValue)"
                    let ctx = "\(h.description).\(field)"
                    let v = c.value(3)
                    let value: Double
                    switch p.kind {
                    case .flag:
                        guard case .boolean(let b) = v else { throw Quantity.bad(ctx, p.name, v, "true or false") }
                        value = b ? 1 : 0
                    case .integer:
                        guard let n = try LuaNumber.integer(v, ctx, p.name) else { throw Quantity.bad(ctx, p.name, v, "a whole number from \(p.rangeText)") }
                        value = Double(n)
                    case .fraction:
                        guard let n = try LuaNumber.double(v, ctx, p.name) else { throw Quantity.bad(ctx, p.name, v, "a number from \(p.rangeText)") }
                        value = n
                    case .percent: value = try Quantity.percent(v, ctx, p.name)
                    case .rate: value = try Quantity.rate(v, ctx, p.name)
                    case .duration: value = try Quantity.seconds(v, ctx, p.name)
                    }
                    try model { try h.setReclaim(p, value) }
                })
        }
    }

    func balloonPolicyFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "balloon_policy",
            doc: """
                A balloon-target policy written in Lua; assign it to `host.reclaim.balloon.policy`. Every balance period \
                (15 s) and on each state change `target(view)` receives a snapshot: `view.now`, `view.state`, \
                `view.capacity`, `view.free`, `view.min_free`, `view.thresholds` ({ high, clear, soft, hard }: the free \
                memory at which each begins) and `view.vms`, a list of { name, configured, reservation, limit, shares, \
                active, consumed, granted, ballooned, swapped, compressed, max_balloon, tools, target } (bytes). It \
                returns balloon targets by VM name (bytes or size strings); VMs left out get 0. The model checks each \
                (0 to the VM's max_balloon; only powered-on VMs on the host) and stops the run with a clear error otherwise.
                """,
            params: [LuaParam("options", "lab.BalloonPolicyOptions")], returns: [LuaParam("", "lab.BalloonPolicy")]
        ) { [unowned(unsafe) self] call in
            let o = try call.options(1, LabAPI.balloonPolicyOptions, context: "lab.balloon_policy")
            let name = try o.string("name")!
            guard case .function(let fn) = o["target"] else { throw o.bad("target", o["target"], expected: "a function") }
            let p = LuaBalloonPolicy(name: name, state: call.state, ref: call.ref(fn), session: self.session)
            call.push(p, self.balloonPolicy)
            return 1
        }
    }
}
