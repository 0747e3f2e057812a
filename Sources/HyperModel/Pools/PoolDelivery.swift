/// How a host delivers its tree's entitlements (docs/datacenter.md "Resource pools").
///
/// vCenter divides a cluster's pool settings into per-host settings ("divvying"); the
/// model does the same at every solve (each sample, each change of the tree): every VM of
/// a tree that has child pools gets, on its host's scheduler, shares proportional to the
/// CPU it is entitled to — its weight: its entitlement, or for a VM that wanted less
/// than its slice, the slice it would get if it wanted more, so it is not starved when
/// its demand rises before the next solve — and, under a pool with a limit, a limit: its
/// entitlement plus its shares' part of the pool's headroom (`Entitlements.cap`), so the
/// pool never runs above its limit and a VM whose demand rises grows into it at once. The VM's own
/// settings stay as the lab set them (and are what `vm.cpu.shares` reads); its own limit
/// still applies, and its reservation is still served first.
///
/// Proportional-share schedulers deliver it: esx, strict and relaxed by stride, fair by
/// the VM's flow weight. Credit, CFS, round robin and Lua policies keep their VMs'
/// own settings; a VM in a child pool is refused power-on there (`PoolAdmission`).
/// A tree without child pools is never delivered: its VMs run exactly as before pools.
extension Entitlements {
    func deliver() {
        let delivering = !root.pools.isEmpty
        // a tree without pools whose VMs were all reset already has nothing to deliver
        guard delivering || cpuDelivered else { return }
        cpuDelivered = delivering
        let now = root.datacenter.now
        let (weight, cap) = (self.weight, self.cap)
        forEachVMNode { vm, i in
            var shares: Int64?, limit: Double?
            if delivering && vm.host.scheduler.kind.deliversPools {
                shares = max(1, Int64((weight[i] * VM.poolSharesPerMHz).rounded()))
                // a floor of 1 MHz: a VM that was idle may still start to run
                if cap[i].isFinite { limit = max(cap[i], 1) }
            }
            guard shares != vm.poolShares || limit != vm.poolLimitMHz else { return }
            vm.poolShares = shares
            vm.poolLimitMHz = limit
            if vm.state == .on { vm.host.poolSettingsDirty = true }
        }
        func reapply(_ h: Host) {
            guard h.poolSettingsDirty else { return }
            h.poolSettingsDirty = false
            h.cpu.reapplySettings(at: now)
        }
        if let c = root.ownerCluster { c.hosts.forEach(reapply) } else if let h = root.ownerHost { reapply(h) }
    }
}

extension SchedulerKind {
    /// Proportional-share schedulers, which deliver pool entitlements.
    var deliversPools: Bool { self == .esx || self == .strict || self == .relaxed || self == .fair }
}

extension VM {
    /// Delivered shares per MHz of weight: 10, so a slice of a few hundred MHz is a few
    /// thousand shares, the range in which the stride scheduler divides exactly.
    static let poolSharesPerMHz = 10.0

    /// The shares its host's scheduler uses: the pool delivery's, else its own.
    var schedulingShares: Int64 { poolShares ?? cpuShares }

    /// The limit its host's scheduler uses: its own, or the pool delivery's if lower.
    var schedulingLimitMHz: Double? {
        guard let p = poolLimitMHz else { return cpuAllocation.limitMHz }
        return min(p, cpuAllocation.limitMHz ?? p)
    }
}

/// Memory: the tree's entitlements feed the host's allocation targets (MemoryTargets).
/// Each VM of a tree with child pools weighs its memory weight there (in shares of
/// 10 per MB, a Normal VM's scale); what its pools' reservations protect of its
/// entitlement is a floor never reclaimed (balloon, compression or swap), as its own
/// reservation is; under a pool with a memory limit, its cap (`Entitlements.cap`) is
/// reclaimed above at any free-memory state, as its own limit is.
extension Entitlements {
    func deliverMemory() {
        let delivering = !root.pools.isEmpty
        guard delivering || memoryDelivered else { return }
        memoryDelivered = delivering
        let pageSize = Double(Units.pageSize)
        let (weight, capColumn, protect) = (self.weight, self.cap, self.protect)
        forEachVMNode { vm, i in
            var shares: Double?, floor: Int64 = 0, cap: Int64?
            if delivering && vm.host.memory.settings.usesTargets {
                shares = max(1, weight[i] / Double(Units.MiB) * 10)
                floor = Int64(protect[i] / pageSize)
                if capColumn[i].isFinite { cap = max(Int64(capColumn[i] / pageSize), 1) }
            }
            let g = vm.guest
            guard shares != vm.poolMemShares || floor != g.poolFloorPages || cap != g.poolCapPages else { return }
            vm.poolMemShares = shares
            g.poolFloorPages = floor
            g.poolCapPages = cap
            if vm.state.holdsResources { vm.host.memory.settingsChanged() }
        }
    }
}
