/// The reclaimers a lab can tune (`h.reclaim.tps`, `.balloon`, `.compression`, `.swap`)
/// and the host-wide settings (`h.reclaim`), each parameter declared once with its
/// range and its ESX/Linux name, so that the model checks every change the same way and
/// the Lua bindings and their documentation are generated from this table.
public enum Reclaimer: String, CaseIterable, Sendable {
    case host, tps, balloon, compression, swap
}

public struct ReclaimParameter: Sendable {
    public enum Kind: Sendable { case flag, integer, percent, rate, duration, fraction }

    public let reclaimer: Reclaimer
    /// The Lua name, e.g. "salting".
    public let name: String
    public let kind: Kind
    public let range: ClosedRange<Double>
    /// What the ESXi advanced setting or Linux/Xen knob is called, with the meaning.
    public let doc: String
    /// Only while no VM on the host is powered on (it changes how pages are backed).
    public let whileOff: Bool
    /// nil when the parameter applies to every mode of its reclaimer.
    let modes: Set<String>?
    let read: @Sendable (ReclaimSettings) -> Double
    let write: @Sendable (ReclaimSettings, Double) -> Void

    public func value(_ s: ReclaimSettings) -> Double { read(s) }

    /// Whether the host's profile has this parameter (KSM has no salting, ESX's cache no
    /// zswap pool...).
    public func applies(to s: ReclaimSettings) -> Bool {
        guard let modes else { return true }
        switch reclaimer {
        case .tps: return modes.contains(s.sharing.mode.rawValue)
        case .compression: return modes.contains(s.compression.mode.rawValue)
        case .swap: return modes.contains(s.swap.mode.rawValue)
        case .host, .balloon: return true
        }
    }

    public var rangeText: String {
        func show(_ v: Double) -> String {
            switch kind {
            case .flag: return v == 0 ? "false" : "true"
            case .duration: return SimTime.seconds(v).description
            case .rate: return Units.formatBytes(Int64(v)) + "/s"
            case .percent: return "\(Units.trim(v)) %"
            case .integer, .fraction: return Units.trim(v)
            }
        }
        return kind == .flag ? "true or false" : "\(show(range.lowerBound)) to \(show(range.upperBound))"
    }

    public static let all: [ReclaimParameter] = host + tps + balloon + compression + swap

    public static func named(_ reclaimer: Reclaimer, _ name: String) -> ReclaimParameter? {
        all.first { $0.reclaimer == reclaimer && $0.name == name }
    }

    static func p(_ r: Reclaimer, _ name: String, _ kind: Kind, _ range: ClosedRange<Double>, _ doc: String,
                  whileOff: Bool = false, modes: Set<String>? = nil,
                  _ read: @escaping @Sendable (ReclaimSettings) -> Double,
                  _ write: @escaping @Sendable (ReclaimSettings, Double) -> Void) -> ReclaimParameter {
        ReclaimParameter(reclaimer: r, name: name, kind: kind, range: range, doc: doc, whileOff: whileOff,
                         modes: modes, read: read, write: write)
    }

    static let host: [ReclaimParameter] = [
        p(.host, "idle_tax", .percent, 0...99, "`Mem.IdleTax`: the idle memory tax τ in % (default 75).",
          { $0.idleTax * 100 }, { $0.idleTax = $1 / 100 }),
        p(.host, "min_free_percent", .percent, 0...50,
          "ESX ≤ 4.1's fixed `Mem.MinFreePct`; 0 restores the vSphere 5+ sliding scale (default).",
          { $0.minFreePercent ?? 0 }, { $0.minFreePercent = $1 == 0 ? nil : $1 }),
        p(.host, "hysteresis", .percent, 0...50,
          "How far above a state's edge free memory must climb before the host leaves it upward, in % of the edge (default 5).",
          { $0.machine.hysteresis * 100 }, { $0.machine.hysteresis = $1 / 100 }),
        p(.host, "dwell", .duration, 0...600, "The least time in a state before leaving it upward (default 15 s).",
          { $0.machine.dwell.seconds }, { $0.machine.dwell = .seconds($1) }),
        p(.host, "balance_period", .duration, 1...600, "`Mem.BalancePeriod`: how often allocation targets are recomputed (default 15 s).",
          { $0.balancePeriod.seconds }, { $0.balancePeriod = .seconds($1) }),
        p(.host, "sample_period", .duration, 1...600,
          "`Mem.SamplePeriod`: how often each VM's active memory is sampled, in whole seconds (default 60 s); the estimate rises within one sample and falls over several.",
          { $0.samplePeriod.seconds }, { $0.samplePeriod = .seconds(Int64($1.rounded())) }),
    ]

