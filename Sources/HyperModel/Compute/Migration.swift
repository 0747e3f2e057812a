/// Live migration by iterative pre-copy (model-facts §4.1–4.2): round 0 sends the VM's
/// memory, each later round resends what the guest dirtied meanwhile (at most its
/// writable working set), until what is left fits the downtime limit; then the VM stops,
/// the rest is sent and it resumes on the destination.
///
/// Four engines: vMotion (SDPS slows the vCPUs when the guest dirties faster than the
/// link sends); QEMU (switch over below bandwidth × downtime-limit; auto-converge as in
/// migration/ram.c: after two passes whose dirtied bytes exceed 50 % of what they sent,
/// throttle `cpu-throttle-initial` 20 %, then +`cpu-throttle-increment` 10 % after each
/// two more such passes, up to `max-cpu-throttle` 99 %); Xen's migration v2 (xg_sr_save.c's
/// simple_precopy_policy: at most 5 live iterations, the first included, fewer once under
/// 50 pages are dirty), the xen profile's default; and Xen's legacy xc_domain_save
/// (DEF_MAX_ITERS 29 live passes, the 30th the suspended copy; or 3× the memory sent, or a
/// pass sending fewer than 50 pages).
public enum MigrationEngine: String, CaseIterable, Sendable {
    case vmotion, qemu, xen
    case xenLegacy = "xen-legacy"
}

/// QEMU's auto-converge parameters (`migrate-set-parameters`), as fractions.
public struct AutoConverge: Sendable, Equatable {
    /// `cpu-throttle-initial` (20 %).
    public var initial = 0.2
    /// `cpu-throttle-increment` (10 %).
    public var increment = 0.1
    /// `max-cpu-throttle` (99 %).
    public var maximum = 0.99
    /// `throttle-trigger-threshold`: a pass is "high" when it dirtied more than this share
    /// of what it sent (50 %).
    public var trigger = 0.5
    public init() {}
}

public final class Migration {
    public struct Round: Sendable, Equatable {
        public var sent: Int64
        public var seconds: Double
        /// Dirtied while it was sent: what the next round must resend.
        public var dirtied: Int64
        /// The guest's throttle during the round (SDPS or auto-converge), 0 to 0.99.
        public var throttle: Double
    }

    public unowned(unsafe) let vm: VM
    public unowned(unsafe) let source: Host
    public unowned(unsafe) let destination: Host
    public let engine: MigrationEngine
    /// Link bandwidth, bytes/s.
    public let bandwidth: Double
    public let downtimeLimit: Double
    public let autoConverge: AutoConverge
    public private(set) var rounds: [Round] = []
    /// The stop-and-copy: what was left, sent with the VM stopped.
    public private(set) var downtime = 0.0
    public private(set) var total = 0.0
    public private(set) var converged = true
    public private(set) var reason = ""
    public internal(set) var done = false
    public let started: SimTime

    init(vm: VM, to destination: Host, engine: MigrationEngine, bandwidth: Double, downtimeLimit: Double,
         autoConverge: AutoConverge = AutoConverge()) {
        self.vm = vm
        self.autoConverge = autoConverge
        self.source = vm.host
        self.destination = destination
        self.engine = engine
        self.bandwidth = bandwidth
        self.downtimeLimit = downtimeLimit
        self.started = vm.host.datacenter.now
        plan(memory: vm.memory, dirtyRate: vm.dirtyRate, writableSet: vm.writableWorkingSet)
    }

