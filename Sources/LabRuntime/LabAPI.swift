import HyperModel
import LuaKit

/// The `lab` API: thin declarations over model calls. Each class is declared once here
/// and used by the lab state, every submission state, the API reference and the LuaCATS
/// types.
final class LabAPI {
    unowned let session: LabSession

    let host = LuaClass<Host>("Host", doc: "A physical host running a hypervisor.", tostring: { "Host(\($0.name))" })
    let hostCPU = LuaClass<Host>("HostCPU", doc: "A host's CPU: capacity, use and over-commitment.", tostring: { "HostCPU(\($0.name))" })
    let hostMemory = LuaClass<Host>("HostMemory", doc: "A host's machine memory.", tostring: { "HostMemory(\($0.name))" })
    let scheduler = LuaClass<Host>(
        "Scheduler", doc: "A host's CPU scheduler. Its parameters can change only while no VM on the host is powered on.",
        tostring: { "Scheduler(\($0.name): \($0.scheduler.kind.rawValue))" })
    let reclaim = LuaClass<Host>(
        "Reclaim", doc: "A host's memory reclamation: its reclaimers and the settings of its free-memory states.",
        tostring: { "Reclaim(\($0.name))" })
    let pageSharing = LuaClass<Host>("PageSharing", doc: "A host's page sharing (TPS or KSM).", tostring: { "PageSharing(\($0.name))" })
    let balloon = LuaClass<Host>("Balloon", doc: "The balloon drivers of a host's VMs.", tostring: { "Balloon(\($0.name))" })
    let compression = LuaClass<Host>("Compression", doc: "A host's memory compression.", tostring: { "Compression(\($0.name))" })
    let hostSwap = LuaClass<Host>("HostSwap", doc: "A host's swapping of guest memory.", tostring: { "HostSwap(\($0.name))" })
    let balloonPolicy = LuaClass<LuaBalloonPolicy>(
        "BalloonPolicy", doc: "A balloon-target policy written in Lua; assign it to `host.reclaim.balloon.policy`.",
        tostring: { "BalloonPolicy(\($0.name))" })
    let disk = LuaClass<VirtualDisk>("Disk", doc: "A virtual disk: X.vmdk and its extent X-flat.vmdk, plus a delta per snapshot.",
                                     tostring: { "Disk(\($0.name).vmdk)" })
    let diskWorkload = LuaClass<DiskWorkload>("DiskWorkload", doc: "An application writing to a disk.", tostring: { "DiskWorkload(\($0.summary))" })
    let networkWorkload = LuaClass<NetworkWorkload>("NetworkWorkload", doc: "Network traffic through a VM's NIC.", tostring: { "NetworkWorkload(\($0.summary))" })
    let migration = LuaClass<Migration>("Migration", doc: "A live migration: its pre-copy rounds, downtime and outcome.",
                                        tostring: { "Migration(\($0.vm.name) → \($0.destination.name))" })
    let isa = LuaClass<ISABox>("ISA", doc: "An instruction set: privileged and sensitive instructions, and VMMs run on it.", tostring: { "ISA(\($0.isa.name))" })
    let datastore = LuaClass<Datastore>("Datastore", doc: "Storage that hosts mount.", tostring: { "Datastore(\($0.name))" })
    let cluster = LuaClass<Cluster>("Cluster", doc: "A group of hosts managed together.", tostring: { "Cluster(\($0.name))" })
    let pool = LuaClass<ResourcePool>(
        "ResourcePool", doc: "A resource pool: a node of the tree that divides a cluster's or a standalone host's CPU and memory.",
        tostring: { $0.description })
    let poolCPU = LuaClass<ResourcePool>("PoolCPU", doc: "A pool's CPU settings, entitlement and usage (MHz).", tostring: { "PoolCPU(\($0.name))" })
    let poolMemory = LuaClass<ResourcePool>("PoolMemory", doc: "A pool's memory settings, entitlement and usage (bytes).", tostring: { "PoolMemory(\($0.name))" })
    let dpm = LuaClass<DPM>(
        "DPM", doc: "A cluster's Distributed Power Management: its band, the demand it sees, its recommendations.",
        tostring: { "DPM(\($0.cluster.name))" })
    let vm = LuaClass<VM>("VM", doc: "A virtual machine.", tostring: { "VM(\($0.name))" })
    let vmCPU = LuaClass<VM>(
        "VMCPU", doc: "A VM's CPU: its allocation settings and the esxtop metrics of the last sample interval.",
        tostring: { "VMCPU(\($0.name))" })
    let vmMemory = LuaClass<VM>("VMMemory", doc: "A VM's memory counters, as vSphere names them, in bytes.", tostring: { "VMMemory(\($0.name))" })
    let guest = LuaClass<VM>(
        "Guest", doc: "The guest OS inside a VM: what it has allocated and freed, which the host cannot see.",
        tostring: { "Guest(\($0.name))" })
    let cpuWorkload = LuaClass<CPUWorkload>(
        "CPUWorkload", doc: "Guest threads busy a fraction `load` of the time.", tostring: { "CPUWorkload(\($0.summary))" })
    let batchWorkload = LuaClass<BatchWorkload>(
        "BatchWorkload", doc: "Threads running chunks of work back to back; counts the chunks finished.",
        tostring: { "BatchWorkload(\($0.summary))" })
    let policy = LuaClass<LuaPolicy>(
        "Policy", doc: "A CPU scheduling policy written in Lua; assign it to `host.scheduler`.",
        tostring: { "Policy(\($0.name))" })
    let memoryWorkload = LuaClass<MemoryWorkload>(
        "MemoryWorkload", doc: "An application that allocates memory and keeps part of it active.",
        tostring: { "MemoryWorkload(\($0.summary))" })
    let series = LuaClass<MetricSeries>(
        "Series", doc: "Every sample of one metric, or its rollup for an interval.",
        tostring: { $0.interval == .realtime ? "Series(\($0.name))" : "Series(\($0.name), \($0.interval.name))" })
    let alarm = LuaClass<Alarm>(
        "Alarm", doc: "A vCenter alarm: its definition, its state (green, yellow, red) for each object it watches, and their history.",
        tostring: { "Alarm(\($0.name))" })
    let drs = LuaClass<DRS>("DRS", doc: "A cluster's DRS: load imbalance, recommendations, a balancing policy.", tostring: { "DRS(\($0.cluster.name))" })
    let rule = LuaClass<DRSRule>("Rule", doc: "A DRS rule: VM-VM affinity or anti-affinity, or VM-host.", tostring: { "Rule(\($0.name))" })
    let drsPolicy = LuaClass<LuaDRSPolicy>(
        "DRSPolicy", doc: "A DRS balancing policy written in Lua; assign it to `cluster.drs.policy`.", tostring: { "DRSPolicy(\($0.name))" })
    let container = LuaClass<Container>(
        "Container", doc: "A container: processes of one image in namespaces, under a cgroup of a Linux kernel (a node's or a VM guest's).",
        tostring: { $0.description })
    let containerCPU = LuaClass<Container>("ContainerCPU", doc: "A container's cgroup CPU settings and cpu.stat.", tostring: { "ContainerCPU(\($0.name))" })
    let containerMemory = LuaClass<Container>(
        "ContainerMemory", doc: "A container's cgroup memory settings, usage and memory.events.", tostring: { "ContainerMemory(\($0.name))" })
    let containerDisk = LuaClass<Container>(
        "ContainerDisk", doc: "A container's disk writes and its cgroup io settings (io.weight, io.max).", tostring: { "ContainerDisk(\($0.name))" })
    let kernel = LuaClass<LinuxKernel>("Kernel", doc: "A Linux kernel running containers: a bare-metal node's or a VM guest's.", tostring: { "Kernel(\($0.description))" })
    let image = LuaClass<ContainerImage>("Image", doc: "A container image: read-only layers shared by its containers.", tostring: { $0.description })
    let pod = LuaClass<Pod>("Pod", doc: "A Kubernetes-style pod: containers whose requests and limits the kubelet maps to cgroups.", tostring: { $0.description })
    let microVM = LuaClass<MicroVM>(
        "MicroVM", doc: "A Firecracker-like microVM's start: its place in the host's creation queue, VMM start, InstanceStart and /sbin/init.",
        tostring: { "MicroVM(\($0.vm.name): \($0.state.rawValue))" })
    let desktopPool = LuaClass<DesktopPool>(
        "DesktopPool", doc: "A VDI desktop pool: desktops cloned from a template (full, linked or instant), their morning and what storage and CPU saw.",
        tostring: { $0.description })
    let submission = LuaClass<Submission>(
        "Submission", doc: "A submission file that could not be used; reading any field raises the reason.",
        tostring: { "Submission(\($0.file): \($0.problem ?? "ok"))" })

