/// DPM settings of a cluster (datacenter-facts §2.6, §6.3; KB 310527). Defaults are the
/// reference's: DemandCapacityRatioTarget 63 %, DemandCapacityRatioToleranceHost 18 %
/// (band 45–81 %), 5 min window for power-on, 40 min for power-off, threshold 3.
public struct DPMSettings: Sendable, Equatable {
    /// DPM's automation level (independent of DRS's).
    public enum Automation: String, CaseIterable, Sendable {
        /// Power changes are only recommended (`c.dpm.recommendations`).
        case manual
        /// DPM powers hosts off and on itself.
        case automatic
        /// DPM watches but neither acts nor recommends.
        case off
    }

    /// Target utilisation of the powered-on hosts, % (DemandCapacityRatioTarget).
    public var target = 63.0
    /// Half-width of the band around the target, % (DemandCapacityRatioToleranceHost).
    public var tolerance = 18.0
    public var automation = Automation.automatic
    /// 1 (conservative: only power-ons HA needs) to 5 (aggressive) [M: the grading of
    /// recommendations by priority is the engine's, see `DPM.evaluate`].
    public var threshold = 3
    /// Demand window for power-on decisions, seconds.
    public var onWindow = 300.0
    /// Demand window for power-off decisions, seconds.
    public var offWindow = 2400.0
    /// Seconds a host takes to boot out of standby [M].
    public var boot = 300.0
    /// Hosts DPM never puts in standby (vSphere's per-host override "Disabled").
    public var excluded: [HostRef] = []

    public struct HostRef: @unchecked Sendable, Equatable {
        public unowned(unsafe) let host: Host
        public init(_ host: Host) { self.host = host }
        public static func == (a: HostRef, b: HostRef) -> Bool { a.host === b.host }
    }

    public init() {}

    /// Utilisation below which hosts are powered off, %.
    public var low: Double { target - tolerance }
    /// Utilisation above which hosts are powered on, %.
    public var high: Double { target + tolerance }

    /// "5 min", "40 min", "90 s", "1 h": a duration as a lab would write it.
    static func span(_ s: Double) -> String {
        if s >= 3600, s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600)) h" }
        if s >= 60, s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60)) min" }
        return "\(Units.trim(s)) s"
    }

    /// Checks every field; the message names the field, the value and what is allowed.
    func validate(_ who: String, cluster: Cluster) throws {
        guard target.isFinite, target > 0, target < 100 else {
            throw ModelError("\(who): target \(Units.trim(target)) % is not allowed (use more than 0 and less than 100 %, e.g. 63)")
        }
        guard tolerance.isFinite, tolerance > 0, tolerance < 50 else {
            throw ModelError("\(who): tolerance \(Units.trim(tolerance)) % is not allowed (use more than 0 and less than 50 %, e.g. 18)")
        }
        guard low >= 0, high <= 100 else {
            throw ModelError("\(who): target \(Units.trim(target)) % ± tolerance \(Units.trim(tolerance)) % makes the band \(Units.trim(low))–\(Units.trim(high)) %, which must stay inside 0–100 % (target − tolerance ≥ 0, target + tolerance ≤ 100)")
        }
        guard (1...5).contains(threshold) else {
            throw ModelError("\(who): threshold \(threshold) is not allowed (use 1 (conservative: only power-ons HA needs) to 5 (aggressive))")
        }
        for (field, v) in [("power_on_window", onWindow), ("power_off_window", offWindow)] {
            guard v.isFinite, v >= 20, v <= 86_400 else {
                throw ModelError("\(who): \(field) \(DPMSettings.span(v)) is not allowed (use 20 s to 1 day; vSphere uses 5 min for power-on, 40 min for power-off)")
            }
        }
        guard boot.isFinite, boot >= 0, boot <= 3600 else {
            throw ModelError("\(who): boot \(DPMSettings.span(boot)) is not allowed (use 0 s to 1 h)")
        }
        for r in excluded where r.host.clusterMembership !== cluster {
            throw ModelError("\(who): exclude: \(r.host.name) is not in cluster \(cluster.name)")
        }
    }
}

/// A power change DPM recommends (manual automation), or made (automatic).
public struct DPMRecommendation: Sendable {
    public enum Action: String, Sendable {
        case standby
        case powerOn = "power-on"
    }

    public let id: Int
    public let host: DPMSettings.HostRef
    public let action: Action
    /// 1 (HA needs it) to 5.
    public let priority: Int
    public let reason: String
}