    /// The rounds, computed at the start from the guest's dirty rate and writable
    /// working set (both constant while the migration runs [M]).
    private func plan(memory m: Int64, dirtyRate r: Double, writableSet wws: Int64) {
        let b = bandwidth
        let threshold = b * downtimeLimit
        let pages = { (bytes: Double) in bytes / Double(Units.pageSize) }
        var pending = Double(m)
        var throttle = 0.0
        var sentTotal = 0.0
        var high = 0   // QEMU: dirty_rate_high_cnt, passes that dirtied more than the trigger
        let ac = autoConverge
        for i in 0..<100 {
            let seconds = pending / b
            let rate = r * (1 - throttle)
            let dirtied = min(Double(wws), rate * seconds)
            rounds.append(Round(sent: Int64(pending), seconds: seconds, dirtied: Int64(dirtied), throttle: throttle))
            sentTotal += pending
            let previous = pending
            pending = dirtied
            switch engine {
            case .qemu:
                if pending <= threshold { reason = "the rest fits the \(Units.trim(downtimeLimit * 1000)) ms downtime limit"; break }
                // migration_trigger_throttle: the second high pass starts or raises the
                // throttle, and the count starts again
                if pending > previous * ac.trigger {
                    high += 1
                    if high >= 2 {
                        high = 0
                        throttle = throttle == 0 ? ac.initial : min(ac.maximum, throttle + ac.increment)
                    }
                }
                continue
            case .vmotion:
                if pending <= threshold { reason = "the rest fits the \(Units.trim(downtimeLimit * 1000)) ms switchover target"; break }
                // SDPS: tiny vCPU sleeps so the guest dirties no faster than the link sends
                if rate >= b * 0.9 { throttle = min(0.99, 1 - b * 0.8 / r) }
                continue
            case .xen:
                if pages(pending) < 50 { reason = "fewer than 50 pages were left to send"; break }
                if i + 1 >= 5 { reason = "5 live iterations were sent"; converged = false; break }
                continue
            case .xenLegacy:
                if pages(pending) < 50 { reason = "fewer than 50 pages were left to send"; break }
                if i + 1 >= 29 { reason = "29 live passes were sent"; converged = false; break }
                if sentTotal >= 3 * Double(m) { reason = "3× the domain's memory was sent"; converged = false; break }
                continue
            }
            break
        }
        if reason.isEmpty { reason = "pre-copy gave up after 100 rounds"; converged = false }
        downtime = pending / b
        total = rounds.reduce(0) { $0 + $1.seconds } + downtime
        if engine != .xen && engine != .xenLegacy && pending > threshold { converged = false }
    }
}

extension VM {
    /// Bytes per second the guest dirties: its memory workloads' `dirty` rates, plus what
    /// they are still allocating.
    public var dirtyRate: Double {
        workloads.compactMap { $0 as? MemoryWorkload }.filter(\.isRunning).reduce(0) { total, w in
            total + w.dirty + (w.isAllocating ? w.rate : 0)
        }
    }

    /// The pages the guest keeps rewriting: the active sets of its dirtying workloads.
    public var writableWorkingSet: Int64 {
        let set = workloads.compactMap { $0 as? MemoryWorkload }.filter { $0.isRunning && ($0.dirty > 0 || $0.isAllocating) }
            .reduce(Int64(0)) { $0 + max($1.active, $1.isAllocating ? $1.size : 0) }
        return min(set, memory)
    }

