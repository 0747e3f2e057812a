import HyperModel
import LuaKit

/// Containers from Lua (lua-api.md "Containers and microVMs"; docs/containers.md):
/// `lab.image{...}`, `node:run_container{...}` on a `hypervisor = "none"` host,
/// `vm.guest:run_container{...}`, the container and its cgroup counters, the kernel.
extension LabAPI {
    static let containerOptions = LuaRecord(
        "lab.ContainerOptions", doc: "Options of `run_container{...}`: Docker's flags (docker run) and cgroup files, mapped as Docker maps them.",
        fields: [
            LuaParam("name", "string", "Unique name."),
            LuaParam("image", "lab.Image", "Its image (from lab.image{...}); none = an empty root filesystem.", optional: true),
            LuaParam("cpus", "number", "--cpus: quota = cpus × period per period (e.g. 1.5 = 150000 µs per 100000 µs); at most the kernel's CPUs.", optional: true),
            LuaParam("cpu_max", "string", "cgroup v2 cpu.max \"$MAX $PERIOD\" in µs, e.g. \"50000 100000\" (v2 only).", optional: true),
            LuaParam("cpu_quota", "integer", "--cpu-quota / cfs_quota_us in µs (1000 or more, -1 none).", optional: true),
            LuaParam("cpu_period", "integer", "--cpu-period / cfs_period_us in µs (1000 to 1000000, default 100000).", optional: true),
            LuaParam("cpu_weight", "integer", "cgroup v2 cpu.weight, 1 to 10000 (default 100; v2 only).", optional: true),
            LuaParam("cpu_shares", "integer", "--cpu-shares / v1 cpu.shares, 2 to 262144 (default 1024); on a v2 kernel converted to a weight as the runtime does (kernel.shares_conversion).", optional: true),
            LuaParam("cpuset", "string|integer[]", "--cpuset-cpus, e.g. \"0-1,3\" or { 0, 1 }: CPUs (a guest's vCPUs) it may run on.", optional: true),
            LuaParam("memory", "integer|string", "--memory: memory.max (v1 limit_in_bytes), at least 6 MiB (default unlimited).", optional: true),
            LuaParam("memory_swap", "integer|string", "--memory-swap: memory PLUS swap (v1 memsw.limit_in_bytes); unset = as much swap again as memory, equal to memory = no swap, -1 = unlimited.", optional: true),
            LuaParam("memory_swap_max", "integer|string", "cgroup v2 memory.swap.max directly (0 = no swap).", optional: true),
            LuaParam("memory_high", "integer|string", "cgroup v2 memory.high: above it the container is throttled, never killed.", optional: true),
            LuaParam("io_weight", "integer", "cgroup v2 io.weight, 1 to 10000 (default 100): its share of its kernel's disk bandwidth among the kernel's containers (v2 only).", optional: true),
            LuaParam("blkio_weight", "integer", "--blkio-weight, 10 to 1000: v1 blkio.weight, on v2 mapped to io.weight as runc does (1 + (w − 10)·9999/990).", optional: true),
            LuaParam("device_write_bps", "number|string", "--device-write-bps on its root disk: io.max wbps, e.g. \"50 MiB/s\" (needs a disk: a node's datastore or the VM's first disk).", optional: true),
            LuaParam("device_write_iops", "number", "--device-write-iops on its root disk: io.max wiops, write requests per second of 128 KiB each [M].", optional: true),
            LuaParam("namespaces", "string[]", "Namespaces it gets (default Docker's: cgroup (v2), ipc, mnt, net, pid, uts); any of cgroup, ipc, mnt, net, pid, time, user, uts.", optional: true),
        ])

    static let imageOptions = LuaRecord(
        "lab.ImageOptions", doc: "Options of `lab.image{...}`.",
        fields: [
            LuaParam("name", "string", "Unique name."),
            LuaParam("layers", "(integer|string|lab.LayerOptions)[]", "Read-only layers, lowest first: a size (\"80 MiB\") or { size, files }."),
            LuaParam("memory", "integer|string", "Working set its entry process has resident once started (default 0), charged to the container's cgroup.", optional: true),
        ])

    static let layerOptions = LuaRecord(
        "lab.LayerOptions", doc: "A layer with named files, which a container can write (copy-up) or delete (whiteout).",
        fields: [
            LuaParam("size", "integer|string", "Bytes of the layer (default: the sum of its files); at least its files.", optional: true),
            LuaParam("files", "table<string, integer|string>", "Absolute path → size, e.g. { [\"/data/db.bin\"] = \"1 GiB\" }.", optional: true),
        ])

