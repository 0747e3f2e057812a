/// What each series `lab.series(object, metric)` can read means, for the API reference.
/// The names and units are the channels the samplers record; every channel has a line
/// here (a test keeps the two in step).
public enum MetricCatalogue {
    public struct Entry: Sendable {
        public var name: String
        public var unit: String
        public var meaning: String
    }

    public static var vm: [Entry] { entries(VMMetrics.channels) + perVCPU }
    public static var host: [Entry] { entries(HostMetrics.channels) }

    /// How `memory.state` is stored: the state's number.
    public static let stateEncoding = MemoryState.allCases.map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ")

    static func entries(_ channels: [(name: String, unit: String)]) -> [Entry] {
        channels.map { Entry(name: $0.name, unit: $0.unit, meaning: meanings[$0.name] ?? "") }
    }

    static var perVCPU: [Entry] {
        VMMetrics.perVCPU.map { state, unit in
            Entry(name: "cpu.\(state).vcpu<n>", unit: unit,
                  meaning: "`cpu.\(state)` of vCPU n (from 1); recorded at statistics level 3 and above.")
        }
    }

    static let meanings: [String: String] = [
        "cpu.run": "%RUN: time the VM's vCPUs ran, as a share of one vCPU per vCPU (esxtop sums over vCPUs).",
        "cpu.ready": "%RDY: time vCPUs were ready to run but waited for a pCPU.",
        "cpu.costop": "%CSTP: time vCPUs were stopped by co-scheduling.",
        "cpu.wait": "%WAIT: time vCPUs were idle or blocked.",
        "cpu.limited": "%MLMTD: time vCPUs were ready but held back by the VM's CPU limit.",
        "cpu.used_mhz": "CPU used by the VM, in MHz.",
        "cpu.ready_ms": "Ready time in the sample interval, in milliseconds (vCenter's `cpu.ready.summation`).",
        "memory.consumed": "Machine memory backing the VM's pages (vSphere's consumed).",
        "memory.active": "The VMkernel's estimate of the working set.",
        "memory.granted": "Guest memory backed by machine memory, shared pages counted in full.",
        "memory.overhead": "Memory the hypervisor uses for the VM itself.",
        "memory.shared": "Guest pages shared with other pages by page sharing.",
        "memory.ballooned": "Memory reclaimed by the balloon driver.",
        "memory.compressed": "Guest memory held compressed in the compression cache.",
        "memory.swapped": "Guest memory swapped to the VM's .vswp file.",
        "memory.balloon_target": "The balloon size the host asks for.",
        "memory.swap_target": "How much the host means to swap.",
        "memory.target": "The VM's memory allocation target from shares, reservation, limit and the idle tax.",
        "memory.swap_in_rate": "Swap-in rate.",
        "memory.swap_out_rate": "Swap-out rate.",
        "memory.compress_rate": "Compression rate.",
        "memory.decompress_rate": "Decompression rate.",
        "cpu.usage": "vCenter's CPU usage: MHz used as a share of the VM's vCPUs × the host's MHz (what the default VM CPU alarm watches).",
        "memory.usage": "vCenter's memory usage: active memory as a share of configured memory (VM, what the default VM memory alarm watches); consumed as a share of capacity (host).",
        "disk.max_latency": "vCenter's highest disk latency: the largest write latency of the VM's disks being written at the sample (datastore queueing, controller, type 2 host), 0 while none is written.",
        "cpu.used": "Share of the host's CPU capacity used.",
        "cpu.overcommit": "vCPUs of powered-on VMs per pCPU.",
        "memory.free": "Free machine memory.",
        "memory.overcommit": "Configured memory of powered-on VMs per byte of host memory.",
        "memory.state": "The free-memory state, as a number (see below).",
        "memory.shared_saved": "Memory saved by page sharing.",
    ]
}
