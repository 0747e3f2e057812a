/// Kubernetes pods on a Linux kernel (datacenter-facts §4.4; kubernetes
/// pkg/kubelet/cm/helpers_linux.go, pkg/kubelet/qos/policy.go, the Pod QoS page).
/// A pod's containers become containers of its node's kernel with the cgroup settings the
/// kubelet derives from their requests and limits.
public enum QoSClass: String, Sendable {
    case guaranteed = "Guaranteed", burstable = "Burstable", bestEffort = "BestEffort"

    /// Node-pressure eviction goes BestEffort, then Burstable, then Guaranteed.
    var evictionRank: Int { self == .bestEffort ? 0 : self == .burstable ? 1 : 2 }
}

/// One container of a pod: requests and limits (CPU in cores, memory in bytes; nil = unset).
public struct PodContainerSpec {
    public var name: String?
    public var image: ContainerImage?
    public var requestCPU: Double?
    public var requestMemory: Int64?
    public var limitCPU: Double?
    public var limitMemory: Int64?
    public init() {}

    /// Kubernetes defaults a missing request to the limit when only the limit is set.
    var effectiveRequestCPU: Double? { requestCPU ?? limitCPU }
    var effectiveRequestMemory: Int64? { requestMemory ?? limitMemory }
}

public final class Pod {
    public let name: String
    public unowned(unsafe) let kernel: LinuxKernel
    public let qos: QoSClass
    public let containers: [Container]
    public let specs: [PodContainerSpec]
    public let oomScoreAdj: Int
    /// Why the kubelet evicted it (nil while it runs).
    public internal(set) var evicted: String?

    init(name: String, kernel: LinuxKernel, qos: QoSClass, containers: [Container], specs: [PodContainerSpec], oomScoreAdj: Int) {
        self.name = name
        self.kernel = kernel
        self.qos = qos
        self.containers = containers
        self.specs = specs
        self.oomScoreAdj = oomScoreAdj
    }

    public var description: String { "Pod(\(name))" }
    /// "Running", "Evicted", or "Failed" when every container has ended otherwise.
    public var phase: String {
        if evicted != nil { return "Evicted" }
        return containers.contains { $0.state.isLive } ? "Running" : "Failed"
    }
    /// Σ memory requests of its containers.
    public var memoryRequest: Int64 { specs.reduce(0) { $0 + ($1.effectiveRequestMemory ?? 0) } }
    public var memoryUsage: Int64 { containers.reduce(0) { $0 + ($1.state.isLive ? $1.memoryUsage : 0) } }

    /// The kubelet's QoS class (pod-qos): Guaranteed when every container has CPU and memory
    /// requests equal to limits; BestEffort when none has any; Burstable otherwise.
    public static func qos(of specs: [PodContainerSpec]) -> QoSClass {
        let guaranteed = specs.allSatisfy { s in
            guard let lc = s.limitCPU, let lm = s.limitMemory else { return false }
            return s.effectiveRequestCPU == lc && s.effectiveRequestMemory == lm
        }
        if guaranteed { return .guaranteed }
        let none = specs.allSatisfy { $0.requestCPU == nil && $0.requestMemory == nil && $0.limitCPU == nil && $0.limitMemory == nil }
        return none ? .bestEffort : .burstable
    }

    /// `GetContainerOOMScoreAdjust`: Guaranteed −997, BestEffort 1000, Burstable
    /// 1000 − 1000 × memory request ÷ node capacity, within [1000 − 997, 999].
    public static func oomScoreAdj(_ qos: QoSClass, memoryRequest: Int64, capacity: Int64) -> Int {
        switch qos {
        case .guaranteed: return -997
        case .bestEffort: return 1000
        case .burstable:
            let adj = 1000 - Int((1000 * Double(memoryRequest) / Double(capacity)).rounded(.down))
            return min(999, max(1000 - 997, adj))
        }
    }