    /// Migrates the running VM to `target` while it runs; it switches over when the
    /// pre-copy ends. Refused for pass-through devices, without shared storage, or when
    /// the destination cannot admit it.
    @discardableResult
    public func migrate(to target: Host, engine: MigrationEngine? = nil, bandwidth: Double = Double(Units.GiB),
                        downtimeLimit: Double = 0.3, autoConverge: AutoConverge = AutoConverge()) throws -> Migration {
        let who = "migrate: \(description)"
        guard state == .on else { throw ModelError("\(who) is \(state.rawValue); live migration moves a running VM (power it on, or register it elsewhere)") }
        guard target !== host else { throw ModelError("\(who) already runs on \(host.name)") }
        guard migration == nil || migration!.done else { throw ModelError("\(who) is already migrating to \(migration!.destination.name)") }
        try refusePassthroughDevices("vMotion")
        guard bandwidth > 0, bandwidth.isFinite else { throw ModelError("\(who): bandwidth must be more than 0 bytes/s") }
        guard downtimeLimit > 0, downtimeLimit <= 10 else { throw ModelError("\(who): downtime limit \(Units.trim(downtimeLimit)) s is not allowed (use more than 0 up to 10 s)") }
        for d in disks where !target.datastores.contains(where: { $0 === d.datastore }) {
            throw ModelError("\(who): \(target.name) does not mount \(d.datastore.name), where \(d.name).vmdk lives; live migration needs shared storage")
        }
        if let refusal = Admission.refusal(for: self, on: target) {
            throw ModelError("\(who): \(target.name) cannot admit it: \(refusal)")
        }
        if let refusal = cpuRefusal(on: target) {
            datacenter.log.record(now, "evc", description, "vMotion to \(target.name) refused: \(refusal)")
            throw ModelError("\(who): \(refusal)")
        }
        let kind = engine ?? (host.memory.settings.profile == .xen ? .xen : host.memory.settings.profile == .kvm ? .qemu : .vmotion)
        let ac = autoConverge
        guard ac.initial > 0, ac.initial <= ac.maximum, ac.increment > 0, ac.maximum < 1, ac.increment <= 1 else {
            throw ModelError("\(who): auto-converge throttles must be 1 to 99 %, the initial one at most the maximum")
        }
        let m = Migration(vm: self, to: target, engine: kind, bandwidth: bandwidth, downtimeLimit: downtimeLimit, autoConverge: ac)
        migration = m
        datacenter.log.record(now, "vm.migrate", description,
                              "\(kind.rawValue) to \(target.name): \(Units.formatBytes(memory)) over \(Units.formatBytes(Int64(bandwidth)))/s, guest dirtying \(Units.formatBytes(Int64(dirtyRate)))/s; \(m.rounds.count) pre-copy round\(m.rounds.count == 1 ? "" : "s"), \(m.reason), downtime \(Units.trim((m.downtime * 1000).rounded())) ms")
        datacenter.migrations.schedule(m, at: now + .seconds(m.total))
        return m
    }

    /// The switchover: the VM stops on the source and resumes on the destination.
    func switchOver(_ m: Migration) {
        guard state == .on else {
            m.done = true
            datacenter.log.record(now, "vm.migrate", description, "abandoned: the VM is \(state.rawValue)")
            return
        }
        // a VM joining another pool tree is admitted by its reservations at the switch-over
        // too: the target's pools may have reserved more during the pre-copy
        if let why = poolAdmissionRefusal(on: m.destination) {
            m.done = true
            datacenter.log.record(now, "admission", description, "switch-over to \(m.destination.name) refused: \(why)")
            datacenter.log.record(now, "vm.migrate", description, "abandoned at the switch-over: \(m.destination.name)'s pool tree cannot admit it; it keeps running on \(host.name)")
            return
        }
        releaseCPU()
        host.memory.deleteSwapFile(of: self)
        host.memory.detach(self, keepGuest: true)
        host.vms.removeAll { $0 === self }
        host = m.destination
        host.vms.append(self)
        followHostIntoPoolTree()
        host.cpu.attach(self, at: now)
        host.memory.attach(self, resuming: true)
        host.memory.createSwapFile(for: self)
        host.cpu.refreshWorkloads(of: self, at: now)
        m.done = true
        datacenter.log.record(now, "vm.migrate", description,
                              "switched over to \(host.name) after \(Units.formatSeconds(m.total)): \(Units.formatBytes(Int64(m.downtime * m.bandwidth))) sent while stopped (\(Units.trim((m.downtime * 1000).rounded())) ms)\(m.converged ? "" : "; pre-copy did not converge")")
        m.source.vmLeft()
    }
}

/// Fires switchovers at their times.
final class MigrationClock: SimProcess {
    unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    private var pending: [(Int64, Migration)] = []

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    func schedule(_ m: Migration, at t: SimTime) {
        if id < 0 { id = datacenter.sim.register(self) }
        pending.append((t.micros, m))
        datacenter.sim.schedule(id, at: t, token: Int64(pending.count - 1))
    }

    func fire(token: Int64, sim: Simulation) {
        let m = pending[Int(token)].1
        guard !m.done else { return }
        m.vm.switchOver(m)
    }
}
