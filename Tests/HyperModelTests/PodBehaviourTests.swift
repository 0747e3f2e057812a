import Testing
@testable import HyperModel

/// Behaviours 68 and 71 of datacenter-facts §7: the kubelet's mapping of requests and
/// limits to cgroups (kubernetes pkg/kubelet/cm/helpers_linux.go), QoS classes and
/// oom_score_adj (pkg/kubelet/qos/policy.go; kubernetes.io "Pod Quality of Service
/// Classes") and node-pressure eviction (kubelet DefaultEvictionHard; "Node-pressure
/// Eviction").
@Suite("Pods: behaviours 68 and 71 of datacenter-facts §7")
struct PodBehaviourTests {
    func spec(request cpu: Double? = nil, _ mem: Int64? = nil, limit lcpu: Double? = nil, _ lmem: Int64? = nil) -> PodContainerSpec {
        var s = PodContainerSpec()
        s.requestCPU = cpu
        s.requestMemory = mem
        s.limitCPU = lcpu
        s.limitMemory = lmem
        return s
    }

    /// Behaviour 68: requests.cpu 500m → cpu.shares 512; limits.cpu 250m → 25,000 µs per
    /// 100,000 µs; a BestEffort pod → shares 2; limits.cpu 1m → quota raised to 1,000 µs.
    /// On a v1 kernel the shares are the cgroup's weight; on v2 they are converted.
    @Test func cpuMapping() throws {
        let dc = world()
        let node = try linuxNode(dc, cgroup: .v1)
        let k = node.kernel!
        let a = try k.runPod(name: "a", containers: [spec(request: 0.5, 256 * MiB)])
        let b = try k.runPod(name: "b", containers: [spec(request: 0.25, limit: 0.25)])
        let be = try k.runPod(name: "be", containers: [spec()])
        let tiny = try k.runPod(name: "tiny", containers: [spec(limit: 0.001)])
        #expect(a.containers[0].cpuControl.weight == 512 && a.containers[0].cpuControl.quota == nil)
        #expect(b.containers[0].cpuControl.quota == 25_000 && b.containers[0].cpuControl.period == 100_000)
        #expect(be.containers[0].cpuControl.weight == 2 && be.qos == .bestEffort)
        #expect(tiny.containers[0].cpuControl.quota == 1000)
        // requests default to limits: 1m requested → shares max(2, 1) = 2
        #expect(tiny.containers[0].cpuControl.weight == 2)
        let v2 = try linuxNode(dc, "v2node")
        let c = try v2.kernel!.runPod(name: "c", containers: [spec(request: 0.5)])
        #expect(c.containers[0].options.cpuShares == 512 && c.containers[0].cpuControl.weight == SharesConversion.log.weight(shares: 512))
        // a CPU-bound BestEffort container gets what is left beside a 1-CPU request (2 : 1024)
        let busy = try linuxNode(dc, "busy", cpus: 1, cgroup: .v1)
        let g = try busy.kernel!.runPod(name: "g", containers: [spec(request: 1, 64 * MiB, limit: 1, 64 * MiB)])
        let e = try busy.kernel!.runPod(name: "e", containers: [spec()])
        try g.containers[0].run(CPUWorkload(threads: 1, load: 1))
        try e.containers[0].run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(5)))
        #expect(abs(e.containers[0].cpuRate - 2.0 / 1026) < 1e-9 && g.qos == .guaranteed)
    }

    /// Behaviour 71: oom_score_adj Guaranteed −997, BestEffort 1000, Burstable with a 4 GiB
    /// request on a 16 GiB node 750; when memory.available drops below 100Mi the kubelet
    /// evicts BestEffort first, then the Burstable pod above its request, the Guaranteed last.
    @Test func evictionOrder() throws {
        #expect(Pod.oomScoreAdj(.burstable, memoryRequest: 4 * GiB, capacity: 16 * GiB) == 750)
        #expect(Pod.oomScoreAdj(.burstable, memoryRequest: 16 * GiB, capacity: 16 * GiB) == 3)
        #expect(Pod.oomScoreAdj(.burstable, memoryRequest: 0, capacity: 16 * GiB) == 999)
        let dc = world()
        let node = try linuxNode(dc, memory: 4 * GiB)
        let k = node.kernel!
        let g = try k.runPod(name: "guaranteed", containers: [spec(request: 0.5, GiB, limit: 0.5, GiB)])
        let b = try k.runPod(name: "burstable", containers: [spec(request: 0.5, 256 * MiB)])
        let be = try k.runPod(name: "besteffort", containers: [spec()])
        #expect(g.qos == .guaranteed && b.qos == .burstable && be.qos == .bestEffort)
        #expect(g.oomScoreAdj == -997 && be.oomScoreAdj == 1000 && b.oomScoreAdj == 1000 - 1000 / 16)
        try dc.run(for: .seconds(Int64(1)))
        for (p, size) in [(g, 900 * MiB), (b, 900 * MiB), (be, 900 * MiB)] { try p.containers[0].run(MemoryWorkload(size: size)) }
        // a system process outside any pod keeps the node short of memory, slowly (5 MiB/s:
        // less than the 100 MiB threshold per 10 s kubelet pass, so the kernel never runs out)
        let system = try k.runContainer(name: "system", image: nil, options: DockerOptions())
        try dc.run(for: .seconds(Int64(5)))
        try system.run(MemoryWorkload(size: 4 * GiB, rate: Double(5 * MiB)))
        var order: [String] = []
        for _ in 0..<1000 {
            try dc.run(for: .seconds(Int64(1)))
            for p in [g, b, be] where p.evicted != nil && !order.contains(p.name) { order.append(p.name) }
            if order.count == 3 { break }
        }
        #expect(order == ["besteffort", "burstable", "guaranteed"], "evicted \(order)")
        #expect(be.phase == "Evicted" && be.containers[0].exitCode == 137)
        #expect(dc.log.events.filter { $0.kind == "container.evict" }.count == 3)
    }

    /// Bad input: limits below requests, a limit above the node, nothing half-made.
    @Test func badPods() throws {
        let dc = world()
        let k = try linuxNode(dc, cpus: 4).kernel!
        #expect(throws: ModelError("pod p: containers[1]: limits.cpu 0.25 is below requests.cpu 0.5 (a limit must be at least the request)")) {
            try k.runPod(name: "p", containers: [spec(request: 0.5, limit: 0.25)])
        }
        #expect(throws: ModelError.self) { try k.runPod(name: "p", containers: [spec(request: 0.5, 512 * MiB, limit: 1, 256 * MiB)]) }
        #expect(throws: ModelError.self) { try k.runPod(name: "p", containers: [spec(), spec(limit: 8)]) }
        #expect(k.containers.isEmpty && k.pods.isEmpty)
    }
}
