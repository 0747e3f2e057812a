/// Work on the host itself, beside its VMs: what `h:run(w)` starts, the background work
/// of a type 2 host's operating system, and the tasks SimGrid's tests put on a physical
/// machine (`PM->exec_async`) next to its VMs.
///
/// The processes are held in a VM the lab does not see, with one vCPU per pCPU, so each
/// engine schedules them as it schedules vCPUs: the share-based schedulers give them the
/// high priority a host OS has (100,000 shares, as the type 2 OS always had), and fair
/// makes each thread a flow of its own on the host, of weight 1, as SimGrid's PM tasks.
extension Host {
    /// Workloads running on the host itself (not in a VM), oldest first.
    public var hostWorkloads: [Workload] { processes?.workloads ?? [] }

    /// CPU time of the host's own processes since the host started (run, ready: µs summed
    /// over their threads' slots), up to the last settled time.
    public var processCounters: CPUCounters {
        guard let p = processes else { return CPUCounters() }
        return p.cpuSlots.reduce(CPUCounters()) { $0 + cpu.counters(ofSlot: $1) }
    }

    /// Starts a CPU or batch workload on the host itself.
    public func run(_ workload: Workload) throws {
        guard workload is CPUWorkload || workload is BatchWorkload else {
            throw ModelError("\(description):run: a \(workload.kind) workload runs in a guest; the host itself runs cpu and batch workloads")
        }
        guard !failed else { throw ModelError("\(description):run: the host has failed; recover it first") }
        try hostProcesses().run(workload)
    }

    /// Stops every workload on the host itself (a type 2 host's OS work too).
    public func stopWorkloads() { processes?.stop() }

    /// Stops one workload running on the host itself.
    public func stop(_ workload: Workload) throws {
        guard let p = processes, workload.vm === p else {
            throw ModelError("\(description):stop: \(workload.summary) does not run on the host itself")
        }
        try p.stop(workload)
    }

    /// The host's processes, attached to the engine on first use.
    func hostProcesses() -> VM {
        if let p = processes { return p }
        let p = VM(host: self, spec: VMSpec(name: "\(name)-host", vcpus: cpus, memory: 64 * Units.MiB,
                                             cpu: CPUAllocation(shares: .custom(100_000))))
        p.isHostProcesses = true
        p.state = .on
        cpu.attach(p, at: datacenter.now)
        processes = p
        return p
    }
}