    static let tps: [ReclaimParameter] = [
        p(.tps, "enabled", .flag, 0...1, "Page sharing scans guest memory for identical pages.",
          { $0.sharing.enabled ? 1 : 0 }, { $0.sharing.enabled = $1 != 0 }),
        p(.tps, "salting", .integer, 0...2,
          "`Mem.ShareForceSalting`: 0 every VM shares with every other, 1 and 2 only VMs with the same salt (`mem.share_salt`); with 2 (default) a VM without a salt shares only with itself.",
          whileOff: true, modes: ["tps"], { Double($0.sharing.salting) }, { $0.sharing.salting = Int($1) }),
        p(.tps, "large_pages", .flag, 0...1,
          "`Mem.AllocGuestLargePage`: back guest memory with 2 MB pages, shared only once broken below the high state (default true).",
          whileOff: true, modes: ["tps"], { $0.sharing.largePages ? 1 : 0 }, { $0.sharing.largePages = $1 != 0 }),
        p(.tps, "scan_time", .duration, 600...36000, "`Mem.ShareScanTime`: each VM is scanned completely within this time (default 60 min).",
          modes: ["tps"], { $0.sharing.scanTime.seconds }, { $0.sharing.scanTime = .seconds($1) }),
        p(.tps, "scan_per_ghz", .rate, 0...Double(32 * Units.MiB),
          "`Mem.ShareScanGHz`: the most scanned per second per GHz of host CPU (default 4 MB/s).",
          modes: ["tps"], { $0.sharing.scanPerGHz }, { $0.sharing.scanPerGHz = $1 }),
        p(.tps, "pages_to_scan", .integer, 0...100_000, "KSM `pages_to_scan` per sleep (default 100).",
          modes: ["ksm"], { Double($0.sharing.pagesToScan) }, { $0.sharing.pagesToScan = Int64($1) }),
        p(.tps, "sleep", .duration, 0.001...10, "KSM `sleep_millisecs` between scans, in seconds (default 0.02).",
          modes: ["ksm"], { $0.sharing.sleep.seconds }, { $0.sharing.sleep = .seconds($1) }),
    ]

    static let balloon: [ReclaimParameter] = [
        p(.balloon, "enabled", .flag, 0...1, "Balloon drivers may be inflated; off, every balloon deflates.",
          { $0.balloon.enabled ? 1 : 0 }, { $0.balloon.enabled = $1 != 0 }),
        p(.balloon, "max_percent", .percent, 0...100,
          "`Mem.CtlMaxPercent`: the most of a VM's configured memory its balloon may hold (default 65 on ESXi, 100 on Xen and KVM).",
          { $0.balloon.maxPercent }, { $0.balloon.maxPercent = $1 }),
        p(.balloon, "inflate_rate", .rate, Double(Units.MiB)...Double(Units.GiB),
          "How fast a balloon inflates while the guest has free memory (vmw_balloon: 16,384 pages/s = 64 MB/s).",
          { $0.balloon.inflateRate }, { $0.balloon.inflateRate = $1 }),
        p(.balloon, "paging_rate", .rate, Double(Units.MiB)...Double(Units.GiB),
          "How fast it inflates when the guest must page out to make room (vmw_balloon: 2,048 pages/s = 8 MB/s).",
          { $0.balloon.pagingRate }, { $0.balloon.pagingRate = $1 }),
        p(.balloon, "deflate_rate", .rate, Double(Units.MiB)...Double(Units.GiB),
          "How fast a balloon deflates (default 64 MB/s).",
          { $0.balloon.deflateRate }, { $0.balloon.deflateRate = $1 }),
    ]

    static let compression: [ReclaimParameter] = [
        p(.compression, "enabled", .flag, 0...1, "Pages chosen for swapping are compressed first when they compress to 2 KB or less.",
          { $0.compression.enabled ? 1 : 0 }, { $0.compression.enabled = $1 != 0 }),
        p(.compression, "cache_percent", .percent, 5...100, "`Mem.MemZipMaxPct`: the compression cache may hold up to this share of a VM's memory (default 10).",
          modes: ["cache"], { $0.compression.cachePercent }, { $0.compression.cachePercent = $1 }),
        p(.compression, "max_pool_percent", .percent, 1...100, "zswap `max_pool_percent` of host memory (default 20).",
          modes: ["zswap"], { $0.compression.maxPoolPercent }, { $0.compression.maxPoolPercent = $1 }),
        p(.compression, "accept_threshold_percent", .percent, 0...100,
          "zswap `accept_threshold_percent`: once full, it accepts pages again below this share of the pool (default 90).",
          modes: ["zswap"], { $0.compression.acceptThresholdPercent }, { $0.compression.acceptThresholdPercent = $1 }),
    ]