    init(session: LabSession) {
        self.session = session
        defineHost()
        defineVM()
        defineWorkloads()
        defineScheduler()
        defineReclaim()
        defineStorage()
        defineDevices()
        defineMigration()
        defineHA()
        definePools()
        defineVApps()
        defineEVC()
        defineDRS()
        defineMaintenance()
        defineISA()
        defineSeries()
        defineAlarm()
        defineSubmission()
        defineContainers()
        definePods()
        defineMicroVMs()
        defineVDI()
        stopMethod(cpuWorkload)
        stopMethod(batchWorkload)
        stopMethod(memoryWorkload)
        stopMethod(diskWorkload)
        stopMethod(networkWorkload)
    }

    /// The world a call works on: the lab's for the lab state, a submission's own scratch
    /// world for a submission state, so a submission never builds in, configures or
    /// advances the lab's world.
    @inline(__always)
    func world(_ call: LuaCall) -> Datacenter { session.world(for: call.state) }

    // MARK: assembled APIs

    var classes: [any LuaClassDecl] {
        [host, hostCPU, hostMemory, reclaim, pageSharing, balloon, compression, hostSwap, balloonPolicy, scheduler, policy, datastore, cluster, pool, poolCPU, poolMemory, vm, vmCPU, vmMemory, guest, disk, diskWorkload, networkWorkload, migration, isa, cpuWorkload,
         batchWorkload, memoryWorkload, series, submission, drs, rule, drsPolicy, alarm, dpm,
         container, containerCPU, containerMemory, containerDisk, kernel, image, pod, microVM, desktopPool]
    }

