/// Runs a `SchedulingPolicy` supplied from outside (a student's Lua function) each
/// quantum, and checks what it returns before the model acts on it: every id must be a
/// runnable vCPU, none twice, at most one per pCPU. A policy that errors or returns
/// something else stops the run with a message that says what was wrong.
final class ExternalPolicy: QuantumPolicy {
    let config: SchedulerConfig
    unowned(unsafe) let host: Host
    private var chosen: [Bool] = []

    init(config: SchedulerConfig, host: Host) {
        self.config = config
        self.host = host
    }

    func attached(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64) {}

    func allocate(_ v: inout VCPUSlots, _ groups: inout [VMGroup], t0: Int64, dt: Int64, pcpus: Int) throws {
        guard let policy = config.policy else { throw ModelError("\(host.description): no scheduling policy is set") }
        if chosen.count < v.count { chosen = Array(repeating: false, count: v.count) }
        var runnable: [RunnableVCPU] = []
        for s32 in v.order {
            let s = Int(s32)
            v.alloc[s] = 0
            v.why[s] = .ready
            chosen[s] = false
            guard v.demand[s] > 0, let vm = v.owner[s] else { continue }
            let c = v.counters[s]
            runnable.append(RunnableVCPU(
                id: s + 1, vm: vm.name, vcpu: Int(v.vcpuIndex[s]) + 1, vcpus: vm.vcpus,
                shares: vm.cpuShares / Int64(vm.vcpus), run: Double(c.run) / 1e6, ready: Double(c.ready) / 1e6,
                waiting: Double(t0 - v.lastRan[s]) / 1e6))
        }
        guard !runnable.isEmpty else { return }
        let view = SchedulerView(now: SimTime(micros: t0), quantum: SimTime(micros: dt), pcpus: pcpus, runnable: runnable)
        let slots = v.count
        let picked = try policy.pick(view)
        // the columns are raw memory: an id is checked against the slots that existed
        // when the view was made (the host freezes the world while the policy runs, and
        // this holds even if something changed it)
        guard v.count == slots, chosen.count >= slots else {
            throw ModelError("scheduling policy \(policy.name) changed \(host.name)'s VMs while choosing")
        }
        let who = "scheduling policy \(policy.name) at \(SimTime(micros: t0))"
        guard picked.count <= pcpus else {
            throw ModelError("\(who) returned \(picked.count) vCPUs to run but \(host.name) has only \(pcpus) pCPUs")
        }
        for id in picked {
            let s = id - 1
            guard s >= 0, s < slots, v.demand[s] > 0, runnable.contains(where: { $0.id == id }) else {
                throw ModelError("\(who) returned vCPU id \(id), which is not one of the runnable vCPUs (\(runnable.map { String($0.id) }.joined(separator: ", ")))")
            }
            guard !chosen[s] else { throw ModelError("\(who) placed vCPU id \(id) twice") }
            chosen[s] = true
            v.alloc[s] = min(v.demand[s], dt)
        }
    }
}
