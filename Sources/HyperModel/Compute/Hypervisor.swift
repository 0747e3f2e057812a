/// Type 1 (bare-metal: ESXi, Xen, KVM) or type 2 (hosted: VMware Workstation, VirtualBox)
/// hypervisors. On a type 2 host the host operating system keeps memory and CPU for
/// itself and every I/O of a VM goes through it — the model's figures are [M]
/// (docs/storage.md): the OS keeps 2 GiB or an eighth of memory (whichever is larger, at
/// most half), runs a fifth of one pCPU of its own work, disk writes reach the datastore
/// at 75 % of its bandwidth, and network I/O costs 1.5× the CPU and 40 µs more latency.
///
/// `none` is a bare-metal Linux machine with no hypervisor: it runs containers on its own
/// kernel (Containers/), and no VM.
public enum HypervisorType: String, CaseIterable, Sendable {
    case type1, type2, none

    var diskEfficiency: Double { self == .type2 ? 0.75 : 1 }
    var networkCPUFactor: Double { self == .type2 ? 1.5 : 1 }
    var addedLatencyMicros: Double { self == .type2 ? 40 : 0 }
}

extension Host {
    /// Memory a type 2 host's OS keeps.
    public var hostOSMemory: Int64 {
        guard hypervisor == .type2 else { return 0 }
        return min(max(2 * Units.GiB, memory.capacity / 8), memory.capacity / 2)
    }

    /// Starts a type 2 host's operating system: its memory is reserved and its background
    /// work (a fifth of one pCPU) is a workload of the host's own processes.
    func startHostOS() {
        guard hypervisor == .type2 else { return }
        memory.reserveForHostOS(hostOSMemory)
        try? run(CPUWorkload(threads: 1, load: 0.2))
        datacenter.log.record(datacenter.now, "host.os", description,
                              "type 2: the host OS keeps \(Units.formatBytes(hostOSMemory)) and a fifth of one pCPU; VM I/O goes through it")
    }
}

extension HostMemory {
    func reserveForHostOS(_ bytes: Int64) {
        reserved += bytes
        overheadBytes += bytes
    }
}