    /// `MilliCPUToShares` and `MilliCPUToQuota` (helpers_linux.go): shares = milliCPU ×
    /// 1024 ÷ 1000, at least 2 (2 without a request); quota = milliCPU × 100000 ÷ 1000 µs per
    /// 100 ms, at least 1000 µs; memory limit → memory.max, with no swap (the kubelet's
    /// default NoSwap).
    static func docker(_ s: PodContainerSpec) -> DockerOptions {
        var d = DockerOptions()
        let milli = s.effectiveRequestCPU.map { Int(($0 * 1000).rounded()) } ?? 0
        d.cpuShares = max(2, milli * 1024 / 1000)
        if let l = s.limitCPU {
            let lm = Int64((l * 1000).rounded())
            d.cpuQuota = max(1000, lm * 100_000 / 1000)
            d.cpuPeriod = 100_000
        }
        if let m = s.limitMemory {
            d.memory = m
            d.memorySwap = m
        } else {
            d.memorySwapMax = 0
        }
        return d
    }
}

extension LinuxKernel {
    /// `lab.pod{...}`: every container's requests and limits are checked first.
    public func runPod(name: String, containers specs: [PodContainerSpec]) throws -> Pod {
        let who = "pod \(name.isEmpty ? "(no name)" : name)"
        guard !name.isEmpty else { throw ModelError("pod: name must not be empty") }
        guard !specs.isEmpty else { throw ModelError("\(who): containers must list at least one container") }
        guard !pods.contains(where: { $0.name == name }) else { throw ModelError("\(who): a pod with this name already exists on \(description)") }
        for (i, s) in specs.enumerated() {
            let c = "\(who): containers[\(i + 1)]"
            for (field, v) in [("requests.cpu", s.requestCPU), ("limits.cpu", s.limitCPU)] {
                if let v, !(v > 0 && v.isFinite) { throw ModelError("\(c).\(field) \(Units.trim(v)) is not allowed (use more than 0 CPUs, e.g. 0.5 for 500m)") }
            }
            if let r = s.requestCPU, let l = s.limitCPU, l < r {
                throw ModelError("\(c): limits.cpu \(Units.trim(l)) is below requests.cpu \(Units.trim(r)) (a limit must be at least the request)")
            }
            if let r = s.requestMemory, let l = s.limitMemory, l < r {
                throw ModelError("\(c): limits.memory \(Units.formatBytes(l)) is below requests.memory \(Units.formatBytes(r)) (a limit must be at least the request)")
            }
            if let l = s.limitCPU, l > Double(cpus) {
                throw ModelError("\(c): limits.cpu \(Units.trim(l)) is more than the \(cpus) CPUs of \(description)")
            }
            if let m = s.limitMemory, m < DockerOptions.minimumMemory {
                throw ModelError("\(c): limits.memory \(Units.formatBytes(m)) is not allowed (at least 6 MiB)")
            }
        }
        let names = specs.enumerated().map { "\(name)-\($0.element.name ?? "c\($0.offset + 1)")" }
        if let dup = names.first(where: { datacenter.containerRegistry.containerNames.contains($0) }) {
            throw ModelError("\(who): a container named \(dup) already exists")
        }
        guard Set(names).count == names.count else { throw ModelError("\(who): two of its containers have the same name") }
        let qos = Pod.qos(of: specs)
        let request = specs.reduce(Int64(0)) { $0 + ($1.effectiveRequestMemory ?? 0) }
        let adj = Pod.oomScoreAdj(qos, memoryRequest: request, capacity: memoryCapacity)
        // validate every container's cgroup settings before making any
        for s in specs { _ = try Pod.docker(s).cgroup(on: self, who: who) }
        var made: [Container] = []
        for (s, n) in zip(specs, names) {
            let k = try runContainer(name: n, image: s.image, options: Pod.docker(s))
            k.oomScoreAdj = adj
            made.append(k)
        }
        let pod = Pod(name: name, kernel: self, qos: qos, containers: made, specs: specs, oomScoreAdj: adj)
        pods.append(pod)
        datacenter.log.record(datacenter.now, "container.pod", pod.description,
                              "\(qos.rawValue) on \(description), oom_score_adj \(adj): \(made.map { "\($0.name) cpu.weight \($0.cpuControl.weight), cpu.max \($0.cpuControl.maxText)" }.joined(separator: "; "))")
        startKubelet()
        return pod
    }
}
