import HyperModel
import LuaKit

/// VDI from Lua (docs/vdi.md): `lab.desktop_pool{...}` clones desktops from a template
/// and runs their morning (boot, login, steady); `ds.iops` is a datastore's random-I/O
/// capacity; a pool reports its storage, sharing, I/O demand, latency and %RDY.
extension LabAPI {
    static let desktopPoolOptions = LuaRecord(
        "lab.DesktopPoolOptions", doc: "Options of `lab.desktop_pool{...}`.",
        fields: [
            LuaParam("name", "string", "Unique; desktops are named <name>-001, <name>-002…"),
            LuaParam("template", "lab.VM", "A template (`vm:to_template()`): its vCPUs, memory, guest image and disks."),
            LuaParam("count", "integer", "Desktops, 1 to 10000."),
            LuaParam("kind", "\"full\"|\"linked\"|\"instant\"", "Full clones copy the disks; linked clones share a replica, with a delta each; instant clones share the replica and a running parent's memory and are created powered on (default \"linked\").", optional: true),
            LuaParam("hosts", "lab.Host[]", "Hosts the desktops are spread over in turn.", optional: true),
            LuaParam("cluster", "lab.Cluster", "Instead of hosts: every host of the cluster.", optional: true),
            LuaParam("datastore", "lab.Datastore", "Where the desktops' disks (and the replica) go (default the template's).", optional: true),
            LuaParam("tps_scope", "\"vm\"|\"pool\"|\"pod\"|\"global\"", "Horizon's Transparent Page Sharing Scope: the desktops that get a common salt (default \"vm\": none shares with another under salting 2).", optional: true),
            LuaParam("pod", "string", "The Horizon pod the pool belongs to, for tps_scope \"pod\" (default \"pod1\").", optional: true),
            LuaParam("boot_at", "number|string", "When the first desktop starts, in simulated time since the start like lab.now() (\"9 h\" is 9 a.m. when the run starts at midnight); default now.", optional: true),
            LuaParam("stagger", "number|string", "Starts spread evenly over this window (default 0: all at once).", optional: true),
            LuaParam("boot", "lab.DesktopPhaseOptions", "Boot phase (default 50 IOPS at 90 % reads for 60 s, CPU 0.9, 1 GiB touched).", optional: true),
            LuaParam("login", "lab.DesktopPhaseOptions", "Login phase (default 30 IOPS at 50 % reads for 30 s, CPU 0.6, 512 MiB touched).", optional: true),
            LuaParam("steady", "lab.DesktopPhaseOptions", "Steady state, for the rest of the run (default 10 IOPS at 20 % reads, CPU 0.1); no duration.", optional: true),
        ])

    static let desktopPhaseOptions = LuaRecord(
        "lab.DesktopPhaseOptions", doc: "What a desktop does in one phase; fields left out keep the phase's default.",
        fields: [
            LuaParam("iops", "number", "I/Os per second it asks of its datastore.", optional: true),
            LuaParam("read", "number|string", "Per cent of those I/Os that are reads (e.g. 90 or \"90%\").", optional: true),
            LuaParam("cpu", "number", "Duty cycle of each vCPU, 0 to 1.", optional: true),
            LuaParam("memory", "integer|string", "Memory the guest touches when the phase begins.", optional: true),
            LuaParam("duration", "number|string", "Boot and login: how long the phase lasts when the datastore keeps up.", optional: true),
        ])