    static let exploitOptions = LuaRecord(
        "lab.ExploitOptions", doc: "Options of `k:exploit{...}`.",
        fields: [LuaParam("hypervisor_bug", "boolean", "A VENOM-like hypervisor bug is also modelled: an exploit in a VM guest escapes to the host (default false).", optional: true)])

    static let writeOptions = LuaRecord(
        "lab.WriteOptions", doc: "Options of `k:write(path, {...})`.",
        fields: [
            LuaParam("bytes", "integer|string", "Bytes written (default 1)."),
            LuaParam("offset", "integer|string", "Where in the file (default 0).", optional: true),
        ])

    func defineContainers() {
        defineContainerObjects()
        defineKernel()
        host.property("kernel", "lab.Kernel?", "The Linux kernel of a hypervisor = \"none\" node (nil with a hypervisor).") { [unowned(unsafe) self] h, c in
            if let k = h.kernel { c.push(k, self.kernel) } else { c.pushNil() }
        }
        .method("run_container", doc: "Starts a container on this Linux node (hypervisor = \"none\") and returns it, \"starting\" until its image is pulled and it has started. Every option is checked before anything changes.",
                params: [LuaParam("options", "lab.ContainerOptions")], returns: [LuaParam("", "lab.Container")]) { [unowned(unsafe) self] h, call in
            let (name, image, options) = try self.containerOptions(call, "\(h.description):run_container")
            let k = try model { try h.runContainer(name: name, image: image, options: options) }
            call.push(k, self.container)
            return 1
        }
        .method("panic", doc: "A kernel fault on this Linux node: every container on it stops at once (see also vm.guest:panic()).") { h, _ in
            try model { try h.panic() }
            return 0
        }
        vm.method("crash", doc: "The VM crashes (a guest kernel fault that halts it, or its VMM dying): it is off, its containers and guest memory are gone; its host and the other VMs go on.") { v, _ in
            try model { try v.crashAlone() }
            return 0
        }
        guest.property("kernel", "lab.Kernel", "The guest's Linux kernel as a container host (its CPUs are the VM's vCPUs, its memory the guest's).") { [unowned(unsafe) self] v, c in
            c.push(v.kernel, self.kernel)
        }
        .method("run_container", doc: "Starts a container in this VM's guest and returns it: its CPU is what the VM receives from the hypervisor, shared by the guest's CFS; its memory is the guest's.",
                params: [LuaParam("options", "lab.ContainerOptions")], returns: [LuaParam("", "lab.Container")]) { [unowned(unsafe) self] v, call in
            let (name, image, options) = try self.containerOptions(call, "\(v.description).guest:run_container")
            let k = try model { try v.runContainer(name: name, image: image, options: options) }
            call.push(k, self.container)
            return 1
        }
        .method("panic", doc: "A guest kernel panic: this VM's containers stop; other VMs on the host go on.") { v, _ in
            try model { try v.kernel.panic() }
            return 0
        }
    }

