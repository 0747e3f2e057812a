import HyperModel
import LuaKit

/// EVC from Lua (behaviour 59): hosts' CPU generations, `c:enable_evc(baseline)`,
/// `c:disable_evc()`, `c.evc`, `c:add_host(h)`, a VM's feature set and the vMotion CPU
/// compatibility check.
extension LabAPI {
    func defineEVC() {
        host.property("cpu_generation", "string", "Its CPU's generation, as EVC modes are named (e.g. \"haswell\", \"zen2\").", stable: true) { h, c in
            c.push(h.cpuGeneration.name)
        }
        .property("cpu_features", "string[]", "The user-level CPU features its generation has (the catalogue's simplification: each generation adds to the one before).", stable: true) { h, c in
            c.pushArray(h.cpuGeneration.features) { c.push($0) }
        }
        cluster.property("evc", "string?", "The EVC baseline every host presents, nil when EVC is off.") { x, c in
            if let b = x.evc { c.push(b.name) } else { c.pushNil() }
        }
        .method("enable_evc", doc: "Turns EVC on with a baseline (or changes it): refused, naming them, if a host's CPU lacks a baseline feature, or if a running or suspended VM uses a feature above it. VMs powered on from then on get the baseline's features.",
                params: [LuaParam("baseline", "string", "An EVC mode: Intel \"merom\" … \"sapphire-rapids\", AMD \"opteron-g1\" … \"zen4\".")]) { x, call in
            let name = try call.string(2, "\(x.description):enable_evc: baseline")
            try model { try x.enableEVC(try CPUGeneration.parse(name, "\(x.description):enable_evc", "baseline")) }
            return 0
        }
        .method("disable_evc", doc: "Turns EVC off: VMs powered on from then on get their host's CPU features; running VMs keep theirs.") { x, _ in
            try model { try x.disableEVC() }
            return 0
        }
        .method("add_host", doc: "Moves a host into the cluster (its VMs join the root pool): refused if it is in another cluster, has pools of its own, is failed or being evacuated, or its CPU lacks a feature of the cluster's EVC baseline.",
                params: [LuaParam("host", "lab.Host")]) { [unowned(unsafe) self] x, call in
            let h = try call.object(2, self.host, "\(x.description):add_host: host")
            try model { try x.addHost(h) }
            return 0
        }
        vm.property("cpu_features", "string?", "The CPU feature set its guest booted with (the cluster's EVC baseline, else its host's generation), kept until it powers off; nil while it is off.") { v, c in
            if let f = v.cpuFeatures, v.state != .off { c.push(f.name) } else { c.pushNil() }
        }
        .method("cpu_compatible", doc: "vMotion's CPU compatibility check: true when the running guest could move to the host, else false and why.",
                params: [LuaParam("host", "lab.Host")], returns: [LuaParam("", "boolean"), LuaParam("", "string?")]) { [unowned(unsafe) self] v, call in
            let h = try call.object(2, self.host, "\(v.description):cpu_compatible: host")
            if let why = v.cpuRefusal(on: h) {
                call.push(false)
                call.push(why)
                return 2
            }
            call.push(true)
            return 1
        }
    }
}
