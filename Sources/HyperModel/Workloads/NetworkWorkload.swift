/// Network traffic through the VM's first NIC at up to `rate` (bits/s). What it gets and
/// what it costs follow the adapter (`Adapter`, [M]): the achieved rate is capped by the
/// adapter and by the CPU its vCPUs can give it at the adapter's cost per Gb/s; that CPU
/// work runs in the guest as a CPU workload, so it shows in %RUN and competes for pCPUs.
public final class NetworkWorkload: Workload {
    public let rate: Double
    /// Bits per second it achieves (fixed when it starts).
    public internal(set) var achieved = 0.0
    /// MHz of CPU the traffic takes.
    public internal(set) var cpuMHz = 0.0
    /// Added latency per I/O, µs.
    public internal(set) var latencyMicros = 0.0
    public internal(set) var adapter: Adapter?
    var cpu: CPUWorkload?

    public init(rate: Double) throws {
        guard rate > 0, rate.isFinite else { throw ModelError("workload.network: rate must be more than 0 bits/s") }
        self.rate = rate
        super.init(kind: "network")
    }

    public override var summary: String { "network{rate=\(Units.trim(rate / 1e9)) Gb/s}" }

    /// Sizes the traffic for `vm`'s NIC and starts the CPU work it takes.
    func start(on vm: VM) throws {
        guard let nic = vm.devices.first(where: { $0.kind == .nic }) else {
            throw ModelError("run: \(vm.description) has no NIC (create_vm{ devices = { { kind = \"nic\", adapter = \"vmxnet3\" } } })")
        }
        adapter = nic.adapter
        let capacity = Double(vm.vcpus) * vm.host.mhz
        let hv = vm.host.hypervisor
        let cost = nic.adapter.mhzPerGbps * hv.networkCPUFactor
        var gbps = min(rate / 1e9, nic.adapter.maxGbps)
        gbps = min(gbps, capacity / cost)
        achieved = gbps * 1e9
        cpuMHz = gbps * cost
        latencyMicros = nic.adapter.latencyMicros + hv.addedLatencyMicros
        let load = min(1, cpuMHz / capacity)
        cpu = try CPUWorkload(threads: vm.vcpus, load: load)
    }
}
