import HyperModel
import LuaKit

/// Virtual disks, disk workloads, out-of-space questions and snapshots.
extension LabAPI {
    static let diskOptions = LuaRecord(
        "lab.DiskOptions", doc: "A virtual disk of `create_vm{ disks = { ... } }`.",
        fields: [
            LuaParam("size", "integer|string", "Provisioned size, e.g. \"40 GiB\"."),
            LuaParam("provisioning", "\"thin\"|\"thick-lazy\"|\"thick-eager\"", "How space is allocated and zeroed (default \"thick-lazy\").", optional: true),
            LuaParam("datastore", "lab.Datastore", "Where its files go (default: the host's first datastore, else its local disk).", optional: true),
        ])

    static let diskWorkloadOptions = LuaRecord(
        "lab.DiskWorkloadOptions", doc: "Options of `lab.workload.disk{...}`.",
        fields: [
            LuaParam("write", "integer|string", "Bytes to write, e.g. \"10 GiB\"."),
            LuaParam("rate", "number|string", "Most bytes per second (default \"200 MB/s\"); the datastore's bandwidth is shared.", optional: true),
            LuaParam("rewrite", "boolean", "Rewrite data already on the disk, cycling over it, instead of writing new blocks (default false).", optional: true),
            LuaParam("disk", "integer", "Which of the VM's disks, from 1 (default 1).", optional: true),
        ])

    func defineStorage() {
        disk.property("name", "string", "The descriptor's name without .vmdk, e.g. \"web01\" or \"web01_1\".", stable: true) { d, c in c.push(d.name) }
            .property("size", "integer", "Provisioned size in bytes.", stable: true) { d, c in c.push(d.size) }
            .property("provisioning", "\"thin\"|\"thick-lazy\"|\"thick-eager\"", "How its space is allocated and zeroed.") { d, c in
                c.push(d.provisioning.rawValue)
            }
            .property("datastore", "lab.Datastore", "Where its files are.", stable: true) { [unowned(unsafe) self] d, c in c.push(d.datastore, self.datastore) }
            .property("used", "integer", "Bytes its files take on the datastore (extent and deltas).") { d, c in c.push(d.allocated) }
            .property("provisioned", "integer", "Bytes its files may grow to: size × (1 + snapshots).") { d, c in c.push(d.provisioned) }
            .property("written", "integer", "Bytes of data the guest has written to it.") { d, c in c.push(d.written) }
            .property("ready", "boolean", "False while an eager-zeroed disk is still being zeroed.") { d, c in c.push(d.ready) }
            .property("deltas", "integer[]", "Bytes each snapshot delta takes, oldest first.") { d, c in c.pushArray(d.deltaAllocated) { c.push($0) } }
            .method("inflate", doc: "Inflates a thin disk to thick eager-zeroed (VM off, no snapshots): the rest is allocated now and zeroed.") { d, _ in
                try model { try d.inflate() }
                return 0
            }

        vm.property("disks", "lab.Disk[]", "Its virtual disks.") { [unowned(unsafe) self] v, c in c.pushArray(v.disks) { c.push($0, self.disk) } }
            .property("question", "string?", "The question a paused VM asks (out of space), nil when none.") { v, c in
                if let q = v.question { c.push(q) } else { c.pushNil() }
            }
            .property("snapshots", "string[]", "Names of its snapshots, oldest first.") { v, c in c.pushArray(v.snapshots) { c.push($0.name) } }
            .property("storage", "{ provisioned: integer, not_shared: integer, used: integer }",
                      "vSphere's storage summary: what its files may grow to, what only it uses, what they take now.") { v, c in
                let s = v.storage
                c.pushTable { t in
                    t.set("provisioned", s.provisioned)
                    t.set("not_shared", s.notShared)
                    t.set("used", s.used)
                }
            }
            .method("answer", doc: "Answers a paused VM's question: \"retry\" resumes it if there is space again, \"cancel\" powers it off.",
                    params: [LuaParam("choice", "\"retry\"|\"cancel\"")]) { v, call in
                let choice = try call.string(2, "choice")
                try model { try v.answer(choice) }
                return 0
            }
            .method("snapshot", doc: "Takes a snapshot: every disk becomes read-only and new writes go to a delta.",
                    params: [LuaParam("name", "string")]) { v, call in
                let name = try call.string(2, "name")
                try model { try v.snapshot(name) }
                return 0
            }
            .method("revert", doc: "Goes back to a snapshot (the VM must be off): the deltas written since, and later snapshots, are discarded.",
                    params: [LuaParam("name", "string")]) { v, call in
                let name = try call.string(2, "name")
                try model { try v.revert(name) }
                return 0
            }
            .method("delete_snapshot", doc: "Deletes a snapshot: its delta is consolidated into its parent.",
                    params: [LuaParam("name", "string")]) { v, call in
                let name = try call.string(2, "name")
                try model { try v.deleteSnapshot(name) }
                return 0
            }

        diskWorkload.property("kind", "\"disk\"", "The workload kind.", stable: true) { w, c in c.push(w.kind) }
            .property("write", "integer", "Bytes it writes.", stable: true) { w, c in c.push(w.write) }
            .property("written", "integer", "Bytes written so far.") { w, c in c.push(w.written) }
            .property("rewrite", "boolean", "Whether it rewrites existing data.", stable: true) { w, c in c.push(w.rewrite) }
            .property("running", "boolean", "Still writing.") { w, c in c.push(w.isWriting) }
            .property("latency_ms", "number", "Write latency now: the datastore's, the controller's and a type 2 host's.") { w, c in c.push(w.latencyMs) }
            .property("cpu_mhz", "number", "CPU its disk controller takes (0 without a declared controller).") { w, c in c.push(w.cpuMHz) }
            .property("controller", "string?", "The VM's disk controller adapter, if it declares one.") { w, c in
                if let a = w.controller { c.push(a.rawValue) } else { c.pushNil() }
            }
            .property("disk_full", "boolean", "The disk filled up and the guest stopped writing new data.") { w, c in c.push(w.diskFull) }
    }