    var records: [LuaRecord] {
        [LabAPI.hostOptions, LabAPI.datastoreOptions, LabAPI.clusterOptions, LabAPI.vmOptions, LabAPI.cpuAllocation,
         LabAPI.memAllocation, LabAPI.cpuWorkloadOptions, LabAPI.batchWorkloadOptions, LabAPI.memoryWorkloadOptions, LabAPI.touchOptions, LabAPI.diskOptions, LabAPI.diskWorkloadOptions, LabAPI.deviceOptions, LabAPI.cloneOptions, LabAPI.networkWorkloadOptions, LabAPI.migrateOptions, LabAPI.haOptions, LabAPI.ftOptions, LabAPI.submissionOptions, LabAPI.poolOptions, LabAPI.poolCPUOptions, LabAPI.poolMemoryOptions, LabAPI.vappOptions, LabAPI.vappMemberOptions, LabAPI.isaOptions, LabAPI.instructionOptions, LabAPI.isaRunOptions, LabAPI.maintenanceOptions, LabAPI.dpmOptions, LabAPI.capacityOptions, LabAPI.dpmRecommendation,
         LabAPI.policyOptions, LabAPI.balloonPolicyOptions, LabAPI.segmentFilter, LabAPI.eventFilter, LabAPI.checkOptions, LabAPI.reportOptions,
         LabAPI.drsOptions, LabAPI.ruleOptions, LabAPI.drsPolicyOptions, LabAPI.statisticsLevels,
         LabAPI.alarmOptions, LabAPI.alarmTrigger, LabAPI.alarmAction,
         LabAPI.containerOptions, LabAPI.imageOptions, LabAPI.layerOptions, LabAPI.exploitOptions, LabAPI.writeOptions,
         LabAPI.podOptions, LabAPI.podContainerOptions, LabAPI.podResources,
         LabAPI.microVMOptions, LabAPI.desktopPoolOptions, LabAPI.desktopPhaseOptions, LabAPI.operateOptions]
    }

    /// What lab scripts get: `lab`, `check`, `partial`, and `expect` from the Lua library.
    private(set) lazy var labAPI = LuaAPI(
        modules: [labModule(submission: false), globals(lab: true)], classes: classes, records: records)

    /// What submissions get: `lab` without checks or further submissions.
    private(set) lazy var submissionAPI = LuaAPI(
        modules: [labModule(submission: true)], classes: classes, records: records)

    /// The full API, for documentation.
    var documentedAPI: LuaAPI {
        LuaAPI(modules: [labModule(submission: false), globals(lab: true)], classes: classes, records: records)
    }

    private func globals(lab: Bool) -> LuaModuleDecl {
        LuaModuleDecl(
            "_G", doc: "Globals of lab scripts. `print` is captured and shown in results.",
            functions: [checkFunction(), expectDecl(), partialFunction()])
    }

    /// Functions only the engine's Lua library sees.
    private(set) lazy var internalModule = LuaModuleDecl(
        "__hyperlab", doc: "", functions: [failFunction(), formatQuantityFunction(), parseQuantityFunction(), suggestFunction()])

    /// `expect` is written in Lua (stdlib-lua/expect.lua); declared here for the docs.
    private func expectDecl() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "expect",
            doc: """
                Starts an expectation about `value`. Matchers: `to_equal(y)`, `to_be_near(y, tol)` (tol absolute or "5%"), \
                `to_be_at_most(y)`, `to_be_at_least(y)`, `to_be_between(lo, hi)`, `to_be_true()`, `to_be_false()`, \
                `to_be_nil()`, `to_be_a(kind)`, `to_contain(v)`, `to_match(pattern)`, `to_error([pattern])`, `to_hash("sha256:…")` (compares with `lab.hash(value)` without revealing the answer). Size and duration strings \
                are accepted wherever a number is compared. A failure names what was expected and what was found, \
                with units: the unit comes from `unit` or from a quantity string given to the matcher, never \
                from the label. With a unit, a value given as a string in that unit ("2 GHz" for "MHz") is \
                accepted and one of another kind fails saying so. Student-visible results show only the \
                student's value unless the check's `reveal` says otherwise.
                """,
            params: [
                LuaParam("value", "any", "The value to check."),
                LuaParam("label", "string", "Names the value in messages, e.g. \"ballooned memory\".", optional: true),
                LuaParam("unit", "\"bytes\"|\"seconds\"|\"MHz\"|\"%\"|\"bytes/s\"|\"cycles\"|\"count\"|\"fraction\"|\"number\"",
                         "What the value is: how strings are read and numbers shown.", optional: true),
            ],
            returns: [LuaParam("", "lab.Expectation", "")], body: nil)
    }
}
