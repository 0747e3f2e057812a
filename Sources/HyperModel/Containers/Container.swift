/// The life of a container (`k.state`).
public enum ContainerState: String, Sendable {
    case starting, running, exited
    case oomKilled = "oom-killed"

    var isLive: Bool { self == .starting || self == .running }
}

/// A container: processes of one image in namespaces, under a cgroup of its kernel (a bare
/// Linux node's or a VM guest's). Its CPU and memory are what its workloads ask, within
/// its cgroup's limits and what the kernel can give (KernelCPU, KernelMemory).
public final class Container {
    public let name: String
    public unowned(unsafe) let kernel: LinuxKernel
    public let image: ContainerImage?
    public internal(set) var cpuControl: CPUControl
    public internal(set) var memoryControl: MemoryControl
    public internal(set) var ioControl: IOControl
    public let namespaces: [String]
    /// The Docker options it was made with (shown in the log and docs).
    public let options: DockerOptions
    public internal(set) var state = ContainerState.starting
    public let createdAt: SimTime
    /// When it became running (nil while starting or if it never did).
    public internal(set) var startTime: SimTime?
    public internal(set) var exitTime: SimTime?
    public internal(set) var exitCode: Int?
    /// Why it stopped ("stopped", "OOM killed: ...", "kernel panic ...").
    public internal(set) var reason: String?
    /// A modelled kernel exploit reached it (`k:exploit()` here or in a neighbour).
    public internal(set) var compromised = false
    /// `oom_score_adj` of its processes (−1000 to 1000; the kubelet sets it for pods).
    public internal(set) var oomScoreAdj = 0
    public internal(set) var upper = OverlayUpper()
    /// Its place in `kernel.containers`.
    let index: Int

    // CPU (KernelCPU)
    public internal(set) var workloads: [Workload] = []
    /// CPUs its runnable threads ask for (Σ threads × load, within its cpuset).
    var demand = 0.0
    /// CPUs it gets now (the water-fill's share).
    public internal(set) var rate = 0.0
    /// CPUs it runs on while not throttled (its share without the quota), when throttled.
    var burst = 0.0
    public internal(set) var throttled = false
    var cpuSettled: Int64 = 0
    var usage = 0.0
    var throttledTime = 0.0
    public internal(set) var cpuStat = CPUStat()

    // memory (KernelMemory)
    /// Anonymous memory it has allocated, bytes (resident + swapped).
    var anon = 0.0
    /// Allocation still to do: memory workloads in order, the first allocating.
    var memoryQueue: [MemoryWorkload] = []
    /// Bytes the first of them has allocated (kept exact; its `allocated` is this rounded).
    var headProgress = 0.0
    /// `docker stop` was asked: it exits at its exit time, and does not start if still starting.
    var stopRequested = false
    public internal(set) var memoryEvents = MemoryEvents()
    /// Bytes charged above memory.high / at memory.max not yet counted as an event batch.
    var highCarry = 0.0
    var maxCarry = 0.0
    public internal(set) var peak: Int64 = 0
    /// Swap it holds (bytes), set at each memory step.
    var swapped = 0.0

    // disk (ContainerDisk, StorageClock)
    var diskBytes = 0.0
    var diskRateNow = 0.0
    var throttledDisk = 0.0
    /// Its disk writes wait for a copy-up until then.
    var copyUpUntil = SimTime.zero
    /// Seconds spent copying files up.
    public internal(set) var copyUpSeconds = 0.0

    // sampling (ContainerSampler)
    /// Its metrics at every sample: cpu.usage, cpu.throttled, memory.usage, memory.swap, disk.rate.
    public private(set) lazy var series: SeriesSet = {
        let s = SeriesSet(layout: ContainerSampler.layout, settings: kernel.datacenter.statistics)
        s.owner = description
        return s
    }()
    var sampledStat = CPUStat()
    var sampledDisk = 0.0
    /// The last sample's time (nil before the first); an ended container gets one last row.
    var sampledUntil: SimTime?
    var finalSampled = false

    init(name: String, kernel: LinuxKernel, image: ContainerImage?, cpu: CPUControl, memory: MemoryControl,
         io: IOControl = IOControl(), namespaces: [String], options: DockerOptions, index: Int) {
        self.ioControl = io
        self.name = name
        self.kernel = kernel
        self.image = image
        self.cpuControl = cpu
        self.memoryControl = memory
        self.namespaces = namespaces
        self.options = options
        self.index = index
        self.createdAt = kernel.datacenter.now
    }

    public var description: String { "Container(\(name))" }

    /// Resident memory charged to its cgroup (`memory.current` minus swap), bytes.
    public var memoryUsage: Int64 { kernel.memoryNow(self).resident }
    public var swapUsage: Int64 { kernel.memoryNow(self).swapped }
    public var memoryEventsNow: MemoryEvents { kernel.memoryNow(self).events }
    public var memoryPeak: Int64 { kernel.memoryNow(self).peak }

