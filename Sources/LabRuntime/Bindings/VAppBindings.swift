import HyperModel
import LuaKit

/// vApps from Lua (behaviour 47): `pool:create_vapp{...}`, `app:add(vm, {...})`,
/// `app:power_on()`, `app:power_off()`, `app.state`, `app.order`; and `pool:destroy()`.
/// A vApp is a ResourcePool (as vSphere's VirtualApp extends ResourcePool): every pool
/// property works on it, and the vApp methods refuse a plain pool.
extension LabAPI {
    static let vappOptions = LuaRecord(
        "lab.VAppOptions", doc: "Options of `pool:create_vapp{...}`: a pool's settings and the default delay of its members.",
        fields: [
            LuaParam("name", "string", "Unique among the pool's children."),
            LuaParam("cpu", "lab.PoolCPUOptions", "CPU shares, reservation, limit, expandable (as create_pool).", optional: true),
            LuaParam("mem", "lab.PoolMemoryOptions", "Memory shares, reservation, limit, expandable (as create_pool).", optional: true),
            LuaParam("delay", "number|string", "Default start and stop delay of its members (default \"120 s\"; 0 s to 1 h).", optional: true),
        ])

    static let vappMemberOptions = LuaRecord(
        "lab.VAppMemberOptions", doc: "A member's place in a vApp's start order (`app:add(vm, {...})`).",
        fields: [
            LuaParam("group", "integer", "Start group, 1 to 100: group 1 starts first, members of a group together; stop runs in reverse (default 1).", optional: true),
            LuaParam("start", "\"tools\"|\"none\"|number|string",
                     "\"tools\": power on, and the next group starts once VMware Tools run in its guest (at the latest after start_delay); a duration such as \"30 s\": power on, and the next group starts after it; \"none\": not powered on (default: power on, then the vApp's delay).", optional: true),
            LuaParam("start_delay", "number|string", "With start = \"tools\": the longest wait (default the vApp's delay).", optional: true),
            LuaParam("stop", "\"power-off\"|\"guest-shutdown\"|\"suspend\"|\"none\"", "Stop action (default \"power-off\"); \"guest-shutdown\" needs VMware Tools.", optional: true),
            LuaParam("stop_delay", "number|string", "With \"guest-shutdown\": how long the next group waits at most for the guest to be off (default the vApp's delay).", optional: true),
        ])

