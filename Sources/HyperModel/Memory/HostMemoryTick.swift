/// One step of the host's memory management: the guests allocate and fault, page
/// sharing scans, targets are rebalanced, balloons move and the host compresses and
/// swaps — in that order, each second while anything moves.
extension HostMemory {
    func tick(at t: SimTime, seconds: Double) -> Activity {
        for vm in resident { swapBudget(of: vm).refill(at: t, seconds: seconds) }
        var moving = false
        for w in allocating { moving = allocate(w, seconds: seconds) || moving }
        allocating.removeAll { !$0.isAllocating }
        for vm in resident where vm.state == .on { moving = guestStep(vm) || moving }
        account()
        let stateChanged = updateState()
        let sharingSettings = settings.sharing
        if sharingSettings.enabled {
            sharing.scan(resident, seconds: seconds, state: state, hostGHz: host.capacityMHz / 1000, settings: sharingSettings)
            account()
        }
        if stateChanged || t.micros >= lastBalance.micros + settings.balancePeriod.micros { balance(at: t) }
        moving = balloonStep(seconds: seconds) || moving
        moving = hostReclaimStep() || moving
        account()
        if updateState() { moving = true }
        if moving || !allocating.isEmpty { return .moving }
        return sharingHasWork() ? .scanning : .idle
    }

    /// A memory workload allocates at its rate, as free machine memory allows.
    private func allocate(_ w: MemoryWorkload, seconds: Double) -> Bool {
        guard let vm = w.vm, vm.state == .on else { return false }
        let target = min(w.size, Units.pages(Int64(w.rate * (now - w.started).seconds)))
        let want = min(target - w.allocated, vm.guest.available + GuestMemory.bytes(vm.guest.pageablePages))
        guard want > 0 else { return false }
        var budget = allocationBudget(for: vm)
        let n = vm.guest.allocate(want / Units.pageSize, zero: w.zero, mix: w.mix,
                                  largePages: settings.sharing.largePages, budget: &budget)
        w.allocated += n * Units.pageSize
        vm.guest.workingSetPages = vm.workloads.compactMap { ($0 as? MemoryWorkload)?.workingSet }.reduce(0, +) / Units.pageSize
        vm.guest.syncWorkingSet()
        if n * Units.pageSize < want && !w.stalled {
            w.stalled = true
            datacenter.log.record(now, "memory.short", vm.description,
                                  "\(w.summary) stalls: \(vm.guest.blocked ? "blocked in the low state" : "\(host.name) has no free machine memory")")
        } else if n * Units.pageSize >= want {
            w.stalled = false
        }
        return true
    }

    /// The guest's own activity: writes waiting for memory, its working set faulting
    /// back in from host swap or the compression cache, pages coming back from its swap.
    private func guestStep(_ vm: VM) -> Bool {
        let g = vm.guest
        var budget = allocationBudget(for: vm)
        var moved = false
        if g.pendingZeroPages > 0 {
            let before = g.pendingZeroPages
            g.zeroAtBoot(before, largePages: settings.sharing.largePages, budget: &budget)
            moved = moved || g.pendingZeroPages < before
        }
        if g.pendingPages > 0 {
            let n = g.allocate(g.pendingPages, largePages: settings.sharing.largePages, budget: &budget)
            g.pendingPages -= n
            moved = true
        }
        if g.activeNotResident > 0 {
            let io = swapBudget(of: vm)
            var reads = io.readPages
            let before = g.traffic
            g.faultInActive(budget: &budget, swapBudget: &reads)
            io.use(read: io.readPages - reads, write: 0)
            moved = moved || g.traffic != before
        }
        if g.guestSwappedActive > 0 {
            let before = g.guestSwappedActive
            g.pageInActive(limit: Int64(settings.balloon.pagingRate) / Units.pageSize, budget: &budget)
            moved = moved || g.guestSwappedActive < before
        }
        let blocked = state == .low && settings.usesTargets && charged(vm) > g.targetPages
        if blocked != g.blocked {
            g.blocked = blocked
            datacenter.log.record(now, "memory.block", vm.description, blocked
                ? "blocked: \(host.name) is in the low state and the VM holds \(Units.formatBytes(charged(vm) * Units.pageSize)), above its target \(Units.formatBytes(g.targetPages * Units.pageSize))"
                : "no longer blocked")
        }
        return moved || g.pendingPages > 0 || g.pendingZeroPages > 0
    }

    /// Moves to the state free memory calls for, logging why; true when it changed.
    @discardableResult
    func updateState() -> Bool {
        let before = state
        guard settings.machine.update(free: free, minFree: minFree) else { return false }
        let e = edges
        datacenter.log.record(now, "memory.state", host.description,
                              "\(before.name) → \(state.name): free \(Units.formatBytes(free)), minFree \(Units.formatBytes(minFree)) (high ≥ \(Units.formatBytes(e[0])), clear ≥ \(Units.formatBytes(e[1])), soft ≥ \(Units.formatBytes(e[2])), hard ≥ \(Units.formatBytes(e[3])))")
        if state > .high && !largePagesBroken && settings.sharing.largePages {
            largePagesBroken = true
            datacenter.log.record(now, "memory.share", host.description,
                                  "free memory below the high threshold: large pages are broken as they are scanned, so their small pages can be shared")
        } else if state == .high {
            largePagesBroken = false
        }
        lastBalance = SimTime(micros: Int64.min / 2)
        wakeEverySecond()
        return true
    }

    /// Whether the scanner would still find something to share.
    private func sharingHasWork() -> Bool {
        guard settings.sharing.enabled else { return false }
        let columns: ColumnSet = state > .high ? .privateBacked : ColumnSet(.small)
        for vm in resident {
            let g = vm.guest
            if g.pages.count(rows: .zero, columns: columns) > 0 { return true }
            if settings.sharing.mode == .ksm && g.pages.count(rows: RowSet(.image), columns: columns) > 0 && resident.count > 1 { return true }
            if g.pages.count(rows: RowSet(.image), columns: columns) > 0 && resident.contains(where: { $0 !== vm && $0.guest.imageGroup == g.imageGroup }) {
                return true
            }
        }
        return false
    }

    /// Where a VM's host-swapped pages go: its datastore's swap file (ESXi) or the KVM
    /// host's swap device, each with the I/O budget of its kind.
    func swapBudget(of vm: VM) -> IOBudget {
        settings.swap.mode == .device ? swapDevice : vm.swapDatastore.io
    }
}
