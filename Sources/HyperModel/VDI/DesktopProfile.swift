/// What a virtual desktop does in each phase of its morning (datacenter-facts §5): its
/// storage I/O (IOPS and read share), its CPU (a duty cycle of each vCPU) and the memory
/// its guest touches when the phase begins. Boot and login last until they have done
/// their I/O (`iops × duration` operations at full speed), so a saturated datastore makes
/// them longer; steady lasts for the rest of the run.
public struct DesktopPhase: Equatable, Sendable {
    public var iops: Double
    /// Share of the I/Os that are reads, 0–100.
    public var readPercent: Double
    /// Duty cycle of each vCPU, 0–1.
    public var cpuLoad: Double
    /// Memory the guest touches when the phase begins.
    public var memory: Int64
    /// How long the phase lasts when the datastore keeps up (0 for steady: no end).
    public var duration: SimTime

    public init(iops: Double, readPercent: Double, cpuLoad: Double, memory: Int64, duration: SimTime) {
        self.iops = iops
        self.readPercent = readPercent
        self.cpuLoad = cpuLoad
        self.memory = memory
        self.duration = duration
    }

    func validate(_ who: String, _ phase: String, steady: Bool) throws {
        guard iops.isFinite, iops >= 0, iops <= 100_000 else {
            throw ModelError("\(who): \(phase).iops \(Units.trim(iops)) is not allowed (use 0 to 100000 I/Os per second per desktop)")
        }
        guard readPercent.isFinite, (0...100).contains(readPercent) else {
            throw ModelError("\(who): \(phase).read \(Units.trim(readPercent)) is not allowed (use 0 to 100 % of the I/Os)")
        }
        guard cpuLoad.isFinite, (0...1).contains(cpuLoad) else {
            throw ModelError("\(who): \(phase).cpu \(Units.trim(cpuLoad)) is not allowed (use a duty cycle from 0 to 1 of each vCPU)")
        }
        guard memory >= 0 else { throw ModelError("\(who): \(phase).memory must not be negative") }
        if steady {
            guard duration.micros == 0 else { throw ModelError("\(who): steady.duration is not allowed (the steady phase lasts for the rest of the run)") }
        } else {
            guard duration.micros >= 1_000_000, duration <= .seconds(Int64(3600)) else {
                throw ModelError("\(who): \(phase).duration \(Units.formatSeconds(duration.seconds)) is not allowed (use 1 s to 1 h)")
            }
        }
    }
}

/// The three phases with the reference's [M] defaults: boot 50 IOPS at 90/10 read/write
/// for 60 s, steady 10 IOPS at 20/80 (§5, §6.3). Login, CPU and memory figures are
/// HyperLab's own [M] choices (docs/vdi.md): login between boot and steady (30 IOPS at
/// 50/50 for 30 s), CPU 90 % / 60 % / 10 % of each vCPU, the guest touching 1 GiB at boot
/// (a 64-bit Windows' resident image) and 512 MiB at login (the user's session).
public struct DesktopProfile: Equatable, Sendable {
    public var boot = DesktopPhase(iops: 50, readPercent: 90, cpuLoad: 0.9, memory: Units.GiB, duration: .seconds(Int64(60)))
    public var login = DesktopPhase(iops: 30, readPercent: 50, cpuLoad: 0.6, memory: 512 * Units.MiB, duration: .seconds(Int64(30)))
    public var steady = DesktopPhase(iops: 10, readPercent: 20, cpuLoad: 0.1, memory: 0, duration: .zero)

    public init() {}

    func validate(_ who: String, memory: Int64) throws {
        try boot.validate(who, "boot", steady: false)
        try login.validate(who, "login", steady: false)
        try steady.validate(who, "steady", steady: true)
        let touched = boot.memory + login.memory + steady.memory
        guard touched <= memory else {
            throw ModelError("\(who): boot, login and steady memory add up to \(Units.formatBytes(touched)), more than the template's \(Units.formatBytes(memory)) (lower them or use a larger template)")
        }
    }
}

/// How a pool's desktops are made from its template (§5).
public enum CloneKind: String, CaseIterable, Sendable {
    /// A copy of the template's disks per desktop.
    case full
    /// View Composer: one read-only replica of the template on the pool's datastore, a
    /// delta disk per desktop.
    case linked
    /// vmFork: like linked on disk, and each desktop also shares a running parent's
    /// memory copy-on-write; created already powered on.
    case instant
}

/// Horizon's "Transparent Page Sharing Scope" (6.1+): which desktops get a common
/// `sched.mem.pshare.salt`, so that under `Mem.ShareForceSalting` 2 they may share pages.
public enum TPSScope: String, CaseIterable, Sendable {
    case vm, pool, pod, global

    func salt(vm: String, pool: String, pod: String) -> String {
        switch self {
        case .vm: return "vdi:vm:\(vm)"
        case .pool: return "vdi:pool:\(pool)"
        case .pod: return "vdi:pod:\(pod)"
        case .global: return "vdi:global"
        }
    }
}

/// Where a desktop is in its morning.
public enum DesktopState: UInt8, Sendable {
    case waiting, booting, loggingIn, steady, failed

    public var name: String {
        switch self {
        case .waiting: return "waiting"
        case .booting: return "booting"
        case .loggingIn: return "logging-in"
        case .steady: return "steady"
        case .failed: return "failed"
        }
    }
}
