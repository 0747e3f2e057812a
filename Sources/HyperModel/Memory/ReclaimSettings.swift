// The settings below are read in every memory tick, for every VM, and changed only
// between events (by the lab's setters, on the simulation's thread), so their dynamic
// exclusivity checks are skipped, as for GuestMemory's counters: they cost more than
// the reads they guarded.

/// Page sharing: ESX's TPS or Linux KSM (model-facts §2.5, §2.10).
public final class SharingSettings {
    public enum Mode: String, Sendable { case tps, ksm }
    public let mode: Mode
    /// `Mem.ShareScanTime` (TPS): each VM is scanned completely within this time.
    @exclusivity(unchecked) public internal(set) var scanTime = SimTime.seconds(Int64(3600))
    /// `Mem.ShareScanGHz` (TPS): at most this many bytes/s scanned per GHz of host CPU.
    @exclusivity(unchecked) public internal(set) var scanPerGHz = 4.0 * Double(Units.MiB)
    /// `Mem.ShareForceSalting` (TPS): 0 salt ignored, 1 salt or 0, 2 salt or a per-VM value.
    @exclusivity(unchecked) public internal(set) var salting = 2
    /// `Mem.AllocGuestLargePage` (TPS): back guest memory with 2 MB pages.
    @exclusivity(unchecked) public internal(set) var largePages = true
    /// KSM `pages_to_scan` per `sleep_millisecs`.
    @exclusivity(unchecked) public internal(set) var pagesToScan: Int64 = 100
    @exclusivity(unchecked) public internal(set) var sleep = SimTime.milliseconds(20)
    @exclusivity(unchecked) public internal(set) var enabled: Bool
    let available: Bool

    init(mode: Mode, enabled: Bool, available: Bool = true) {
        self.mode = mode
        self.enabled = enabled
        self.available = available
        if mode == .ksm { largePages = false; salting = 0 }
    }

    /// KSM scans at most pages_to_scan per sleep_millisecs: 5,000 pages/s by default.
    var ksmPagesPerSecond: Double { Double(pagesToScan) * 1e6 / Double(sleep.micros) }
}

/// The balloon driver (vmmemctl, virtio-balloon, Xen's balloon).
public final class BalloonSettings {
    @exclusivity(unchecked) public internal(set) var enabled = true
    /// `Mem.CtlMaxPercent`: the most of a VM's configured memory a balloon may hold.
    @exclusivity(unchecked) public internal(set) var maxPercent = 65.0
    /// Linux vmw_balloon 1.2: up to 16,384 pages/s while the guest has free memory,
    /// 2,048 pages/s when it must page to make room, 16,384 pages/s to deflate.
    @exclusivity(unchecked) public internal(set) var inflateRate = 64.0 * Double(Units.MiB)
    @exclusivity(unchecked) public internal(set) var pagingRate = 8.0 * Double(Units.MiB)
    @exclusivity(unchecked) public internal(set) var deflateRate = 64.0 * Double(Units.MiB)
    /// The host sets balloon targets from memory pressure (ESXi); otherwise only
    /// `vm:set_balloon_target`/`mem_set` or a policy does (Xen, KVM).
    public let automatic: Bool
    /// A balloon-target policy replacing the host's computation.
    @exclusivity(unchecked) public internal(set) var policy: BalloonPolicy?

    init(automatic: Bool) {
        self.automatic = automatic
        // Xen's and virtio's balloons have no share cap of their own
        if !automatic { maxPercent = 100 }
    }
}

/// Compression: ESX's per-VM compression cache, or Linux zswap in front of host swap.
public final class CompressionSettings {
    public enum Mode: String, Sendable { case cache, zswap }
    public let mode: Mode
    @exclusivity(unchecked) public internal(set) var enabled: Bool
    let available: Bool
    /// `Mem.MemZipMaxPct`: the cache may hold up to this share of a VM's memory (5–100).
    @exclusivity(unchecked) public internal(set) var cachePercent = 10.0
    /// zswap `max_pool_percent` of host memory, and `accept_threshold_percent`.
    @exclusivity(unchecked) public internal(set) var maxPoolPercent = 20.0
    @exclusivity(unchecked) public internal(set) var acceptThresholdPercent = 90.0

    init(mode: Mode, enabled: Bool, available: Bool = true) {
        self.mode = mode
        self.enabled = enabled
        self.available = available
    }
}

/// Host swapping: ESX's per-VM .vswp files, or the KVM host's swap device.
public final class SwapSettings {
    public enum Mode: String, Sendable { case vswp, device }
    public let mode: Mode
    @exclusivity(unchecked) public internal(set) var enabled: Bool
    let available: Bool
    /// The KVM host's swap device (ESX swaps to the VM's datastore).
    @exclusivity(unchecked) public internal(set) var device = DatastoreKind.ssd

    init(mode: Mode, enabled: Bool, available: Bool = true) {
        self.mode = mode
        self.enabled = enabled
        self.available = available
    }
}

/// Every memory-reclamation setting of one host, with the profile's defaults.
public final class ReclaimSettings {
    public let profile: Profile
    @exclusivity(unchecked) public internal(set) var machine = MemoryStateMachine()
    /// nil: the vSphere 5+ sliding scale; a number: ESX ≤ 4.1's fixed `Mem.MinFreePct`.
    @exclusivity(unchecked) public internal(set) var minFreePercent: Double?
    /// `Mem.BalancePeriod`: how often allocation targets are recomputed.
    @exclusivity(unchecked) public internal(set) var balancePeriod = SimTime.seconds(Int64(15))
    /// `Mem.SamplePeriod`: how often each VM's active memory is sampled.
    @exclusivity(unchecked) public internal(set) var samplePeriod = SimTime.seconds(Int64(60))
    /// `Mem.IdleTax` (τ) as a fraction.
    @exclusivity(unchecked) public internal(set) var idleTax = 0.75
    public let sharing: SharingSettings
    public let balloon: BalloonSettings
    public let compression: CompressionSettings
    public let swap: SwapSettings

    init(profile: Profile) {
        self.profile = profile
        switch profile {
        case .esxi:
            sharing = SharingSettings(mode: .tps, enabled: true)
            balloon = BalloonSettings(automatic: true)
            compression = CompressionSettings(mode: .cache, enabled: true)
            swap = SwapSettings(mode: .vswp, enabled: true)
        case .kvm:
            sharing = SharingSettings(mode: .ksm, enabled: true)
            balloon = BalloonSettings(automatic: false)
            compression = CompressionSettings(mode: .zswap, enabled: true)
            swap = SwapSettings(mode: .device, enabled: true)
        case .xen:
            // Xen has no page sharing or host swapping by default (§2.9)
            sharing = SharingSettings(mode: .tps, enabled: false, available: false)
            balloon = BalloonSettings(automatic: false)
            compression = CompressionSettings(mode: .cache, enabled: false, available: false)
            swap = SwapSettings(mode: .vswp, enabled: false, available: false)
        }
    }

    /// Guest memory is backed lazily, on first touch — except on Xen, which populates a
    /// domain's whole reservation when it is created.
    public var lazyAllocation: Bool { profile != .xen }
    /// Per-VM allocation targets from shares, reservations, limits and the idle tax.
    var usesTargets: Bool { profile == .esxi }
}
