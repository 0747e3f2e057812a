import HyperModel
import LuaKit

/// Firecracker-like microVMs from Lua (lua-api.md "Containers and microVMs"):
/// `kvmhost:create_microvm{...}` returns the VM it is to the rest of the model;
/// `vm.microvm` gives its start timeline; `h.microvm_rate` is the host's creation rate.
extension LabAPI {
    static let microVMOptions = LuaRecord(
        "lab.MicroVMOptions", doc: "Options of `host:create_microvm{...}`; the timings default to Firecracker's specification.",
        fields: [
            LuaParam("name", "string", "Unique among all VMs."),
            LuaParam("vcpus", "integer", "1 to 32 (default 1).", optional: true),
            LuaParam("memory", "integer|string", "Guest memory (default \"128 MiB\").", optional: true),
            LuaParam("guest", "string", "Guest image name (default \"linux\"); identical images share pages where KSM allows.", optional: true),
            LuaParam("boot_time", "number|string", "InstanceStart → guest `/sbin/init` (default \"125 ms\").", optional: true),
            LuaParam("vmm_start", "number|string", "VMM process start → API socket, wall clock (default \"12 ms\").", optional: true),
            LuaParam("vmm_cpu", "number|string", "Host CPU time of the VMM start, at most vmm_start (default \"8 ms\").", optional: true),
            LuaParam("overhead", "integer|string", "The VMM's memory per microVM (default \"5 MiB\").", optional: true),
            LuaParam("boot_memory", "integer|string", "Memory the guest touches while it boots (default \"32 MiB\").", optional: true),
        ])

    func defineMicroVMs() {
        host.method(
            "create_microvm",
            doc: "Creates a Firecracker-like microVM on a KVM-profile host and returns its VM: queued in the host's creation queue (microvm_rate per core per second), its VMM starts, InstanceStart powers it on and its guest reaches /sbin/init boot_time later. Scheduling, memory reclamation and metrics treat it as any VM. Every option is checked before anything changes.",
            params: [LuaParam("options", "lab.MicroVMOptions")], returns: [LuaParam("", "lab.VM")]
        ) { [unowned(unsafe) self] h, call in
            let ctx = "\(h.description):create_microvm"
            let o = try call.options(2, LabAPI.microVMOptions, context: ctx)
            let name = try o.string("name")!
            var spec = VMSpec(name: name, memory: o.has("memory") ? try Quantity.bytes(o["memory"], ctx, "memory") : 128 * Units.MiB)
            if o.has("vcpus") { spec.vcpus = try Quantity.positiveInteger(o["vcpus"], ctx, "vcpus", range: 1...768) }
            if let g = try o.string("guest") { spec.guest = g }
            var p = MicroVMProfile()
            if o.has("boot_time") { p.boot = .seconds(try Quantity.seconds(o["boot_time"], ctx, "boot_time", allowZero: false)) }
            if o.has("vmm_start") { p.vmmStart = .seconds(try Quantity.seconds(o["vmm_start"], ctx, "vmm_start")) }
            if o.has("vmm_cpu") { p.vmmCPU = .seconds(try Quantity.seconds(o["vmm_cpu"], ctx, "vmm_cpu")) }
            if o.has("overhead") { p.overhead = try Quantity.bytes(o["overhead"], ctx, "overhead", allowZero: true) }
            if o.has("boot_memory") { p.bootMemory = try Quantity.bytes(o["boot_memory"], ctx, "boot_memory", allowZero: true) }
            let (s, profile) = (spec, p)
            let v = try model { try h.datacenter.microVMs.create(on: h, spec: s, profile: profile) }
            call.push(v, self.vm)
            return 1
        }
        .property("microvm_rate", "number", "microVMs this host creates per core per second (default 5, Firecracker's figure: a 36-core host creates 180/s); writable on a KVM-profile host.",
                  get: { h, c in c.push(h.datacenter.microVMs.ratePerCore(of: h)) },
                  set: { h, c in
                      let v = c.value(3)
                      guard let r = try LuaNumber.double(v, "\(h.description).microvm_rate", "microvm_rate") else {
                          throw LuaError("\(h.description).microvm_rate: \(c.describe(v)) is not a number of microVMs per core per second")
                      }
                      try model { try h.datacenter.microVMs.setRatePerCore(r, of: h) }
                  })

        vm.property("microvm", "lab.MicroVM?", "Its start timeline when it is a microVM (from `host:create_microvm`), nil for other VMs.") {
            [unowned(unsafe) self] v, c in
            if let m = v.host.datacenter.microVMs.microVM(of: v) { c.push(m, self.microVM) } else { c.pushNil() }
        }

        microVM.property("state", "\"queued\"|\"starting\"|\"booting\"|\"running\"|\"failed\"", "Where its start is: waiting for the host's creation queue, VMM starting, guest booting, `/sbin/init` reached, or failed (see `failure`).") { m, c in
            c.push(m.state.rawValue)
        }
        .property("vm", "lab.VM", "The VM it is to the rest of the model.", stable: true) { [unowned(unsafe) self] m, c in c.push(m.vm, self.vm) }
        .property("created", "number", "When `create_microvm` was called (seconds since the start).", stable: true) { m, c in c.push(m.created.seconds) }
        .property("vmm_started", "number", "When the host's creation queue let its VMM start (seconds).", stable: true) { m, c in c.push(m.vmmStarted.seconds) }
        .property("instance_start", "number", "When InstanceStart powered it on (seconds).", stable: true) { m, c in c.push(m.instanceStart.seconds) }
        .property("init_time", "number", "When its guest reaches `/sbin/init` (seconds).", stable: true) { m, c in c.push(m.initReached.seconds) }
        .property("boot_time", "number", "Seconds from InstanceStart to `/sbin/init`.", stable: true) { m, c in c.push((m.initReached - m.instanceStart).seconds) }
        .property("start_latency", "number", "Seconds from the request to `/sbin/init` (queue, VMM start, boot).", stable: true) { m, c in c.push(m.startLatency.seconds) }
        .property("overhead", "integer", "Bytes the VMM takes beside guest memory (the VM's memory.overhead while it runs).", stable: true) { m, c in c.push(m.profile.overhead) }
        .property("vmm_cpu", "number", "Host CPU seconds of its VMM start.", stable: true) { m, c in c.push(m.profile.vmmCPU.seconds) }
        .property("failure", "string?", "Why InstanceStart failed (admission control), nil otherwise.") { m, c in
            if let f = m.failure { c.push(f) } else { c.pushNil() }
        }
    }
}
