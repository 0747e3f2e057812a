/// What `lab.desktop_pool{...}` asks for, checked as a whole before anything is made.
public struct DesktopPoolSpec {
    public var name: String
    public var template: VM
    public var kind: CloneKind = .linked
    public var count: Int
    /// Desktops are spread over these hosts in turn (desktop i on hosts[i mod n]).
    public var hosts: [Host]
    /// Where the desktops' disks (and a linked or instant pool's replica) go; default the
    /// template's datastore.
    public var datastore: Datastore?
    public var tpsScope: TPSScope = .vm
    public var pod = "pod1"
    /// When the first desktop starts (users arrive), in simulated time.
    public var bootAt: SimTime
    /// Starts are spread evenly over this window (0: all at once).
    public var stagger: SimTime = .zero
    public var profile = DesktopProfile()

    public init(name: String, template: VM, count: Int, hosts: [Host], bootAt: SimTime) {
        self.name = name
        self.template = template
        self.count = count
        self.hosts = hosts
        self.bootAt = bootAt
    }
}

/// A desktop pool: its desktops (VMs cloned from the template), where each is in its
/// morning, and what the pool's storage and CPU saw.
public final class DesktopPool {
    public let name: String
    public let kind: CloneKind
    public let tpsScope: TPSScope
    public let pod: String
    public let profile: DesktopProfile
    public let datastore: Datastore
    public unowned(unsafe) let template: VM
    /// The read-only replica of a linked or instant pool, and an instant pool's running
    /// parents (one per host, as Horizon keeps one per host and datastore).
    public internal(set) var replica: VM?
    public internal(set) var parents: [VM] = []
    public internal(set) var desktops: [VM] = []
    @exclusivity(unchecked) var states: [DesktopState] = []
    /// When each desktop starts (boot, or login for an instant clone).
    let startTimes: [SimTime]
    /// The progress (VDI.progress of the datastore) at which each desktop's phase ends.
    @exclusivity(unchecked) var phaseEnds: [Double] = []
    @exclusivity(unchecked) var phaseWork: [CPUWorkload?] = []
    /// Desktops in boot and in login, in the order they entered (their phases end in that
    /// order: same length, same datastore progress), from a head index.
    var bootQueue: [Int] = [], bootHead = 0
    var loginQueue: [Int] = [], loginHead = 0
    var nextStart = 0
    /// An instant pool waits for its replica before its parents boot and it forks.
    var forkPending = false
    public internal(set) var counts = [Int](repeating: 0, count: 5)
    /// Peaks over the run so far: I/O demand on its datastore (IOPS), latency (ms), the
    /// desktops' mean %RDY in a sample; when the last desktop reached steady.
    public internal(set) var peakIOPS = 0.0
    public internal(set) var peakLatencyMs = 0.0
    public internal(set) var peakReady = 0.0
    public internal(set) var readyNow = 0.0
    public internal(set) var maxReadyNow = 0.0
    public internal(set) var allSteadyAt: SimTime?
    public internal(set) var history: [PoolSample] = []
    /// Bytes full clones of the template would take (for the saving).
    public let fullCloneBytes: Int64

    init(spec: DesktopPoolSpec, datastore: Datastore, startTimes: [SimTime], fullCloneBytes: Int64) {
        name = spec.name
        kind = spec.kind
        tpsScope = spec.tpsScope
        pod = spec.pod
        profile = spec.profile
        template = spec.template
        self.datastore = datastore
        self.startTimes = startTimes
        self.fullCloneBytes = fullCloneBytes
    }

    public var description: String { "DesktopPool(\(name))" }
    public func count(_ s: DesktopState) -> Int { counts[Int(s.rawValue)] }
    public func state(of i: Int) -> DesktopState { states[i] }

    /// Bytes its disks take on their datastores: replica, parents and desktops.
    public var storage: Int64 {
        var total: Int64 = 0
        for vm in ([replica].compactMap { $0 } + parents + desktops) {
            for d in vm.disks { total += d.allocated }
        }
        return total
    }

    /// Per cent saved against full clones.
    public var saving: Double { fullCloneBytes > 0 ? 100 * (1 - Double(storage) / Double(fullCloneBytes)) : 0 }

    /// Guest memory its desktops hold in pages shared with other VMs (OS image pages
    /// found by TPS across VMs, or pages forked from an instant clone's parent).
    public var sharedAcross: Int64 {
        var pages: Int64 = 0
        for vm in desktops where vm.state == .on { pages += vm.guest.pages[.image, .shared] + (kind == .instant ? vm.guest.pages.count(rows: .zero, columns: ColumnSet(.shared)) : 0) }
        return pages * Units.pageSize
    }

    /// Machine memory its desktops consume.
    public var consumed: Int64 { desktops.reduce(0) { $0 + ($1.state == .on ? $1.consumed : 0) } }

    func move(_ i: Int, to s: DesktopState) {
        counts[Int(states[i].rawValue)] -= 1
        states[i] = s
        counts[Int(s.rawValue)] += 1
    }
}

/// One sample of a pool's morning, taken at each sample interval.
public struct PoolSample: Equatable, Sendable {
    public var time: SimTime
    /// I/O its datastore was asked for (all pools on it) and what it delivered, IOPS.
    public var demandIOPS: Double
    public var deliveredIOPS: Double
    public var latencyMs: Double
    public var booting: Int
    public var loggingIn: Int
    public var steady: Int
    /// Mean and largest %RDY of its powered-on desktops in the last sample interval.
    public var ready: Double
    public var maxReady: Double
}