    private func containerOptions(_ call: LuaCall, _ ctx: String) throws -> (String, ContainerImage?, DockerOptions) {
        let o = try call.options(2, LabAPI.containerOptions, context: ctx)
        let name = try o.string("name")!
        var image: ContainerImage?
        switch o["image"] {
        case .none, .nil: break
        case .object(let i, let t) where t == call.state.typeID(of: self.image): image = (i as! ContainerImage)
        case let v: throw o.bad("image", v, expected: "an Image", hint: "make one with lab.image{ name = ..., layers = { \"80 MiB\" } }")
        }
        var d = DockerOptions()
        d.cpus = try o.number("cpus")
        d.cpuMax = try o.string("cpu_max")
        d.cpuQuota = try o.integer("cpu_quota")
        d.cpuPeriod = try o.integer("cpu_period")
        d.cpuWeight = try o.integer("cpu_weight", range: Int64(Int32.min)...Int64(Int32.max)).map(Int.init)
        d.cpuShares = try o.integer("cpu_shares", range: Int64(Int32.min)...Int64(Int32.max)).map(Int.init)
        switch o["cpuset"] {
        case .none, .nil: break
        case .string(let s): d.cpuset = try LabAPI.cpuList(s, ctx)
        case .table:
            d.cpuset = try (o.array("cpuset") ?? []).map { v in
                guard let n = try LuaNumber.integer(v, ctx, "cpuset", range: 0...4095) else { throw o.bad("cpuset", v, expected: "a CPU number") }
                return Int(n)
            }
        case let v: throw o.bad("cpuset", v, expected: "a CPU list", hint: "use e.g. \"0-1,3\" or { 0, 1 }")
        }
        if o.has("memory") { d.memory = try Quantity.bytes(o["memory"], ctx, "memory") }
        if o.has("memory_swap") {
            if case .integer(-1) = o["memory_swap"] { d.memorySwap = -1 } else { d.memorySwap = try Quantity.bytes(o["memory_swap"], ctx, "memory_swap", allowZero: true) }
        }
        if o.has("memory_swap_max") { d.memorySwapMax = try Quantity.bytes(o["memory_swap_max"], ctx, "memory_swap_max", allowZero: true) }
        if o.has("memory_high") { d.memoryHigh = try Quantity.bytes(o["memory_high"], ctx, "memory_high") }
        d.ioWeight = try o.integer("io_weight", range: Int64(Int32.min)...Int64(Int32.max)).map(Int.init)
        d.blkioWeight = try o.integer("blkio_weight", range: Int64(Int32.min)...Int64(Int32.max)).map(Int.init)
        if o.has("device_write_bps") { d.deviceWriteBps = try Quantity.rate(o["device_write_bps"], ctx, "device_write_bps") }
        d.deviceWriteIops = try o.number("device_write_iops")
        if let ns = try o.array("namespaces") {
            d.namespaces = try ns.map { v in
                guard case .string(let s) = v else { throw o.bad("namespaces", v, expected: "a namespace name") }
                return s
            }
        }
        return (name, image, d)
    }

    /// "0-1,3" → [0, 1, 3], as cpuset.cpus is written.
    static func cpuList(_ s: String, _ ctx: String) throws -> [Int] {
        var out: [Int] = []
        for part in s.split(separator: ",") {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(ends.count), let a = ends[0], let b = ends.last!, a >= 0, b >= a, b < 4096 else {
                throw LuaError("\(ctx): cpuset \"\(s)\" is not a CPU list (use e.g. \"0-1,3\")")
            }
            out += Array(a...b)
        }
        guard !out.isEmpty else { throw LuaError("\(ctx): cpuset \"\(s)\" is not a CPU list (use e.g. \"0-1,3\")") }
        return out
    }

    func imageFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "image", doc: "A container image: read-only layers (lowest first), shared by every container made from it and counted once on a kernel's disk and page cache. Name files inside a layer to let containers copy them up or delete them.",
            params: [LuaParam("options", "lab.ImageOptions")], returns: [LuaParam("", "lab.Image")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.image"
            let o = try call.options(1, LabAPI.imageOptions, context: ctx)
            let name = try o.string("name")!
            var layers: [ImageLayer] = []
            for (i, v) in (try o.array("layers") ?? []).enumerated() {
                let field = "layers[\(i + 1)]"
                switch v {
                case .table(let t):
                    let lo = try call.options(t, LabAPI.layerOptions, context: "\(ctx) \(name): \(field)")
                    var files: [String: Int64] = [:]
                    if case .table(let ft) = lo["files"] {
                        for (key, value) in call.rawPairs(ft) {
                            guard case .string(let path) = key else { throw lo.bad("files", key, expected: "a file path", hint: "use { [\"/data/db.bin\"] = \"1 GiB\" }") }
                            files[path] = try Quantity.bytes(value, "\(ctx) \(name): \(field).files", path, allowZero: true)
                        }
                    } else if lo.has("files") {
                        throw lo.bad("files", lo["files"], expected: "a table of path = size")
                    }
                    let size = lo.has("size") ? try Quantity.bytes(lo["size"], lo.context, "size", allowZero: true) : files.values.reduce(0, +)
                    layers.append(try model { try ImageLayer(size: size, files: files) })
                default:
                    layers.append(try model { try ImageLayer(size: try Quantity.bytes(v, ctx, field, allowZero: true)) })
                }
            }
            let ws = o.has("memory") ? try Quantity.bytes(o["memory"], ctx, "memory", allowZero: true) : 0
            let img = try model { try self.world(call).addImage(name: name, layers: layers, workingSet: ws) }
            call.push(img, self.image)
            return 1
        }
    }
}