    func desktopPoolFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "desktop_pool",
            doc: "Provisions a VDI desktop pool from a template and schedules its morning: from boot_at (spread over stagger) each desktop boots, logs in and settles into steady state; boot and login last until their I/O is done, so a saturated datastore stretches them. Everything is checked before anything is cloned.",
            params: [LuaParam("options", "lab.DesktopPoolOptions")], returns: [LuaParam("", "lab.DesktopPool")]
        ) { [unowned(unsafe) self] call in
            let spec = try self.desktopPoolSpec(call)
            let p = try model { try self.world(call).vdi.createPool(spec) }
            call.push(p, self.desktopPool)
            return 1
        }
    }

    private func desktopPoolSpec(_ call: LuaCall) throws -> DesktopPoolSpec {
        let ctx = "lab.desktop_pool"
        let o = try call.options(1, LabAPI.desktopPoolOptions, context: ctx)
        let name = try o.string("name")!
        let who = "\(ctx) \(name)"
        guard case .object(let t, let tt) = o["template"], tt == call.state.typeID(of: self.vm) else {
            throw o.bad("template", o["template"], expected: "a VM (a template made with vm:to_template())")
        }
        let count = Int(try o.integer("count")!)
        guard count >= 1 else { throw LuaError("\(who): count \(count) is not allowed (use 1 to 10000 desktops)") }
        var hosts: [Host] = try (o.array("hosts") ?? []).map { v in
            guard case .object(let h, let ht) = v, ht == call.state.typeID(of: self.host) else { throw o.bad("hosts", v, expected: "a list of Hosts") }
            return h as! Host
        }
        if o.has("cluster") {
            guard hosts.isEmpty else { throw LuaError("\(who): give hosts or cluster, not both") }
            guard case .object(let c, let ct) = o["cluster"], ct == call.state.typeID(of: self.cluster) else {
                throw o.bad("cluster", o["cluster"], expected: "a Cluster")
            }
            hosts = (c as! Cluster).hosts
        }
        let template = t as! VM
        if hosts.isEmpty { hosts = [template.host] }
        var spec = DesktopPoolSpec(name: name, template: template, count: count, hosts: hosts, bootAt: self.world(call).now)
        if let k = try o.string("kind") {
            guard let kind = CloneKind(rawValue: k) else {
                throw o.bad("kind", o["kind"], expected: "a clone kind", hint: "use \"full\", \"linked\" or \"instant\"")
            }
            spec.kind = kind
        }
        if o.has("datastore") {
            guard case .object(let d, let dt) = o["datastore"], dt == call.state.typeID(of: self.datastore) else {
                throw o.bad("datastore", o["datastore"], expected: "a Datastore")
            }
            spec.datastore = (d as! Datastore)
        }
        if let s = try o.string("tps_scope") {
            guard let scope = TPSScope(rawValue: s) else {
                throw o.bad("tps_scope", o["tps_scope"], expected: "a TPS scope", hint: "use \"vm\", \"pool\", \"pod\" or \"global\"")
            }
            spec.tpsScope = scope
        }
        if let pod = try o.string("pod") { spec.pod = pod }
        if o.has("boot_at") { spec.bootAt = .seconds(try Quantity.seconds(o["boot_at"], who, "boot_at")) }
        if o.has("stagger") { spec.stagger = .seconds(try Quantity.seconds(o["stagger"], who, "stagger")) }
        if let x = try o.options("boot", LabAPI.desktopPhaseOptions) { spec.profile.boot = try LabAPI.phase(x, spec.profile.boot, "\(who): boot") }
        if let x = try o.options("login", LabAPI.desktopPhaseOptions) { spec.profile.login = try LabAPI.phase(x, spec.profile.login, "\(who): login") }
        if let x = try o.options("steady", LabAPI.desktopPhaseOptions) {
            if x.has("duration") { throw LuaError("\(who): steady.duration is not allowed (the steady phase lasts for the rest of the run)") }
            spec.profile.steady = try LabAPI.phase(x, spec.profile.steady, "\(who): steady")
        }
        return spec
    }

    private static func phase(_ o: LuaOptions, _ base: DesktopPhase, _ ctx: String) throws -> DesktopPhase {
        var p = base
        if let n = try o.number("iops") { p.iops = n }
        if o.has("read") { p.readPercent = try Quantity.percent(o["read"], ctx, "read") }
        if let n = try o.number("cpu") { p.cpuLoad = n }
        if o.has("memory") { p.memory = try Quantity.bytes(o["memory"], ctx, "memory", allowZero: true) }
        if o.has("duration") { p.duration = .seconds(try Quantity.seconds(o["duration"], ctx, "duration")) }
        return p
    }

    func defineVDI() {
        desktopPool.property("name", "string", "Its name.", stable: true) { p, c in c.push(p.name) }
            .property("kind", "\"full\"|\"linked\"|\"instant\"", "How its desktops were cloned.", stable: true) { p, c in c.push(p.kind.rawValue) }
            .property("tps_scope", "\"vm\"|\"pool\"|\"pod\"|\"global\"", "Its Transparent Page Sharing Scope.", stable: true) { p, c in c.push(p.tpsScope.rawValue) }
            .property("count", "integer", "Desktops in the pool.", stable: true) { p, c in c.push(p.desktops.count) }
            .property("desktops", "lab.VM[]", "Its desktops, in start order.") { [unowned(unsafe) self] p, c in c.pushArray(p.desktops) { c.push($0, self.vm) } }
            .property("replica", "lab.VM?", "The read-only replica of a linked or instant pool (a template), nil for full clones.") { [unowned(unsafe) self] p, c in
                if let r = p.replica { c.push(r, self.vm) } else { c.pushNil() }
            }
            .property("parents", "lab.VM[]", "An instant pool's running parents, one per host.") { [unowned(unsafe) self] p, c in c.pushArray(p.parents) { c.push($0, self.vm) } }
            .property("datastore", "lab.Datastore", "Where its disks are.", stable: true) { [unowned(unsafe) self] p, c in c.push(p.datastore, self.datastore) }
            .property("storage", "integer", "Bytes its disks take: replica, parents' and desktops' disks and deltas.") { p, c in c.push(p.storage) }
            .property("full_clone_storage", "integer", "Bytes full clones of the template would take.", stable: true) { p, c in c.push(p.fullCloneBytes) }
            .property("saving", "number", "Per cent of storage saved against full clones.") { p, c in c.push(p.saving) }
            .property("waiting", "integer", "Desktops not started yet.") { p, c in c.push(p.count(.waiting)) }
            .property("booting", "integer", "Desktops booting now.") { p, c in c.push(p.count(.booting)) }
            .property("logging_in", "integer", "Desktops whose user is logging in now.") { p, c in c.push(p.count(.loggingIn)) }
            .property("steady", "integer", "Desktops in steady state.") { p, c in c.push(p.count(.steady)) }
            .property("failed", "integer", "Desktops that could not start (admission control), see lab.events{ kind = \"vdi\" }.") { p, c in c.push(p.count(.failed)) }
            .property("iops", "number", "I/Os per second asked of its datastore (by every pool on it) in the last second.") { [unowned(unsafe) self] p, c in
                c.push(self.world(c).vdi.io(of: p.datastore).demandIOPS)
            }
            .property("latency", "number", "Its datastore's I/O latency in the last second, ms.") { [unowned(unsafe) self] p, c in
                c.push(self.world(c).vdi.io(of: p.datastore).latencyMs)
            }
            .property("peak_iops", "number", "The most IOPS asked of its datastore in any second so far.") { p, c in c.push(p.peakIOPS) }
            .property("peak_latency", "number", "Its datastore's worst latency in any second so far, ms.") { p, c in c.push(p.peakLatencyMs) }
            .property("ready", "number", "Mean %RDY of its powered-on desktops in the last sample interval.") { p, c in c.push(p.readyNow) }
            .property("max_ready", "number", "Largest %RDY of one of its desktops in the last sample interval.") { p, c in c.push(p.maxReadyNow) }
            .property("peak_ready", "number", "The highest mean %RDY of any sample interval so far.") { p, c in c.push(p.peakReady) }
            .property("steady_at", "number?", "When its last desktop reached steady state (seconds), nil before.") { p, c in
                if let t = p.allSteadyAt { c.push(t.seconds) } else { c.pushNil() }
            }
            .property("consumed", "integer", "Machine memory its powered-on desktops consume.") { p, c in c.push(p.consumed) }
            .property("shared_across", "integer", "Guest memory of its desktops in pages shared with other VMs (OS pages TPS shares across VMs, or an instant clone's pages forked from its parent); 0 when salting keeps each desktop to itself.") { p, c in
                c.push(p.sharedAcross)
            }
            .property("history", "{ time: number, iops: number, delivered: number, latency: number, booting: integer, logging_in: integer, steady: integer, ready: number, max_ready: number }[]",
                      "One entry per sample interval: datastore IOPS asked and delivered, latency (ms), desktops per phase, mean and largest %RDY.") { p, c in
                c.pushArray(p.history) { s in
                    c.pushTable { t in
                        t.set("time", s.time.seconds)
                        t.set("iops", s.demandIOPS)
                        t.set("delivered", s.deliveredIOPS)
                        t.set("latency", s.latencyMs)
                        t.set("booting", Int64(s.booting))
                        t.set("logging_in", Int64(s.loggingIn))
                        t.set("steady", Int64(s.steady))
                        t.set("ready", s.ready)
                        t.set("max_ready", s.maxReady)
                    }
                }
            }
            .method("state", doc: "Where desktop `i` (1-based, start order) is: \"waiting\", \"booting\", \"logging-in\", \"steady\" or \"failed\".",
                    params: [LuaParam("i", "integer")], returns: [LuaParam("", "string")], mutates: false) { p, call in
                let i = try call.integer(2, "\(p.description):state", range: 1...Int64(p.desktops.count))
                call.push(p.state(of: Int(i) - 1).name)
                return 1
            }

        datastore.property("iops", "number", "Random-I/O capacity desktops share, IOPS (default by kind: ssd 40000, san 5000, nfs 2000, hdd 150); writable.",
                           get: { [unowned(unsafe) self] d, c in c.push(self.world(c).vdi.io(of: d).capacityIOPS) },
                           set: { [unowned(unsafe) self] d, c in
                               let v = c.value(3)
                               guard let n = try LuaNumber.double(v, "\(d.description).iops", "iops") else {
                                   throw LuaError("\(d.description).iops: \(c.describe(v)) is not a number of I/Os per second")
                               }
                               try model { try self.world(c).vdi.setIOPS(n, of: d) }
                           })
    }
}
