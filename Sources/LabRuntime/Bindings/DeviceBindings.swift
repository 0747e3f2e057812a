import HyperModel
import LuaKit

/// Templates and clones, I/O devices and network workloads.
extension LabAPI {
    static let deviceOptions = LuaRecord(
        "lab.DeviceOptions", doc: "A virtual device of `create_vm{ devices = { ... } }`.",
        fields: [
            LuaParam("kind", "\"nic\"|\"disk-controller\"", "What it is."),
            LuaParam("adapter", "\"e1000\"|\"vmxnet3\"|\"lsilogic\"|\"pvscsi\"|\"passthrough\"",
                     "Emulated (e1000, lsilogic), paravirtual (vmxnet3, pvscsi) or pass-through (DirectPath I/O)."),
        ])

    static let cloneOptions = LuaRecord(
        "lab.CloneOptions", doc: "Options of `vm:clone{...}`.",
        fields: [
            LuaParam("name", "string", "The new VM's name."),
            LuaParam("linked", "boolean", "Share the template's disks read-only with an empty delta (default false: copy them).", optional: true),
            LuaParam("host", "lab.Host", "Where to register it (default: the template's host).", optional: true),
            LuaParam("datastore", "lab.Datastore", "Where a full clone's files go (default: the template's).", optional: true),
        ])

    static let networkWorkloadOptions = LuaRecord(
        "lab.NetworkWorkloadOptions", doc: "Options of `lab.workload.network{...}`.",
        fields: [LuaParam("rate", "number|string", "Traffic asked for, e.g. \"5 Gb/s\" (a number is bits per second).")])

    func defineDevices() {
        vm.property("devices", "{ kind: string, adapter: string, family: string }[]", "Its NICs and disk controllers.") { v, c in
            c.pushArray(v.devices) { d in
                c.pushTable { t in
                    t.set("kind", d.kind.rawValue)
                    t.set("adapter", d.adapter.rawValue)
                    t.set("family", d.adapter.family)
                }
            }
        }
        .property("template", "boolean", "A template: it cannot be powered on, only cloned.") { v, c in c.push(v.isTemplate) }
        .method("to_template", doc: "Converts the powered-off VM into a template.") { v, _ in
            try model { try v.toTemplate() }
            return 0
        }
        .method("clone", doc: "Deploys a new VM with this one's settings: a full clone copies the disks (taking time at the datastore's bandwidth); a linked clone, from a template, shares them read-only and writes to its own delta.",
                params: [LuaParam("options", "lab.CloneOptions")], returns: [LuaParam("", "lab.VM")]) { [unowned(unsafe) self] v, call in
            let o = try call.options(2, LabAPI.cloneOptions, context: "\(v.description):clone")
            let name = try o.string("name")!
            let linked = try o.boolean("linked") ?? false
            var host: Host?
            switch o["host"] {
            case .none, .nil: break
            case .object(let h, let t) where t == call.state.typeID(of: self.host): host = (h as! Host)
            case let x: throw o.bad("host", x, expected: "a Host")
            }
            var ds: Datastore?
            switch o["datastore"] {
            case .none, .nil: break
            case .object(let d, let t) where t == call.state.typeID(of: self.datastore): ds = (d as! Datastore)
            case let x: throw o.bad("datastore", x, expected: "a Datastore")
            }
            let target = host
            let store = ds
            let copy = try model { try v.clone(name: name, linked: linked, host: target, datastore: store) }
            call.push(copy, self.vm)
            return 1
        }

        networkWorkload.property("kind", "\"network\"", "The workload kind.", stable: true) { w, c in c.push(w.kind) }
            .property("rate", "number", "Bits per second asked for.", stable: true) { w, c in c.push(w.rate) }
            .property("achieved", "number", "Bits per second it gets through its NIC.") { w, c in c.push(w.achieved) }
            .property("cpu_mhz", "number", "CPU the traffic takes (guest driver and hypervisor).") { w, c in c.push(w.cpuMHz) }
            .property("latency_us", "number", "Latency the adapter adds per I/O, µs.") { w, c in c.push(w.latencyMicros) }
            .property("adapter", "string?", "The NIC's adapter.") { w, c in if let a = w.adapter { c.push(a.rawValue) } else { c.pushNil() } }
    }

    /// `create_vm{ devices = { { kind, adapter }, ... } }`.
    func deviceSpecs(_ o: LuaOptions, _ call: LuaCall) throws -> [DeviceSpec] {
        guard let items = try o.array("devices") else { return [] }
        return try items.enumerated().map { i, item in
            guard case .table(let t) = item else { throw o.bad("devices", item, expected: "a list of device tables such as { kind = \"nic\", adapter = \"vmxnet3\" }") }
            let d = try call.options(t, LabAPI.deviceOptions, context: "\(o.context): devices[\(i + 1)]")
            let k = try d.string("kind")!
            guard let kind = DeviceKind(rawValue: k) else {
                throw d.bad("kind", d["kind"], expected: "a device kind", hint: "use \"nic\" or \"disk-controller\"")
            }
            let a = try d.string("adapter")!
            guard let adapter = Adapter(rawValue: a) else {
                throw d.bad("adapter", d["adapter"], expected: "an adapter", hint: "use " + Adapter.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            return DeviceSpec(kind: kind, adapter: adapter)
        }
    }

    func networkWorkloadFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "network",
            doc: "Network traffic through the VM's first NIC: what it gets and the CPU it takes follow the adapter (emulated, paravirtual, pass-through); the CPU work runs in the guest.",
            params: [LuaParam("options", "lab.NetworkWorkloadOptions")], returns: [LuaParam("", "lab.NetworkWorkload")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.workload.network"
            let o = try call.options(1, LabAPI.networkWorkloadOptions, context: ctx)
            let rate = try Quantity.bitRate(o["rate"], ctx, "rate")
            let w = try model { try NetworkWorkload(rate: rate) }
            call.push(w, self.networkWorkload)
            return 1
        }
    }
}

extension Quantity {
    /// Bits per second: a number, or "5 Gb/s", "100 Mb/s", "1 kb/s" (decimal, as network speeds are).
    static func bitRate(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        switch v {
        case .integer, .number:
            guard let d = try LuaNumber.double(v, context, field), d > 0 else { throw bad(context, field, v, "a rate of more than 0 bits/s") }
            return d
        case .string(let s):
            let parts = s.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            let scale: [String: Double] = ["b/s": 1, "kb/s": 1e3, "Mb/s": 1e6, "Gb/s": 1e9, "bps": 1, "Mbps": 1e6, "Gbps": 1e9]
            guard parts.count == 2, let n = Double(parts[0]), n > 0, let k = scale[String(parts[1])] else {
                throw bad(context, field, v, "a network rate (use e.g. \"5 Gb/s\", \"100 Mb/s\" or a number of bits per second)")
            }
            return try LuaNumber.check(n * k, context, field, shown: v.describe())
        default: throw bad(context, field, v, "a network rate (use e.g. \"5 Gb/s\")")
        }
    }
}