    /// `cpu.stat` now.
    public var stat: CPUStat { kernel.cpuNow(self).stat }
    /// CPUs in use now (1 = one CPU busy), as `docker stats` shows ×100.
    public var cpuRate: Double { state == .running ? kernel.cpuNow(self).rate : 0 }

    /// Bytes a memory workload of it has allocated now (the one allocating is projected).
    public func allocated(_ m: MemoryWorkload) -> Int64 {
        guard memoryQueue.first === m else { return m.allocated }
        let p = kernel.memoryNow(self).headProgress
        return p >= Double(m.size) - 0.5 ? m.size : Int64(p)
    }

    /// Its writable layer's size on disk, bytes.
    public var writableBytes: Int64 { upper.size }
    public var whiteoutCount: Int { upper.whiteouts.count }
    /// The file at `path` as the container sees it (nil = none).
    public func file(_ path: String) -> Int64? { upper.visible(path, image: image) }

    // MARK: what a lab does to it

    /// Starts a CPU or memory workload in it (queued until it is running).
    public func run(_ w: Workload) throws {
        let who = "\(description):run"
        guard state.isLive else { throw ModelError("\(who): \(name) has \(state.rawValue); start a new container") }
        guard w.vm == nil, w.container == nil, w.stopped == nil else {
            throw ModelError("\(who): this \(w.kind) workload already ran elsewhere; create a new one")
        }
        guard w is CPUWorkload || w is MemoryWorkload || w is DiskWorkload else {
            throw ModelError("\(who): a container runs lab.workload.cpu{...}, lab.workload.memory{...} and lab.workload.disk{...} workloads (\(w.kind) is for VMs)")
        }
        if let d = w as? DiskWorkload {
            if let vm = kernel.vm {
                guard vm.disks.indices.contains(d.disk) else {
                    throw ModelError("\(who): \(vm.description) has no disk \(d.disk + 1) for the container's writes (it has \(vm.disks.count))")
                }
            } else {
                guard d.disk == 0 else { throw ModelError("\(who): on a bare node a container writes to the node's root disk; leave disk unset") }
                guard diskDatastore != nil else {
                    throw ModelError("\(who): \(kernel.host.name) has no datastore for the container's writes; give the node one (lab.host{ hypervisor = \"none\", datastores = { ds } })")
                }
            }
        }
        w.container = self
        w.started = kernel.datacenter.now
        workloads.append(w)
        kernel.datacenter.log.record(kernel.datacenter.now, "container.workload", description, "started \(w.summary)")
        if state == .running { kernel.workloadStarted(w, in: self) }
    }

    /// Stops one of its workloads (memory it allocated is freed).
    public func stop(_ w: Workload) throws {
        guard w.container === self, w.stopped == nil else { throw ModelError("stop: \(w.summary) does not run in \(description)") }
        kernel.stopWorkloads(of: self, only: w)
    }

    /// Writes `bytes` at `offset` into `path`: a lower-layer file is copied up whole first.
    /// Returns the seconds the write waits for a copy-up (0 when none).
    @discardableResult
    public func write(_ path: String, offset: Int64 = 0, bytes: Int64) throws -> Double {
        let who = "\(description):write"
        guard state == .running else { throw ModelError("\(who): \(name) is \(state.rawValue); files change only while it runs") }
        guard path.hasPrefix("/") else { throw ModelError("\(who): path \"\(path)\" is not an absolute path (use e.g. \"/data/db.bin\")") }
        guard bytes >= 0, offset >= 0 else { throw ModelError("\(who): offset and bytes must be 0 or more") }
        let copied = upper.write(path, offset: offset, bytes: bytes, image: image)
        let wait = copied > 0 ? copyUp(copied) : 0
        kernel.datacenter.log.record(kernel.datacenter.now, "container.file", description,
                                     copied > 0 ? "copy-up of \(path) (\(Units.formatBytes(copied))) for a write of \(Units.formatBytes(bytes)): \(Units.formatSeconds(wait)); the writable layer holds \(Units.formatBytes(upper.size))"
                                                : "wrote \(Units.formatBytes(bytes)) to \(path) in the writable layer")
        return wait
    }

    /// Deletes `path`: an image file gets a whiteout (the lower layer keeps its bytes).
    public func delete(_ path: String) throws {
        let who = "\(description):delete"
        guard state == .running else { throw ModelError("\(who): \(name) is \(state.rawValue); files change only while it runs") }
        guard upper.delete(path, image: image) else { throw ModelError("\(who): no file \(path) in \(name)") }
        kernel.datacenter.log.record(kernel.datacenter.now, "container.file", description,
                                     upper.whiteouts.contains(path) ? "deleted \(path): a whiteout hides the image's file; the image layer is unchanged"
                                                                    : "deleted \(path) from the writable layer")
    }
}
