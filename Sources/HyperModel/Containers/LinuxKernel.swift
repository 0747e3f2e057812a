/// Parameters of a Linux kernel's container runtime; [M] defaults from datacenter-facts
/// §4.6 and §6.3 (labs may change them before containers start).
public struct ContainerParameters: Equatable, Sendable {
    /// From `docker run` to the entry process running, once the image is present (0.5 s [M]).
    public var startTime = SimTime.milliseconds(500)
    /// From `docker stop` to exited, for a process that exits on SIGTERM (0.1 s [M]).
    public var exitTime = SimTime.milliseconds(100)
    /// Kernel and runtime memory per container outside its cgroup (shim, namespaces,
    /// page tables): 20 MiB, the middle of §4.6's 15–25 MB [M].
    public var overhead: Int64 = 20 * Units.MiB
    /// How fast a cgroup over memory.high still allocates, as a fraction of its rate: the
    /// kernel's reclaim-and-sleep penalty (mem_cgroup_handle_over_high) as a fluid factor [M].
    public var highSlowdown = 0.1
    public init() {}
}

/// One Linux kernel running containers: a bare-metal node's (`hypervisor = "none"`) or a
/// VM guest's. Its CPUs are the node's pCPUs or the VM's vCPUs; its memory the node's or
/// the guest's. Containers share them through cgroups (KernelCPU, KernelMemory).
public final class LinuxKernel: SimProcess {
    public unowned(unsafe) let datacenter: Datacenter
    public unowned(unsafe) let host: Host
    /// The VM whose guest this kernel is (nil on a bare-metal node).
    public unowned(unsafe) let vm: VM?
    public let cpus: Int
    /// Swap space (a bare node's swap partition; a guest's own swap).
    public internal(set) var swapCapacity: Int64
    public internal(set) var cgroup: CgroupVersion
    public internal(set) var sharesConversion = SharesConversion.log
    public internal(set) var parameters = ContainerParameters()
    public internal(set) var containers: [Container] = []
    public internal(set) var panickedAt: SimTime?
    /// A modelled kernel exploit took this kernel (and so every container on it).
    public internal(set) var compromised = false
    /// When each image layer is on this kernel's disk (pulled or being pulled).
    var layerReady: [Int: SimTime] = [:]
    var process: Int32 = -1
    // CPU
    var cpuSettled: Int64 = 0
    var lastVMRun: Int64 = 0
    var helper: CPUWorkload?
    var scratch: [Int] = []
    // memory
    var memorySettled: Int64 = 0
    var memoryGeneration: Int64 = 0
    var guestTouched: Int64 = 0
    // pods (Pods.swift, Kubelet.swift)
    public internal(set) var pods: [Pod] = []
    var kubeletStarted = false
    /// The kubelet's hard eviction threshold on memory.available (default 100 MiB).
    public internal(set) var evictionHard: Int64 = 100 * Units.MiB

    init(host: Host, vm: VM?, cgroup: CgroupVersion, swap: Int64) {
        self.datacenter = host.datacenter
        self.host = host
        self.vm = vm
        self.cpus = vm?.vcpus ?? host.cpus
        self.cgroup = cgroup
        self.swapCapacity = swap
        self.cpuSettled = datacenter.now.micros
        self.memorySettled = datacenter.now.micros
        self.process = datacenter.sim.register(self)
        if let vm, vm.state == .on {
            host.settleCPU()
            lastVMRun = vm.cpuCounters.run
        }
        datacenter.containerRegistry.kernels.append(self)
    }

    public var description: String { vm.map { "\($0.name)'s guest kernel" } ?? "\(host.name)'s kernel" }

    /// Memory the kernel can give containers: the node's, or the guest's configured memory.
    public var memoryCapacity: Int64 { vm?.memory ?? host.memory.capacity }
    public var liveContainers: [Container] { containers.filter { $0.state.isLive } }

    // MARK: settings

    public func setCgroup(_ v: CgroupVersion) throws {
        try requireNoContainers("cgroup")
        cgroup = v
        datacenter.log.record(datacenter.now, "container.kernel", description, "cgroup \(v.rawValue)")
    }

    public func setSharesConversion(_ c: SharesConversion) throws {
        try requireNoContainers("shares_conversion")
        sharesConversion = c
    }

