/// The Firecracker-like microVM profile (datacenter-facts §4.6, behaviour 74): what the
/// specification promises, as parameters with its numbers as defaults.
///
/// Firecracker's SPECIFICATION.md bounds the VMM start (process to API socket) at 8 CPU-ms
/// (6–60 ms of wall clock, typically ≈ 12 ms), the boot from InstanceStart to the guest's
/// `/sbin/init` at 125 ms (1 vCPU, 128 MiB, minimal kernel), the VMM's own memory at 5 MiB
/// per microVM; docs/design.md gives the creation rate, 5 microVMs per host core per
/// second, and up to 32 vCPUs per microVM. The model takes each bound as the value.
public struct MicroVMProfile: Equatable, Sendable {
    /// Wall-clock time from the VMM process start to its API socket.
    public var vmmStart: SimTime = .milliseconds(12)
    /// Host CPU the VMM start costs.
    public var vmmCPU: SimTime = .milliseconds(8)
    /// InstanceStart → guest `/sbin/init`.
    public var boot: SimTime = .milliseconds(125)
    /// The VMM's memory per microVM (what the host reserves for it beside guest memory).
    public var overhead: Int64 = 5 * Units.MiB
    /// Memory the minimal guest touches while it boots (its kernel and init) [M].
    public var bootMemory: Int64 = 32 * Units.MiB

    public init() {}

    public static let maxVCPUs = 32
    /// microVMs each host core can create per second.
    public static let defaultRatePerCore = 5.0

    /// Every field in range, or an error naming it, the value and what is allowed.
    func validate(who: String, memory: Int64) throws {
        func ms(_ t: SimTime) -> String { Units.formatSeconds(t.seconds) }
        guard vmmStart.micros >= 0, vmmStart <= .seconds(Int64(60)) else {
            throw ModelError("\(who): vmm_start \(ms(vmmStart)) is not allowed (use 0 to 60 s)")
        }
        guard vmmCPU.micros >= 0, vmmCPU <= vmmStart || vmmStart.micros == 0 && vmmCPU.micros == 0 else {
            throw ModelError("\(who): vmm_cpu \(ms(vmmCPU)) is not allowed (use 0 up to vmm_start \(ms(vmmStart)): the VMM's CPU time fits in its start)")
        }
        guard boot.micros > 0, boot <= .seconds(Int64(600)) else {
            throw ModelError("\(who): boot_time \(ms(boot)) is not allowed (use more than 0 up to 10 min)")
        }
        guard overhead >= 0, overhead <= Units.GiB else {
            throw ModelError("\(who): overhead \(Units.formatBytes(overhead)) is not allowed (use 0 to 1 GiB)")
        }
        guard bootMemory >= 0, bootMemory <= memory else {
            throw ModelError("\(who): boot_memory \(Units.formatBytes(bootMemory)) is not allowed (use 0 up to its memory \(Units.formatBytes(memory)))")
        }
    }
}

/// Where a microVM is in its start: waiting for the host's creation queue, its VMM
/// starting, booting its guest, or running (`/sbin/init` reached).
public enum MicroVMState: String, Sendable {
    case queued, starting, booting, running, failed
}

/// One microVM's start: the VM it is to the rest of the model, and its timeline.
public final class MicroVM {
    public unowned(unsafe) let vm: VM
    public let profile: MicroVMProfile
    public internal(set) var state = MicroVMState.queued
    /// `create_microvm` was called.
    public let created: SimTime
    /// The host's creation queue let it start (its VMM process starts).
    public internal(set) var vmmStarted: SimTime
    /// InstanceStart: its vCPUs start running.
    public internal(set) var instanceStart: SimTime
    /// The guest reached `/sbin/init`.
    public internal(set) var initReached: SimTime
    /// Why it failed to start, when it did (admission control at InstanceStart).
    public internal(set) var failure: String?

    init(vm: VM, profile: MicroVMProfile, created: SimTime, slot: SimTime) {
        self.vm = vm
        self.profile = profile
        self.created = created
        self.vmmStarted = slot
        self.instanceStart = slot + profile.vmmStart
        self.initReached = instanceStart + profile.boot
    }

    /// From the API call to `/sbin/init`: queueing, VMM start and boot.
    public var startLatency: SimTime { initReached - created }
}
