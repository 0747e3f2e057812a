@testable import HyperModel

let GiB = Units.GiB
let MiB = Units.MiB

func world(seed: UInt64 = 1) -> Datacenter { Datacenter(seed: seed) }

func host(_ dc: Datacenter, _ name: String = "esx01", cpus: Int = 4, mhz: Double = 2000, memory: Int64 = 64 * GiB,
          scheduler: SchedulerKind? = nil) throws -> Host {
    try dc.addHost(HostSpec(name: name, cpus: cpus, mhz: mhz, memory: memory), scheduler: scheduler)
}

@discardableResult
func vm(_ h: Host, _ name: String, vcpus: Int = 1, memory: Int64 = 4 * GiB, cpu: CPUAllocation = CPUAllocation(),
        mem: MemoryAllocation = MemoryAllocation(), on: Bool = true) throws -> VM {
    let v = try h.createVM(VMSpec(name: name, vcpus: vcpus, memory: memory, cpu: cpu, mem: mem))
    if on { try v.powerOn() }
    return v
}

/// Mean of a series after a warm-up.
func mean(_ vm: VM, _ metric: String, after warmup: Double = 60) -> Double {
    let s = vm.metrics.series[metric]!
    let values = zip(s.times, s.values).filter { $0.0.seconds > warmup }.map(\.1)
    return values.reduce(0, +) / Double(values.count)
}
