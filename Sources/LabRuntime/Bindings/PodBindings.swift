import HyperModel
import LuaKit

/// Kubernetes-style pods from Lua (lua-api.md: `lab.pod{...}` and `.qos`; docs/containers.md "Pods").
extension LabAPI {
    static let podOptions = LuaRecord(
        "lab.PodOptions", doc: "Options of `lab.pod{...}`.",
        fields: [
            LuaParam("name", "string", "Unique on its node."),
            LuaParam("node", "lab.Host|lab.VM", "A Linux node (hypervisor = \"none\") or a VM whose guest runs it."),
            LuaParam("containers", "lab.PodContainerOptions[]", "Its containers."),
        ])

    static let podContainerOptions = LuaRecord(
        "lab.PodContainerOptions", doc: "One container of a pod.",
        fields: [
            LuaParam("name", "string", "Its name within the pod (default c1, c2...); the container is named \"<pod>-<name>\".", optional: true),
            LuaParam("image", "lab.Image", "Its image.", optional: true),
            LuaParam("requests", "lab.PodResources", "What the scheduler reserves: cpu → cpu.shares, memory → the eviction order.", optional: true),
            LuaParam("limits", "lab.PodResources", "cpu → cpu.max quota, memory → memory.max (no swap).", optional: true),
        ])

    static let podResources = LuaRecord(
        "lab.PodResources", doc: "CPU (cores: 0.5 = 500m, or a string \"500m\") and memory of a pod container's requests or limits.",
        fields: [
            LuaParam("cpu", "number|string", "Cores, e.g. 0.5 or \"500m\".", optional: true),
            LuaParam("memory", "integer|string", "e.g. \"256 MiB\" (Kubernetes' 256Mi).", optional: true),
        ])

    func podFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "pod", doc: "A Kubernetes-style pod on a Linux kernel: requests and limits become cgroup settings as the kubelet sets them, its QoS class gives its oom_score_adj and its place in node-pressure eviction. Every container is checked before any starts.",
            params: [LuaParam("options", "lab.PodOptions")], returns: [LuaParam("", "lab.Pod")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.pod"
            let o = try call.options(1, LabAPI.podOptions, context: ctx)
            let name = try o.string("name")!
            let kernel: LinuxKernel
            switch o["node"] {
            case .object(let h, let t) where t == call.state.typeID(of: self.host):
                let host = h as! Host
                guard let k = host.kernel else {
                    throw LuaError("\(ctx) \(name): node \(host.description) runs a \(host.hypervisor.rawValue) hypervisor; give a Linux node (hypervisor = \"none\") or a VM")
                }
                kernel = k
            case .object(let v, let t) where t == call.state.typeID(of: self.vm):
                let vm = v as! VM
                guard vm.state == .on else { throw LuaError("\(ctx) \(name): node \(vm.description) is \(vm.state.rawValue); power it on first") }
                kernel = vm.kernel
            case let v: throw o.bad("node", v, expected: "a Host or a VM", hint: "a Linux node from lab.host{ hypervisor = \"none\" }, or a VM")
            }
            var specs: [PodContainerSpec] = []
            for (i, v) in (try o.array("containers") ?? []).enumerated() {
                let field = "\(ctx) \(name): containers[\(i + 1)]"
                guard case .table(let t) = v else { throw LuaError("\(field) \(call.describe(v)) is not a table of container options") }
                let c = try call.options(t, LabAPI.podContainerOptions, context: field)
                var s = PodContainerSpec()
                s.name = try c.string("name")
                switch c["image"] {
                case .none, .nil: break
                case .object(let img, let it) where it == call.state.typeID(of: self.image): s.image = (img as! ContainerImage)
                case let bad: throw c.bad("image", bad, expected: "an Image")
                }
                if let r = try c.options("requests", LabAPI.podResources) {
                    if r.has("cpu") { s.requestCPU = try LabAPI.cores(r["cpu"], r.context) }
                    if r.has("memory") { s.requestMemory = try Quantity.bytes(r["memory"], r.context, "memory") }
                }
                if let l = try c.options("limits", LabAPI.podResources) {
                    if l.has("cpu") { s.limitCPU = try LabAPI.cores(l["cpu"], l.context) }
                    if l.has("memory") { s.limitMemory = try Quantity.bytes(l["memory"], l.context, "memory") }
                }
                specs.append(s)
            }
            let all = specs
            let pod = try model { try kernel.runPod(name: name, containers: all) }
            call.push(pod, self.pod)
            return 1
        }
    }

    /// Kubernetes CPU quantities: cores as a number, or "500m" / "1.5".
    static func cores(_ v: LuaValue, _ ctx: String) throws -> Double {
        switch v {
        case .integer, .number:
            return try LuaNumber.double(v, ctx, "cpu", range: 0...1e6)!
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.hasSuffix("m"), let m = Double(t.dropLast()), m >= 0, m.isFinite { return m / 1000 }
            if let c = Double(t), c >= 0, c.isFinite { return c }
            fallthrough
        default:
            throw LuaError("\(ctx): cpu \(v.describe()) is not a CPU quantity (use cores such as 0.5, or millicores such as \"500m\")")
        }
    }

    func definePods() {
        pod.property("name", "string", "Its name.", stable: true) { p, c in c.push(p.name) }
            .property("qos", "\"Guaranteed\"|\"Burstable\"|\"BestEffort\"", "Its QoS class.", stable: true) { p, c in c.push(p.qos.rawValue) }
            .property("oom_score_adj", "integer", "oom_score_adj of its processes: Guaranteed −997, BestEffort 1000, Burstable 1000 − 1000 × memory request ÷ node memory.", stable: true) { p, c in
                c.push(p.oomScoreAdj)
            }
            .property("phase", "\"Running\"|\"Evicted\"|\"Failed\"", "Running while a container lives; Evicted by the kubelet; Failed otherwise.") { p, c in c.push(p.phase) }
            .property("reason", "string?", "Why the kubelet evicted it.") { p, c in if let e = p.evicted { c.push(e) } else { c.pushNil() } }
            .property("containers", "lab.Container[]", "Its containers.", stable: true) { [unowned(unsafe) self] p, c in
                c.pushArray(p.containers) { c.push($0, self.container) }
            }
            .property("kernel", "lab.Kernel", "The kernel it runs on.", stable: true) { [unowned(unsafe) self] p, c in c.push(p.kernel, self.kernel) }
            .property("memory_request", "integer", "Σ memory requests of its containers.", stable: true) { p, c in c.push(p.memoryRequest) }
            .property("memory_usage", "integer", "Σ resident memory of its live containers.") { p, c in c.push(p.memoryUsage) }
    }
}
