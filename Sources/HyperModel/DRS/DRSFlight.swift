/// DRS moves as real vMotions (datacenter-facts §2.3, model-facts §4.1): at most
/// `vmotionsPerHost` run at once on a host (4 on 1 GbE, 8 on 10 GbE); the others wait
/// for a slot, in the order they were decided. A vMotion shares its hosts' link: it gets
/// the link's bandwidth divided by the vMotions running on the busier of its two hosts
/// when it starts [M], and takes `vmotionCPUCores` of a core on each host as host work
/// while it runs, so it costs CPU and time as the migration model computes them. The
/// host work of a host's vMotions is one workload of one thread per vMotion, set again
/// once per pass (and when one ends), not once per move.
struct DRSFlight {
    final class Running {
        let move: DRSMove
        let migration: Migration
        init(move: DRSMove, migration: Migration) {
            self.move = move
            self.migration = migration
        }
    }

    /// Indexed by the token of their completion event (nil once finished).
    var running: [Running?] = []
    var waiting: [DRSMove] = []
    var active: [ObjectIdentifier: Int] = [:]
    /// Each host's vMotion work, and the hosts whose work must be set again.
    var work: [ObjectIdentifier: CPUWorkload] = [:]
    var stale: [Host] = []
    var observedSeconds = 0.0
    var observedCount = 0

    func count(on h: Host) -> Int { active[ObjectIdentifier(h)] ?? 0 }
    func isQueued(_ v: VM) -> Bool { waiting.contains { $0.vm === v } }
}

/// What became of a move that was asked for.
public enum DRSOutcome {
    case started(Migration)
    /// Waiting for a vMotion slot on one of its hosts.
    case queued
    /// Shown as a recommendation: the VM's or the cluster's level does not execute it.
    case recommended(DRSRecommendation)
}

extension DRS {
    /// Runs `move` now, or queues it when a host has no free vMotion slot.
    @discardableResult
    func execute(_ move: DRSMove) -> DRSOutcome {
        let limit = settings.placement == .cloudsimStatic ? Int.max : settings.vmotionsPerHost
        if flight.count(on: move.from) < limit && flight.count(on: move.to) < limit, let m = start(move) {
            return .started(m)
        }
        if move.vm.isMigrating { return .queued }
        flight.waiting.append(move)
        datacenter.log.record(now, "drs.migrate", move.vm.description,
                              "priority \(move.priority), \(move.reason.rawValue): \(move.from.name) → \(move.to.name) waits for a vMotion slot (\(limit) per host)")
        return .queued
    }

    /// Starts the vMotion; nil (logged) when the move no longer holds.
    private func start(_ move: DRSMove) -> Migration? {
        let v = move.vm
        guard v.state == .on, v.host === move.from, !v.isMigrating else {
            datacenter.log.record(now, "drs.migrate", v.description, "dropped: \(move.from.name) → \(move.to.name) no longer applies (the VM is \(v.state.rawValue) on \(v.host.name)\(v.isMigrating ? ", migrating" : ""))")
            return nil
        }
        if let why = ineligibility(of: move.to) {
            datacenter.log.record(now, "drs.migrate", v.description, "dropped: \(move.to.name) is not eligible (\(why))")
            return nil
        }
        let cloudsim = settings.placement == .cloudsimStatic
        let sharing = max(flight.count(on: move.from), flight.count(on: move.to)) + 1
        let bandwidth = cloudsim ? cloudsimBandwidth : settings.vmotionBandwidth / Double(sharing)
        let m: Migration
        do {
            m = try v.migrate(to: move.to, engine: .vmotion, bandwidth: bandwidth)
        } catch {
            datacenter.log.record(now, "drs.migrate", v.description, "not started: \(error)")
            return nil
        }
        let r = DRSFlight.Running(move: move, migration: m)
        for h in [move.from, move.to] {
            flight.active[ObjectIdentifier(h), default: 0] += 1
            if !cloudsim && !flight.stale.contains(where: { $0 === h }) { flight.stale.append(h) }
        }
        let token = Int64(flight.running.count)
        flight.running.append(r)
        if id < 0 { id = datacenter.sim.register(self) }
        // after the switchover of the same instant (the migration clock fires at model priority)
        datacenter.sim.schedule(id, at: now + .seconds(m.total), priority: EventPriority.model + 1, token: token)
        let lims = !move.before.isFinite ? "" : move.after.isNaN
            ? " (imbalance \(DRS.sd(move.before)), target \(DRS.sd(targetImbalance)))"
            : " (imbalance \(DRS.sd(move.before)) → \(DRS.sd(move.after)), target \(DRS.sd(targetImbalance)))"
        datacenter.log.record(now, "drs.migrate", v.description,
                              "priority \(move.priority), \(move.reason.rawValue): \(move.from.name) → \(move.to.name)\(lims); vMotion of \(Units.formatBytes(v.memory)) at \(Units.formatBytes(Int64(bandwidth)))/s takes \(Units.formatSeconds(m.total))")
        return m
    }

    /// A vMotion ended: its slots and CPU are released and waiting moves start.
    func finished(_ token: Int64) {
        guard let r = flight.running[Int(token)] else { return }
        flight.running[Int(token)] = nil
        for h in [r.move.from, r.move.to] {
            flight.active[ObjectIdentifier(h), default: 1] -= 1
            if !flight.stale.contains(where: { $0 === h }) { flight.stale.append(h) }
        }
        flight.observedSeconds += r.migration.total
        flight.observedCount += 1
        startWaiting()
        syncVMotionWork()
    }

    /// Sets each changed host's vMotion work to one thread per vMotion running there.
    func syncVMotionWork() {
        let cores = min(1, settings.vmotionCPUCores)
        for h in flight.stale {
            let key = ObjectIdentifier(h)
            if let w = flight.work[key], w.isRunning { try? h.stop(w) }
            flight.work[key] = nil
            let n = flight.count(on: h)
            guard n > 0, !h.failed, let w = try? CPUWorkload(threads: n, load: cores) else { continue }
            if (try? h.run(w)) != nil { flight.work[key] = w }
        }
        flight.stale.removeAll()
    }

    func startWaiting() {
        let limit = settings.placement == .cloudsimStatic ? Int.max : settings.vmotionsPerHost
        var i = 0
        while i < flight.waiting.count {
            let m = flight.waiting[i]
            if flight.count(on: m.from) < limit && flight.count(on: m.to) < limit {
                flight.waiting.remove(at: i)
                _ = start(m)
            } else {
                i += 1
            }
        }
    }

    /// Moves in flight or waiting, for tests and the lab.
    public var movesInFlight: Int { flight.running.reduce(0) { $0 + ($1 == nil ? 0 : 1) } + flight.waiting.count }
}