    public func setParameters(_ p: ContainerParameters) throws {
        guard p.startTime.micros >= 0, p.exitTime.micros >= 0, p.overhead >= 0, p.highSlowdown > 0, p.highSlowdown <= 1 else {
            throw ModelError("\(description): start_time and exit_time must be 0 s or more, overhead 0 bytes or more, high_slowdown more than 0 up to 1")
        }
        try requireNoContainers("parameters")
        parameters = p
    }

    public func setSwap(_ bytes: Int64) throws {
        guard bytes >= 0 else { throw ModelError("\(description).swap must be 0 bytes or more") }
        try requireNoContainers("swap")
        swapCapacity = bytes
    }

    private func requireNoContainers(_ field: String) throws {
        if let k = containers.first(where: { $0.state.isLive }) {
            throw ModelError("\(description).\(field) can only change while no container runs on it (\(k.name) is \(k.state.rawValue))")
        }
    }

    // MARK: containers

    /// `run_container{...}`: every option is checked before anything changes.
    public func runContainer(name: String, image: ContainerImage?, options: DockerOptions) throws -> Container {
        let who = "run_container \(name.isEmpty ? "(no name)" : name)"
        guard !name.isEmpty else { throw ModelError("run_container: name must not be empty") }
        if let at = panickedAt {
            throw ModelError("\(who): \(description) panicked at \(at); nothing runs on it until it reboots (reboot())")
        }
        if let vm, vm.state != .on { throw ModelError("\(who): \(vm.description) is \(vm.state.rawValue); its guest runs containers only while it is on") }
        guard !datacenter.containerRegistry.containerNames.contains(name) else {
            throw ModelError("\(who): a container named \(name) already exists; container names must be unique")
        }
        let (cpu, mem, ns) = try options.cgroup(on: self, who: who)
        let io = try options.ioControl(on: self, who: who)
        if let set = cpu.cpuset, let other = liveContainers.first(where: { $0.cpuControl.cpuset.map { $0 != set && !Set($0).isDisjoint(with: set) } ?? false }) {
            throw ModelError("\(who): cpuset \(set) overlaps \(other.name)'s \(other.cpuControl.cpuset!) without being the same (the model divides CPUs between equal or disjoint cpusets)")
        }
        let k = Container(name: name, kernel: self, image: image, cpu: cpu, memory: mem, io: io, namespaces: ns, options: options, index: containers.count)
        containers.append(k)
        datacenter.containerRegistry.containerNames.insert(name)
        if datacenter.containerRegistry.sampler == nil {
            let s = ContainerSampler(datacenter: datacenter)
            datacenter.containerRegistry.sampler = s
            s.start()
        }
        let ready = pull(image, for: k)
        let start = ready + parameters.startTime
        datacenter.sim.schedule(process, at: start, token: Int64(k.index) << 2 | 0)
        datacenter.log.record(datacenter.now, "container.create", k.description,
                              "on \(description): cpu.weight \(cpu.weight)\(cgroup == .v1 ? " (v1 shares)" : ""), cpu.max \(cpu.maxText), memory.max \(mem.max.map(Units.formatBytes) ?? "max"), memory.high \(mem.high.map(Units.formatBytes) ?? "max"), memory.swap.max \(mem.swapMax.map(Units.formatBytes) ?? "max"); starts at \(start)")
        return k
    }

    /// Pulls the image's missing layers from the datastore (at its bandwidth); returns when
    /// every layer is present. Layers already present or being pulled are not pulled again.
    private func pull(_ image: ContainerImage?, for k: Container) -> SimTime {
        let now = datacenter.now
        guard let image else { return now }
        var ready = now
        var missing: Int64 = 0
        for (i, layer) in image.layers.enumerated() {
            let key = image.id << 8 | i
            if let t = layerReady[key] { ready = max(ready, t) } else { missing += layer.size }
        }
        guard missing > 0 else { return ready }
        let store = host.datastores.first ?? host.localDatastore
        let seconds = Double(missing) / store.writeBandwidth
        let done = now + .seconds(seconds)
        for i in image.layers.indices where layerReady[image.id << 8 | i] == nil { layerReady[image.id << 8 | i] = done }
        datacenter.log.record(now, "container.pull", k.description,
                              "pulls \(Units.formatBytes(missing)) of \(image.name) from \(store.name) at \(Units.formatBytes(Int64(store.writeBandwidth)))/s: \(Units.formatSeconds(seconds))")
        return max(ready, done)
    }

