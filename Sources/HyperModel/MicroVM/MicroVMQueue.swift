/// Creates microVMs on KVM hosts through each host's creation queue (behaviour 74).
///
/// Firecracker creates at most `rate × cores` microVMs per second on a host: a request
/// takes the next free slot of its host (slots are 1 ÷ (rate × cores) apart), then its
/// VMM starts (`vmmStart` of wall clock), then InstanceStart powers the VM on and its
/// guest boots for `boot` until `/sbin/init`. From then on it is an ordinary VM:
/// scheduled by the host's CPU engine, its memory reclaimed like any other's.
public final class MicroVMs: SimProcess {
    unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    /// Every microVM, in creation order (tokens index it).
    public private(set) var all: [MicroVM] = []
    private var byVM: [ObjectIdentifier: Int] = [:]
    /// Per host index: when its creation queue is next free, and its rate per core.
    /// (µs, kept fractional so that slots do not drift by rounding: 180/s is 5,555.6 µs apart)
    private var nextSlot: [Int: Double] = [:]
    private var rates: [Int: Double] = [:]

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    public func microVM(of vm: VM) -> MicroVM? { byVM[ObjectIdentifier(vm)].map { all[$0] } }

    /// microVMs the host creates per core per second (default 5).
    public func ratePerCore(of host: Host) -> Double { rates[host.index] ?? MicroVMProfile.defaultRatePerCore }

    public func setRatePerCore(_ rate: Double, of host: Host) throws {
        let profile = host.memory.settings.profile
        guard profile == .kvm else {
            throw ModelError("\(host.description).microvm_rate: \(host.name) runs the \(profile.rawValue) profile; microVMs (Firecracker) need KVM")
        }
        guard rate.isFinite, rate > 0, rate <= 1000 else {
            throw ModelError("\(host.description).microvm_rate: \(Units.trim(rate)) is not allowed (use more than 0 up to 1000 microVMs per core per second; Firecracker's figure is 5)")
        }
        rates[host.index] = rate
        datacenter.log.record(datacenter.now, "microvm", host.description, "creation rate set to \(Units.trim(rate)) per core per second (\(Units.trim(rate * Double(host.cpus)))/s)")
    }

    /// Creates a microVM: the VM is registered at once (powered off), and starts when the
    /// host's queue reaches it. Everything is checked before anything changes.
    public func create(on host: Host, spec: VMSpec, profile: MicroVMProfile) throws -> VM {
        let who = "\(host.description):create_microvm \(spec.name.isEmpty ? "(no name)" : spec.name)"
        let hostProfile = host.memory.settings.profile
        guard hostProfile == .kvm else {
            throw ModelError("\(who): \(host.name) runs the \(hostProfile.rawValue) profile; microVMs (Firecracker) need KVM (use lab.profile(\"kvm\") before creating the host)")
        }
        guard host.hypervisor == .type1 else {
            throw ModelError("\(who): \(host.name) is a \(host.hypervisor.rawValue) host; Firecracker runs on bare-metal KVM (type1)")
        }
        guard (1...MicroVMProfile.maxVCPUs).contains(spec.vcpus) else {
            throw ModelError("\(who): vcpus \(spec.vcpus) is not allowed (a Firecracker microVM has 1 to \(MicroVMProfile.maxVCPUs) vCPUs)")
        }
        guard spec.devices.isEmpty else {
            throw ModelError("\(who): devices are not allowed (Firecracker emulates only virtio-net, virtio-block, vsock, a serial console and a keyboard controller)")
        }
        try profile.validate(who: who, memory: spec.memory)
        var s = spec
        s.overhead = profile.overhead
        let vm = try host.createVM(s)
        if id < 0 { id = datacenter.sim.register(self) }
        let now = datacenter.now
        let free = max(Double(now.micros), nextSlot[host.index] ?? 0)
        let slot = SimTime(micros: Int64(free.rounded(.up)))
        nextSlot[host.index] = free + 1e6 / (ratePerCore(of: host) * Double(host.cpus))
        let m = MicroVM(vm: vm, profile: profile, created: now, slot: slot)
        byVM[ObjectIdentifier(vm)] = all.count
        all.append(m)
        let token = Int64(all.count - 1) * 4
        datacenter.sim.schedule(id, at: slot, token: token)
        datacenter.sim.schedule(id, at: m.instanceStart, token: token + 1)
        datacenter.log.record(now, "microvm", vm.description,
                              "created on \(host.name): \(spec.vcpus) vCPU, \(Units.formatBytes(spec.memory)); VMM starts at \(Units.formatSeconds(slot.seconds)) (queue of \(Units.trim(ratePerCore(of: host) * Double(host.cpus)))/s)")
        return vm
    }

    public func fire(token: Int64, sim: Simulation) {
        let m = all[Int(token / 4)]
        let vm = m.vm
        switch token % 4 {
        case 0:
            guard m.state == .queued else { return }
            m.state = .starting
            datacenter.log.record(sim.now, "microvm", vm.description,
                                  "VMM started: API socket in \(Units.formatSeconds(m.profile.vmmStart.seconds)), \(Units.formatSeconds(m.profile.vmmCPU.seconds)) of CPU")
        case 1:
            guard m.state == .starting else { return }
            do {
                try vm.powerOnHere()
                if m.profile.bootMemory > 0 { try vm.guestTouch(m.profile.bootMemory) }
            } catch let e as ModelError {
                m.state = .failed
                m.failure = e.message
                datacenter.log.record(sim.now, "microvm", vm.description, "InstanceStart failed: \(e.message)")
                return
            } catch {
                return
            }
            m.state = .booting
            datacenter.sim.schedule(id, at: m.initReached, token: token + 1)
        default:
            guard m.state == .booting, vm.state == .on else { return }
            m.state = .running
            datacenter.log.record(sim.now, "microvm", vm.description,
                                  "/sbin/init reached \(Units.formatSeconds(m.profile.boot.seconds)) after InstanceStart (\(Units.formatSeconds(m.startLatency.seconds)) after the request)")
        }
    }
}