    func defineVApps() {
        pool.property("vapp", "boolean", "Whether it is a vApp (made by create_vapp).", stable: true) { p, c in c.push(p.vapp != nil) }
            .property("state", "\"stopped\"|\"starting\"|\"started\"|\"stopping\"|nil", "A vApp's state (nil for a plain pool).") { p, c in
                if let a = p.vapp { c.push(a.state.rawValue) } else { c.pushNil() }
            }
            .property("order", "{ vm: lab.VM, group: integer, start: string, start_delay: number, stop: string, stop_delay: number }[]",
                      "A vApp's members in start order with their settings (start: \"power-on\", \"tools\" or \"none\"; delays in seconds); empty for a plain pool.") { [unowned(unsafe) self] p, c in
                let list = p.vapp?.order ?? []
                c.pushArray(list) { e in
                    c.pushTable { t in
                        t.set("vm") { c.push(e.vm, self.vm) }
                        t.set("group", Int64(e.member.group))
                        t.set("start", !e.member.powerOn ? "none" : e.member.waitForTools ? "tools" : "power-on")
                        t.set("start_delay", e.member.startDelay)
                        t.set("stop", e.member.stopAction.rawValue)
                        t.set("stop_delay", e.member.stopDelay)
                    }
                }
            }
            .method(
                "create_vapp", doc: "Creates a child vApp: a resource pool (settings checked and admitted as create_pool) whose VMs start in groups and stop in reverse order.",
                params: [LuaParam("options", "lab.VAppOptions")], returns: [LuaParam("", "lab.ResourcePool")]
            ) { [unowned(unsafe) self] p, call in
                let ctx = "\(p.description):create_vapp"
                let o = try call.options(2, LabAPI.vappOptions, context: ctx)
                let name = try o.string("name")!
                var cpu = PoolCPUSettings(), mem = PoolMemorySettings()
                if let x = try o.options("cpu", LabAPI.poolCPUOptions) { cpu = try LabAPI.poolCPU(x, cpu) }
                if let x = try o.options("mem", LabAPI.poolMemoryOptions) { mem = try LabAPI.poolMemory(x, mem) }
                let delay = o.has("delay") ? try Quantity.seconds(o["delay"], "\(ctx) \(name)", "delay") : VApp.defaultDelay
                let (c, m) = (cpu, mem)
                let app = try model { try p.createVApp(name: name, cpu: c, mem: m, delay: delay) }
                call.push(app, self.pool)
                return 1
            }
            .method(
                "add", doc: "Puts a VM in a vApp's start order (moving it into the vApp first, with admission control, when it is elsewhere in the tree), or changes its settings. Every VM in a vApp is a member; one that joins without settings is in group 1 with the defaults.",
                params: [LuaParam("vm", "lab.VM"), LuaParam("options", "lab.VAppMemberOptions", "", optional: true)]
            ) { [unowned(unsafe) self] p, call in
                let ctx = "\(p.description):add"
                let app = try LabAPI.vapp(p, ctx)
                let v = try call.object(2, self.vm, "\(ctx): vm")
                let member = try call.value(3).isNil ? VAppMember(delay: app.delay)
                    : LabAPI.vappMember(try call.options(3, LabAPI.vappMemberOptions, context: "\(ctx) \(v.name)"), app, v)
                try model { try app.add(v, member) }
                return 0
            }
            .method("power_on", doc: "Starts a stopped vApp: group 1 now (a refusal raises, with nothing left started), each later group when the one before is ready; events vapp.start per member.") { p, _ in
                let app = try LabAPI.vapp(p, "\(p.description):power_on")
                try model { try app.powerOn() }
                return 0
            }
            .method("power_off", doc: "Stops a started (or starting) vApp in reverse start order, each member by its stop action; events vapp.stop per member.") { p, _ in
                let app = try LabAPI.vapp(p, "\(p.description):power_off")
                try model { try app.powerOff() }
                return 0
            }
            .method("destroy", doc: "Removes the pool (vCenter's \"Remove resource pool\"): its VMs and child pools move to its parent with their settings. The root cannot be removed; a vApp must be stopped.") { p, _ in
                try model { try p.destroy() }
                return 0
            }

        vm.property("tools_ready", "boolean", "VMware Tools run in the guest: it is on, has Tools, and has booted (`boot` seconds after power-on; at once after a resume).") { v, c in
            c.push(v.toolsReady)
        }
        .property("tools_ready_at", "number?", "When Tools started (or will) after the last power-on, in seconds since the start; nil while off or suspended, or without Tools.") { v, c in
            if let t = v.toolsReadyTime { c.push(t.seconds) } else { c.pushNil() }
        }
    }

    static func vapp(_ p: ResourcePool, _ ctx: String) throws -> VApp {
        try model { try p.requireUsable(ctx) }
        guard let a = p.vapp else {
            throw LuaError("\(ctx): \(p.description) is not a vApp (make one with pool:create_vapp{...})")
        }
        return a
    }

    static func vappMember(_ o: LuaOptions, _ app: VApp, _ v: VM) throws -> VAppMember {
        var m = VAppMember(delay: app.delay)
        if o.has("group") { m.group = try Quantity.positiveInteger(o["group"], o.context, "group", range: 1...100) }
        var delayGiven = false
        switch o["start"] {
        case .none, .nil: break
        case .string("tools"): m.waitForTools = true
        case .string("none"): m.powerOn = false
        case .string("power-on"): break
        case let x:
            guard let s = try? Quantity.seconds(x, o.context, "start") else {
                throw o.bad("start", x, expected: "a start action", hint: "use \"tools\", \"none\", or a delay such as \"30 s\"")
            }
            guard s >= 0, s <= 3600 else {
                throw LuaError("\(o.context): start \(Units.trim(s)) s is not allowed (use \"tools\", \"none\", or a delay of 0 s to 1 h)")
            }
            m.startDelay = s
            delayGiven = true
        }
        if o.has("start_delay") {
            if delayGiven { throw LuaError("\(o.context): start gives a delay already; give start_delay only with start = \"tools\"") }
            if !m.powerOn { throw LuaError("\(o.context): start_delay means nothing with start = \"none\" (the VM is not powered on)") }
            m.startDelay = try Quantity.seconds(o["start_delay"], o.context, "start_delay")
        }
        if let s = try o.string("stop") {
            guard let a = VAppMember.StopAction(rawValue: s) else {
                throw o.bad("stop", o["stop"], expected: "a stop action", hint: "use \"power-off\", \"guest-shutdown\", \"suspend\" or \"none\"")
            }
            m.stopAction = a
        }
        if o.has("stop_delay") {
            guard m.stopAction == .guestShutdown else {
                throw LuaError("\(o.context): stop_delay is the longest wait for a guest shutdown; give it with stop = \"guest-shutdown\" (other stop actions are immediate)")
            }
            m.stopDelay = try Quantity.seconds(o["stop_delay"], o.context, "stop_delay")
        }
        return m
    }
}