    /// Bytes of image layers on this kernel's disk (each layer once).
    public var imageBytes: Int64 {
        var total: Int64 = 0
        for img in datacenter.containerRegistry.imageList {
            for (i, l) in img.layers.enumerated() where layerReady[img.id << 8 | i] != nil { total += l.size }
        }
        return total
    }

    /// Bytes of image layers in the page cache: each layer of an image a live container
    /// uses, once however many containers share it (union filesystems cache shared files once).
    public var pageCache: Int64 {
        var seen = Set<Int>()
        var total: Int64 = 0
        for k in containers where k.state == .running {
            guard let img = k.image, seen.insert(img.id).inserted else { continue }
            total += img.size
        }
        return min(total, max(0, memoryCapacity - residentUsed))
    }

    /// `docker stop`: its workloads stop now, it exits `exitTime` later.
    public func stop(_ k: Container) throws {
        guard k.state.isLive else { throw ModelError("stop: \(k.description) has already \(k.state == .exited ? "exited" : "been OOM-killed")") }
        guard !k.stopRequested else { throw ModelError("stop: \(k.description) is already stopping") }
        k.stopRequested = true
        stopWorkloads(of: k, only: nil)
        datacenter.sim.schedule(process, at: datacenter.now + parameters.exitTime, token: Int64(k.index) << 2 | 1)
        datacenter.log.record(datacenter.now, "container.stop", k.description, "SIGTERM; exits in \(parameters.exitTime)")
    }

    public func fire(token: Int64, sim: Simulation) {
        if token < 0 { return memoryTimerFired(-token) }
        switch token & 3 {
        case 0: started(containers[Int(token >> 2)])
        case 1:
            let k = containers[Int(token >> 2)]
            if k.state.isLive { end(k, state: .exited, code: 143, reason: "stopped (SIGTERM)") }
        default: kubeletTick()
        }
    }

    private func started(_ k: Container) {
        guard k.state == .starting, !k.stopRequested else { return }
        k.state = .running
        k.startTime = datacenter.now
        datacenter.log.record(datacenter.now, "container.start", k.description,
                              "running after \(datacenter.now - k.createdAt) (namespaces \(k.namespaces.joined(separator: ", ")))")
        if let img = k.image, img.workingSet > 0 { chargeWorkingSet(k, img.workingSet) }
        guard k.state == .running else { return }
        for w in k.workloads where w.stopped == nil { workloadStarted(w, in: k) }
    }

    /// Ends a container: its workloads stop, its memory and swap are freed.
    func end(_ k: Container, state: ContainerState, code: Int?, reason: String) {
        settleCPU()
        settleMemory()
        let wasRunning = k.state == .running
        for w in k.workloads where w.stopped == nil { w.stopped = datacenter.now }
        k.memoryQueue.removeAll()
        k.state = state
        k.exitCode = code
        k.reason = reason
        k.exitTime = datacenter.now
        k.anon = 0
        k.swapped = 0
        datacenter.log.record(datacenter.now, state == .oomKilled ? "container.oom" : "container.exit", k.description,
                              "\(state.rawValue)\(code.map { ", exit code \($0)" } ?? ""): \(reason)")
        if wasRunning { cpuChanged() }
        memoryChanged()
    }

    func workloadStarted(_ w: Workload, in k: Container) {
        if w is CPUWorkload { cpuChanged() }
        if let d = w as? DiskWorkload { datacenter.storageClock.start(d) }
        if let m = w as? MemoryWorkload {
            settleMemory()
            k.memoryQueue.append(m)
            memoryChanged()
        }
    }

    func stopWorkloads(of k: Container, only: Workload?) {
        settleCPU()
        settleMemory()
        var cpu = false
        for w in k.workloads where w.stopped == nil && (only == nil || w === only) {
            w.stopped = datacenter.now
            if w is CPUWorkload { cpu = true }
            if let m = w as? MemoryWorkload {
                if k.memoryQueue.first === m { k.headProgress = 0 }
                k.memoryQueue.removeAll { $0 === m }
                release(Double(m.allocated), from: k)
            }
        }
        if cpu && k.state == .running { cpuChanged() }
        memoryChanged()
    }
}
