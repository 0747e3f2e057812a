/// A vApp (datacenter-facts §1.4, behaviour 47; vSphere "Edit vApp Start Order",
/// GUID-0FAB05D4; the API's `VAppEntityConfigInfo`): a resource pool — shares,
/// reservations, limits and admission control as any pool — whose VMs have a start
/// order. Members are in groups; `powerOn` starts group 1, then group 2 and so on, and
/// `powerOff` stops them in reverse order. Members of one group start (and stop) together.
///
/// Per member: a start action (power on, or none) and when its group may continue — after
/// its start delay, or as soon as VMware Tools run in its guest, at the latest after the
/// delay; a stop action (power off, guest shutdown, suspend or none) and a stop delay,
/// which, as in vSphere's API, only a guest shutdown waits for: the next group stops when
/// the guest is off or the delay has passed. Delays default to the vApp's `delay`, 120 s
/// [M]. When VMware Tools run is the guest's boot time (`VMSpec.bootSeconds`, VAppGuest.swift).
///
/// Every VM in the vApp's pool is a member: one that joins without settings (created
/// with `pool = app`, or moved in) is in group 1 with the defaults. Simplifications: a
/// vApp holds VMs only (no nested vApps or pools); a member's group continues on its
/// timing even if DRS (manual mode) only recommended a host for it.
public final class VApp {
    public enum State: String, CaseIterable, Sendable { case stopped, starting, started, stopping }

    public unowned(unsafe) let pool: ResourcePool
    /// The default start and stop delay of its members, seconds (120 s [M]).
    public let delay: Double
    public internal(set) var state = State.stopped
    var settings: [ObjectIdentifier: VAppMember] = [:]
    /// Bumped by each power-on and power-off: a pending step of an older sequence finds
    /// it changed and does nothing.
    var sequence = 0
    /// Members whose guest is shutting down for the current stop sequence.
    var shuttingDown: [VM] = []
    /// The current stop sequence has stopped its last group (a guest shutdown ending
    /// early must not mark the vApp stopped before the groups after it).
    var stopSequenceDone = false

    public static let defaultDelay = 120.0

    init(pool: ResourcePool, delay: Double) {
        self.pool = pool
        self.delay = delay
    }

    var datacenter: Datacenter { pool.datacenter }
    public var name: String { pool.name }
    public var description: String { "VApp(\(pool.name))" }

    /// A member's settings: those `add` gave it, else the defaults.
    public func member(_ vm: VM) -> VAppMember { settings[ObjectIdentifier(vm)] ?? VAppMember(delay: delay) }

    /// Every member with its settings, in start order (group, then the pool's order).
    public var order: [(vm: VM, member: VAppMember)] {
        pool.vms.enumerated().map { ($0.offset, $0.element, member($0.element)) }
            .sorted { $0.2.group != $1.2.group ? $0.2.group < $1.2.group : $0.0 < $1.0 }
            .map { ($0.1, $0.2) }
    }

    /// The groups in use, ascending.
    var groups: [Int] { Array(Set(pool.vms.map { member($0).group })).sorted() }

    /// Puts `vm` in the start order with `m` (moving it into the vApp's pool first when it
    /// is elsewhere in the tree, with admission control), or changes its settings. Checked
    /// whole first: nothing changes when it is refused.
    public func add(_ vm: VM, _ m: VAppMember) throws {
        let who = "\(description):add"
        try pool.requireUsable(who)
        try m.validate(who, vm)
        if vm.pool !== pool { try pool.move(vm) }
        settings[ObjectIdentifier(vm)] = m
        datacenter.log.record(datacenter.now, "vapp", description, "\(vm.name) in group \(m.group): \(m.summary)")
    }
}

/// A member's place in the start order (vSphere's `VAppEntityConfigInfo`).
public struct VAppMember: Equatable, Sendable {
    public enum StopAction: String, CaseIterable, Sendable {
        case powerOff = "power-off"
        case guestShutdown = "guest-shutdown"
        case suspend
        case none
    }

    /// 1 starts first; members of one group start together.
    public var group = 1
    /// Powered on by the vApp (vSphere's startAction powerOn), or left alone (none).
    public var powerOn = true
    /// Seconds its group waits after starting it before the next group starts.
    public var startDelay: Double
    /// The next group may start as soon as VMware Tools run in its guest (waitingForGuest).
    public var waitForTools = false
    public var stopAction = StopAction.powerOff
    /// Seconds the next group waits at most for its guest shutdown.
    public var stopDelay: Double

    public init(delay: Double = VApp.defaultDelay) {
        startDelay = delay
        stopDelay = delay
    }

    static let maxGroup = 100

    func validate(_ who: String, _ vm: VM) throws {
        guard (1...VAppMember.maxGroup).contains(group) else {
            throw ModelError("\(who): \(vm.name): group \(group) is not allowed (use 1 to \(VAppMember.maxGroup); group 1 starts first)")
        }
        for (field, v) in [("start_delay", startDelay), ("stop_delay", stopDelay)] where !(v.isFinite && v >= 0 && v <= 3600) {
            throw ModelError("\(who): \(vm.name): \(field) \(Units.trim(v)) s is not allowed (use 0 s to 1 h)")
        }
        if waitForTools && !vm.tools {
            throw ModelError("\(who): \(vm.name): start \"tools\" waits for VMware Tools, but the VM has none (tools = false); give a delay instead, e.g. start = \"60 s\"")
        }
        if stopAction == .guestShutdown && !vm.tools {
            throw ModelError("\(who): \(vm.name): stop \"guest-shutdown\" needs VMware Tools in the guest, but the VM has none (tools = false); use \"power-off\", \"suspend\" or \"none\"")
        }
    }

    var summary: String {
        let start = !powerOn ? "start none" : waitForTools ? "start when VMware Tools run (at most \(Units.formatSeconds(startDelay)))" : "start, then wait \(Units.formatSeconds(startDelay))"
        let stop = stopAction == .guestShutdown ? "stop guest-shutdown (wait at most \(Units.formatSeconds(stopDelay)))" : "stop \(stopAction.rawValue)"
        return "\(start); \(stop)"
    }
}

extension ResourcePool {
    /// `pool:create_vapp{...}`: a child vApp, with a pool's settings (checked and admitted
    /// as `create_pool`) and the default delay of its members.
    @discardableResult
    public func createVApp(name: String, cpu: PoolCPUSettings = PoolCPUSettings(), mem: PoolMemorySettings = PoolMemorySettings(),
                           delay: Double = VApp.defaultDelay) throws -> ResourcePool {
        let who = "\(description):create_vapp"
        guard delay.isFinite, delay >= 0, delay <= 3600 else {
            throw ModelError("\(who) \(name): delay \(Units.trim(delay)) s is not allowed (use 0 s to 1 h; the default start and stop delay of its members, 120 s)")
        }
        return try addChild(name: name, cpu: cpu, mem: mem, who: who, vapp: delay)
    }
}
