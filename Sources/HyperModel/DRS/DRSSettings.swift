/// DRS settings of a cluster (datacenter-facts §2.1–2.3, §6.3). Every default is the
/// reference's; values tagged [M] there are parameters here.
public struct DRSSettings: Sendable, Equatable {
    /// Cluster automation level (vim.cluster.DrsConfigInfo.DrsBehavior).
    public enum Automation: String, CaseIterable, Sendable {
        /// Placement and migrations are only recommended.
        case manual
        /// Placement is automatic, migrations are recommended.
        case partially
        /// Both are automatic.
        case fully
    }

    /// How the KB's `6 − ceil(LoadImbalanceMetric / 0.1 * sqrt(N))` is grouped (§8).
    public enum PriorityReading: String, CaseIterable, Sendable {
        /// `6 − ceil((LIM / 0.1) · √N)`, read left to right: the default.
        case a = "A"
        /// `6 − ceil(LIM / (0.1 · √N))`, the brief's reading: a profile.
        case b = "B"
    }

    /// How the engine decides what to move: vSphere ≤ 6.7's load-imbalance metric, or
    /// vSphere 7's VM DRS score (§2.7).
    public enum Model: String, CaseIterable, Sendable {
        case imbalance, score
    }

    /// What places VMs and balances: VMware's DRS, or CloudSim Plus's static-threshold
    /// consolidation (§6.2).
    public enum Placement: String, CaseIterable, Sendable {
        case drs
        case cloudsimStatic = "cloudsim-static"
    }

    public var automation = Automation.fully
    /// Migration threshold, 1 (conservative: mandatory moves only) to 5 (aggressive).
    public var threshold = 3
    /// Seconds between invocations (pollPeriodSec 300; 60 for the score model).
    public var interval = SimTime.seconds(Int64(300))
    public var reading = PriorityReading.a
    public var model = Model.imbalance
    public var placement = Placement.drs
    /// Load-balancing moves per host per invocation (pre-4.1 profile: 8).
    public var maxMovesPerHost = 8
    /// vSphere 4.1+: the cap follows observed migration times and the period.
    public var adaptiveMaxMoves = false
    /// Smallest imbalance reduction worth a move, as a drop of LIM × hosts/2 [M] (`DRS.balance`).
    public var minGoodness = 0.01
    /// How long a move's benefit is expected to last, for cost–benefit [M].
    public var stableTime = 300.0
    /// The CostBenefit filter (KB 1017291 turns it off by setting it to 0).
    public var costBenefit = true
    /// Bytes/s of the vMotion link (10 GbE).
    public var vmotionBandwidth = 1.25e9
    /// Concurrent vMotions per host: 4 on 1 GbE, 8 on 10 GbE; nil = from the link speed.
    public var concurrentPerHost: Int?
    /// CloudSim-compatible thresholds (host CPU utilisation, 0–1).
    public var overThreshold = 0.9
    public var underThreshold = 0.35

    public init() {}

    /// Limits of vMotions running at once on one host, from the link (Denneman
    /// 2010/08/27): 8 at 10 Gb/s and above, 4 below.
    public var vmotionsPerHost: Int {
        if let c = concurrentPerHost { return c }
        return vmotionBandwidth >= 1.25e9 * 0.999 ? 8 : 4
    }

    /// The CPU a vMotion reserves on each of its hosts while it runs, as a fraction of
    /// one core: 30 % on 1 GbE, 100 % on 10 GbE (vSphere 5 vMotion best practices) [M].
    public var vmotionCPUCores: Double { vmotionBandwidth >= 1.25e9 * 0.999 ? 1.0 : 0.3 }

    /// Checks every field; the message names the field, the value and what is allowed.
    func validate(_ who: String) throws {
        guard (1...5).contains(threshold) else {
            throw ModelError("\(who): threshold \(threshold) is not allowed (use 1 (conservative, mandatory moves only) to 5 (aggressive))")
        }
        guard interval >= .seconds(Int64(10)), interval <= .seconds(Int64(86_400)) else {
            throw ModelError("\(who): interval \(interval) is not allowed (use 10 s to 1 day; vCenter runs DRS every 5 min)")
        }
        guard (1...1000).contains(maxMovesPerHost) else {
            throw ModelError("\(who): max_moves_per_host \(maxMovesPerHost) is not allowed (use 1 to 1000)")
        }
        guard minGoodness.isFinite, minGoodness >= 0, minGoodness < 1 else {
            throw ModelError("\(who): min_goodness \(Units.trim(minGoodness)) is not allowed (use 0 up to 1, a drop of the load imbalance × hosts / 2)")
        }
        guard stableTime.isFinite, stableTime >= 0, stableTime <= 86_400 else {
            throw ModelError("\(who): stable_time \(Units.formatSeconds(stableTime)) is not allowed (use 0 s to 1 day)")
        }
        guard vmotionBandwidth.isFinite, vmotionBandwidth >= 1e6, vmotionBandwidth <= 1e11 else {
            throw ModelError("\(who): vmotion_bandwidth \(Units.trim(vmotionBandwidth)) bytes/s is not allowed (use 1 MB/s to 100 GB/s)")
        }
        if let c = concurrentPerHost, !(1...64).contains(c) {
            throw ModelError("\(who): concurrent_vmotions \(c) is not allowed (use 1 to 64)")
        }
        guard overThreshold > 0, overThreshold <= 1, underThreshold >= 0, underThreshold < overThreshold else {
            throw ModelError("\(who): over \(Units.trim(overThreshold)) and under \(Units.trim(underThreshold)) are not allowed (use 0 ≤ under < over ≤ 1, host CPU utilisation)")
        }
    }
}

/// A VM's own DRS automation level, overriding its cluster's.
public enum VMAutomation: String, CaseIterable, Sendable {
    case fully, partially, manual
    /// The cluster's level.
    case `default`
    /// Powers on on its registered host and is never moved; its load still counts.
    case disabled
}

/// Why DRS moves a VM: vSphere's DrsRecommendationReasonCode values.
public enum DRSReason: String, CaseIterable, Sendable {
    case fairnessCpuAvg, fairnessMemAvg, jointAffin, antiAffin, hostMaint
    /// Entering standby (DPM), as vSphere's `powerSaving`/`hostMaint` family.
    case hostStandby
    /// Initial placement at power-on.
    case powerOn
    /// A required VM-host rule ("must (not) run on") is repaired.
    case vmHostHardAffinity
    /// A preferential VM-host rule ("should (not) run on") is repaired.
    case vmHostSoftAffinity
    /// A policy written by a student chose it.
    case policy
    /// CloudSim-compatible consolidation: a host above the over-utilisation threshold.
    case hostOverloaded
    /// CloudSim-compatible consolidation: a host below the under-utilisation threshold.
    case hostUnderloaded
}