    static let swap: [ReclaimParameter] = [
        p(.swap, "enabled", .flag, 0...1, "The host swaps guest pages to the VM's .vswp file (ESXi) or its swap device (KVM).",
          { $0.swap.enabled ? 1 : 0 }, { $0.swap.enabled = $1 != 0 }),
    ]
}

extension Host {
    /// Changes one reclamation parameter, checked against its range, the profile and the
    /// host's VMs; logged as `memory.config`.
    public func setReclaim(_ p: ReclaimParameter, _ value: Double) throws {
        let field = p.reclaimer == .host ? "\(description).reclaim.\(p.name)" : "\(description).reclaim.\(p.reclaimer.rawValue).\(p.name)"
        let s = memory.settings
        guard p.applies(to: s) else {
            throw ModelError("\(field): the \(s.profile.rawValue) profile has no such parameter (its \(p.reclaimer.rawValue) has: \(ReclaimParameter.all.filter { $0.reclaimer == p.reclaimer && $0.applies(to: s) }.map(\.name).joined(separator: ", ")))")
        }
        guard value.isFinite, p.range.contains(value), p.kind != .integer || value == value.rounded() else {
            throw ModelError("\(field): \(p.kind == .flag ? String(value != 0) : Units.trim(value)) is not allowed (use \(p.kind == .integer ? "a whole number from " : "")\(p.rangeText))")
        }
        if p.name == "enabled", value != 0 {
            let available: Bool
            switch p.reclaimer {
            case .tps: available = s.sharing.available
            case .compression: available = s.compression.available
            case .swap: available = s.swap.available
            case .host, .balloon: available = true
            }
            guard available else {
                throw ModelError("\(field): the \(s.profile.rawValue) profile has no \(p.reclaimer.rawValue) (Xen shares, compresses and swaps no guest memory by default)")
            }
        }
        if p.whileOff, let on = vms.first(where: { $0.state.holdsResources }) {
            throw ModelError("\(field) can change only while no VM on \(name) is powered on (\(on.name) is \(on.state.rawValue))")
        }
        p.write(s, value)
        let shown = p.kind == .flag ? String(value != 0) : p.kind == .rate ? Units.formatBytes(Int64(value)) + "/s"
            : p.kind == .duration ? SimTime.seconds(value).description : Units.trim(value)
        datacenter.log.record(datacenter.now, "memory.config", description, "\(field.dropFirst(description.count + 1)) set to \(shown)")
        memory.settingsChanged()
    }
}

extension Host {
    /// Replaces the balloon-target computation with `policy` (nil: the host's own). The
    /// policy is called every balance period and on each state change.
    public func setBalloonPolicy(_ policy: BalloonPolicy?) {
        memory.settings.balloon.policy = policy
        datacenter.log.record(datacenter.now, "memory.config", description,
                              policy.map { "balloon targets set by the policy \($0.name)" } ?? "balloon targets set by the host")
        memory.settingsChanged()
    }

    /// Machine memory the host's VMs hold in each reclaimed form, in bytes.
    public var memoryReclaimed: (shared: Int64, ballooned: Int64, compressed: Int64, swapped: Int64, balloonTarget: Int64) {
        var r: (shared: Int64, ballooned: Int64, compressed: Int64, swapped: Int64, balloonTarget: Int64) = (0, 0, 0, 0, 0)
        for vm in vms where vm.state.holdsResources {
            r.shared += vm.shared
            r.ballooned += vm.ballooned
            r.compressed += vm.compressed
            r.swapped += vm.swapped
            r.balloonTarget += vm.balloonTarget
        }
        return r
    }
}

extension Host {
    /// Chooses how the published state thresholds are read (model-facts §2.4).
    public func setThresholdReading(_ r: ThresholdReading) throws {
        memory.settings.machine.reading = r
        datacenter.log.record(datacenter.now, "memory.config", description,
                              "reclaim.reading set to \(r.rawValue): states begin at \(memory.edges.map { Units.formatBytes($0) }.joined(separator: " / ")) free")
        memory.settingsChanged()
    }
}
