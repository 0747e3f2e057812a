extension Entitlements {
    /// What a VM brings to a pass of `r`: its shares, its reservation (while it holds
    /// resources), its own limit (at most its vCPUs' speed or its memory), its demand and
    /// its units (vCPUs or MiB while on; scalable shares count them).
    @inline(__always)
    static func inputs(of vm: VM, _ r: PoolResource)
        -> (shares: Double, reservation: Double, limit: Double, demand: Double, units: Double) {
        let state = vm.state
        let holds = state.holdsResources
        if r == .cpu {
            return (Double(vm.cpuShares),
                    holds ? vm.cpuAllocation.reservationMHz : 0,
                    min(vm.cpuAllocation.limitMHz ?? .infinity, Double(vm.vcpus) * vm.host.mhz),
                    state == .on ? vm.metrics.cpuDemandMHz : 0,
                    state == .on ? Double(vm.vcpus) : 0)
        }
        return (Double(vm.memShares),
                holds ? Double(vm.memAllocation.reservation) : 0,
                min(vm.memAllocation.limit.map(Double.init) ?? .infinity, Double(vm.memory)),
                holds ? Double(vm.host.memory.demandPages(vm) * Units.pageSize) : 0,
                state == .on ? Double(vm.memory / Units.MiB) : 0)
    }
}

extension HostMemory {
    /// What a resident VM's memory would be unconstrained, in pages: what the host backs
    /// for it plus what it waits for, up to its configured size (the allocation targets'
    /// upper bound before its limit).
    func demandPages(_ vm: VM) -> Int64 {
        let g = vm.guest
        let need = charged(vm) + g.pendingPages + g.pendingZeroPages + g.activeNotResident + g.guestSwappedActive
        return min(g.configuredPages, need)
    }
}