    /// `create_vm{ disks = { { size, provisioning, datastore }, ... } }`.
    func diskSpecs(_ o: LuaOptions, _ call: LuaCall) throws -> [DiskSpec] {
        guard let items = try o.array("disks") else { return [] }
        return try items.enumerated().map { i, item in
            guard case .table(let t) = item else { throw o.bad("disks", item, expected: "a list of disk tables such as { size = \"40 GiB\" }") }
            let ctx = "\(o.context): disks[\(i + 1)]"
            let d = try call.options(t, LabAPI.diskOptions, context: ctx)
            var spec = DiskSpec(size: try Quantity.bytes(d["size"], ctx, "size"))
            if let p = try d.string("provisioning") {
                guard let kind = Provisioning(rawValue: p) else {
                    throw d.bad("provisioning", d["provisioning"], expected: "a provisioning type",
                                hint: "use " + Provisioning.names.map { "\"\($0)\"" }.joined(separator: ", "))
                }
                spec.provisioning = kind
            }
            switch d["datastore"] {
            case .none, .nil: break
            case .object(let ds, let type) where type == call.state.typeID(of: datastore): spec.datastore = (ds as! Datastore)
            case let v: throw d.bad("datastore", v, expected: "a Datastore (from lab.datastore{...})")
            }
            return spec
        }
    }

    func diskWorkloadFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "disk",
            doc: "An application writing to a disk: new data fills the disk from the start (growing thin disks and deltas); with `rewrite`, it updates data already written. The datastore's bandwidth is shared max-min fairly; first writes to thin or lazy-zeroed blocks cost a zero-fill too.",
            params: [LuaParam("options", "lab.DiskWorkloadOptions")], returns: [LuaParam("", "lab.DiskWorkload")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.workload.disk"
            let o = try call.options(1, LabAPI.diskWorkloadOptions, context: ctx)
            let write = try Quantity.bytes(o["write"], ctx, "write")
            let rate = o.has("rate") ? try Quantity.rate(o["rate"], ctx, "rate") : 200 * Double(Units.MiB)
            let rewrite = try o.boolean("rewrite") ?? false
            let disk = o.has("disk") ? try Quantity.positiveInteger(o["disk"], ctx, "disk", range: 1...64) : 1
            let w = try model { try DiskWorkload(write: write, rate: rate, rewrite: rewrite, disk: disk - 1) }
            call.push(w, self.diskWorkload)
            return 1
        }
    }
}
