import Foundation

/// Which cgroup hierarchy a Linux kernel mounts: the unified v2 hierarchy (the default,
/// datacenter-facts §4.2) or the legacy v1 controllers (a profile).
public enum CgroupVersion: String, CaseIterable, Sendable {
    case v2, v1
}

/// How a v1 `cpu.shares` value becomes a v2 `cpu.weight` when a runtime is given shares on
/// a v2 kernel (`docker run --cpu-shares` on cgroup v2). datacenter-facts §4.2, §8.
public enum SharesConversion: String, CaseIterable, Sendable {
    /// opencontainers/cgroups' newer log-quadratic fit: 2 → 1, 1024 → 100, 262144 → 10000.
    case log
    /// runc's older linear map `1 + (shares − 2)·9999/262142`: 1024 → 39.
    case linear

    /// `ConvertCPUSharesToCgroupV2Value` of the chosen runtime.
    public func weight(shares: Int) -> Int {
        switch self {
        case .linear:
            return 1 + ((shares - 2) * 9999) / 262_142
        case .log:
            if shares <= 2 { return 1 }
            if shares >= 262_144 { return 10_000 }
            let l = log2(Double(shares))
            let exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0
            return Int(pow(10, exponent).rounded(.up))
        }
    }
}

/// The CPU controller of one container's cgroup, in the kernel's own terms.
public struct CPUControl: Equatable, Sendable {
    /// The relative weight the scheduler divides contended CPU by: `cpu.weight` on v2
    /// (1–10000, default 100), `cpu.shares` on v1 (2–262144, default 1024).
    public var weight = 100
    /// `cpu.max` quota per period in µs (v1 `cfs_quota_us`); nil = "max" (no quota).
    public var quota: Int64?
    /// `cpu.max` period in µs (v1 `cfs_period_us`), 1 ms to 1 s, default 100 ms.
    public var period: Int64 = 100_000
    /// `cpuset.cpus`: the CPUs (of the node, or vCPUs of a guest) the tasks may run on.
    public var cpuset: [Int]?

    public init() {}

    /// The quota as a number of CPUs (quota ÷ period), or nil.
    public var capCPUs: Double? { quota.map { Double($0) / Double(period) } }

    /// "max 100000" or "50000 100000", as `cat cpu.max` prints it.
    public var maxText: String { "\(quota.map(String.init) ?? "max") \(period)" }
}

/// The memory controller of one container's cgroup (cgroup-v2.rst names; v1 equivalents
/// in `DockerOptions`). nil = "max".
public struct MemoryControl: Equatable, Sendable {
    /// `memory.max`: the hard limit; above it the cgroup reclaims, swaps if allowed, then
    /// the OOM killer runs inside the cgroup.
    public var max: Int64?
    /// `memory.high`: above it the cgroup is throttled and reclaimed, never OOM-killed.
    public var high: Int64?
    /// `memory.swap.max`: swap the cgroup may use (nil = max; 0 = none).
    public var swapMax: Int64?

    public init() {}
}

/// The counters of `memory.events` (cgroup-v2.rst): how often each boundary was met.
public struct MemoryEvents: Equatable, Sendable {
    public var low: Int64 = 0
    public var high: Int64 = 0
    public var max: Int64 = 0
    public var oom: Int64 = 0
    public var oomKill: Int64 = 0
}

/// `cpu.stat` (cgroup-v2.rst, sched-bwc.rst): usage and, with a quota, its periods.
public struct CPUStat: Equatable, Sendable {
    /// CPU time used, µs.
    public var usageUsec: Int64 = 0
    /// Quota periods that elapsed while the group had runnable tasks.
    public var nrPeriods: Int64 = 0
    /// Periods in which it used its whole quota and was throttled to the period's end.
    public var nrThrottled: Int64 = 0
    /// Time its run queues spent throttled, summed over CPUs (the kernel adds each
    /// per-CPU run queue's throttled time), µs.
    public var throttledUsec: Int64 = 0
}

/// Linux namespaces (namespaces(7); datacenter-facts §4.1).
public enum Namespaces {
    public static let all = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"]
    /// What `docker run` unshares by default: no user namespace (userns-remap is off), no
    /// time namespace; a private cgroup namespace on cgroup v2 only (Docker's
    /// `--cgroupns` default is "private" on v2, "host" on v1).
    public static func dockerDefault(_ v: CgroupVersion) -> [String] {
        v == .v2 ? ["cgroup", "ipc", "mnt", "net", "pid", "uts"] : ["ipc", "mnt", "net", "pid", "uts"]
    }
}
