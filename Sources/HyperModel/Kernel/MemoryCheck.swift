/// What a run is checked against before it starts (Kernel/MemoryEstimate.swift): the
/// process's limit, probed at each check unless `limit` is set, and whether runs are
/// checked at all.
public final class MemoryCheck {
    /// The limit runs are checked against; nil (the default) probes the system
    /// (`MemoryLimit.probe()`). Set by tests, and by `lab.memory_limit` for an author
    /// who knows better (a machine whose probed limit is not the one that applies).
    public var limit: MemoryLimit?
    /// False: runs are never refused (`lab.memory_limit("none")`).
    public var enabled = true
    /// The last run that passed, and what its estimate depended on: `run_until` advances
    /// in steps, each checked for free after the check of its whole limit.
    var passed: (until: SimTime, key: [Int64])?

    init() {}
}

extension Datacenter {
    /// Throws when running to `t` would need more memory than the process may hold, with
    /// the figures and what to change; changes nothing. Called by `run(until:)` (and once
    /// for the whole limit by `lab.run_until`, before its steps).
    public func checkMemory(until t: SimTime) throws {
        let check = memoryCheck
        guard check.enabled else { return }
        let key = memoryKey
        if let p = check.passed, t <= p.until, p.key == key { return }
        let estimate = memoryEstimate(until: t)
        let limit = check.limit ?? MemoryLimit.probe()
        if estimate.atLeast > limit.bytes {
            throw ModelError(MemoryCheck.refusal(estimate, limit, statistics))
        }
        check.passed = (t, key)
    }

    /// What the estimate depends on besides time: O(kernels).
    private var memoryKey: [Int64] {
        [Int64(hosts.count), Int64(vms.count), Int64(containerRegistry.kernels.reduce(0) { $0 + $1.containers.count }),
         Int64(datastores.count), sampleInterval.micros, statistics.realtimeRetention?.micros ?? -1,
         memoryCheck.limit?.bytes ?? -1]
    }
}

extension MemoryCheck {
    /// "this run needs at least 5.4 GiB (100,000 VMs × 25 series × 180 samples of 20 s,
    /// and model state; up to 9 GiB if every sample differs), more than the 3.1 GiB
    /// available (MemAvailable): use ..."
    static func refusal(_ e: MemoryEstimate, _ limit: MemoryLimit, _ settings: StatisticsSettings) -> String {
        var what = "model state"
        var fewer = "fewer VMs"
        if let s = e.largest, s.bytes > 0 {
            what = "\(grouped(s.objects)) \(s.kind) × \(s.channels) series × \(grouped(s.samples)) samples of \(every(e.interval)), and model state"
            fewer = "fewer \(s.kind)"
        }
        var ways: [String] = []
        if settings.records {
            ways.append("lab.statistics_level(0)")
            if (settings.realtimeRetention?.micros ?? .max) > SimTime.seconds(Int64(3600)).micros {
                ways.append("lab.realtime_retention(\"1 h\")")
            }
            ways.append("a longer lab.sample_interval")
            if settings.realtimeRetention == nil { ways.append("a shorter run") }
        }
        ways.append(fewer)
        let list = ways.count == 1 ? ways[0] : ways.dropLast().joined(separator: ", ") + " or " + ways.last!
        let most = about(e.total) != about(e.atLeast) ? "; up to \(about(e.total)) if every sample differs from the one before" : ""
        return "this run needs at least \(about(e.atLeast)) (\(what)\(most)), more than the \(about(limit.bytes)) available (\(limit.source)): use \(list)"
    }

    /// "5.4 GiB", "850 MiB": figures that are estimates, with one decimal at most.
    static func about(_ bytes: Int64) -> String {
        let b = Double(bytes)
        if b >= Double(Units.GiB) { return Units.trim((b / Double(Units.GiB) * 10).rounded() / 10) + " GiB" }
        return Units.trim(max((b / Double(Units.MiB)).rounded(), 1)) + " MiB"
    }

    /// A sample interval as a lab sets it: "20 s", "5 min", "1 h".
    static func every(_ t: SimTime) -> String {
        let s = t.micros / 1_000_000
        guard s * 1_000_000 == t.micros, s > 0 else { return Units.trim(t.seconds) + " s" }
        if s % 3600 == 0 { return "\(s / 3600) h" }
        return s % 60 == 0 ? "\(s / 60) min" : "\(s) s"
    }

    /// 100000 → "100,000".
    static func grouped(_ n: Int) -> String {
        var s = String(n.magnitude), out = ""
        while s.count > 3 {
            out = "," + s.suffix(3) + out
            s.removeLast(3)
        }
        return (n < 0 ? "-" : "") + s + out
    }
}
