/// One step of the host's memory management. Each VM is visited once — its
/// applications allocate, its guest faults, its balloon moves, the host compresses and
/// swaps — against the state and targets of the step before (one visit per VM keeps its
/// data in cache); then the state is updated, page sharing scans and targets are
/// rebalanced. Every second while anything moves.
extension HostMemory {
    func tick(at t: SimTime, seconds: Double) -> Activity {
        // the resident VMs' objects are scattered over the heap: the memory clock asked
        // for them hosts ahead (MemoryClock.prefetch), so their misses overlap instead of
        // stalling the loop one VM after another
        var moving = false
        // machine pages free for the guests this second, drawn down as they take them
        var free = freePages
        let b = settings.balloon
        let rates = (inflate: Int64(b.inflateRate * seconds) / Units.pageSize,
                     paging: Int64(b.pagingRate * seconds) / Units.pageSize,
                     deflate: Int64(b.deflateRate * seconds) / Units.pageSize)
        let hostReclaims = settings.swap.enabled || settings.compression.enabled
        var allocating = false
        resident.forEachUnretained { vm in
            let g = vm.guest
            if g.running {
                if g.allocatingCount > 0 {
                    var finished = false
                    g.allocating.forEachUnretained { w in
                        moving = allocate(w, vm, seconds: seconds, free: &free) || moving
                        finished = finished || !w.isAllocating
                    }
                    if finished {
                        g.allocating.removeAll { !$0.isAllocating }
                        g.allocatingCount = g.allocating.count
                    }
                    allocating = allocating || g.allocatingCount > 0
                }
                moving = guestStep(vm, free: &free) || moving
                moving = balloonStep(vm, rates) || moving
            }
            if hostReclaims { moving = hostReclaimStep(vm) || moving }
        }
        if hostReclaims && settings.swap.mode == .device && state >= .soft { moving = kswapd() || moving }
        account()
        let stateChanged = updateState()
        // the scanner's effect over ten seconds is the same in one step as in ten (savings
        // grow over an hour), so it runs every ten seconds, or at once on a state change
        let sharingSettings = settings.sharing
        let sinceScan = Double(t.micros - lastScan.micros) / 1e6
        if sharingSettings.enabled && (sinceScan >= 10 || stateChanged) {
            sharing.scan(resident, seconds: sinceScan, state: state, hostGHz: host.capacityMHz / 1000, settings: sharingSettings)
            lastScan = t
            account()
        }
        if stateChanged || t.micros >= lastBalance.micros + settings.balancePeriod.micros { balance(at: t) }
        if moving || stateChanged || allocating { return .moving }
        return sharingHasWork() ? .scanning : .idle
    }

    /// A memory workload allocates at its rate, as free machine memory allows. Its demand
    /// grows with the time it runs, not with wall time: what a stalled (blocked, short of
    /// memory, powered-off) workload could not allocate is not owed later, so when it is
    /// released it goes on at its rate instead of catching up in one burst.
    private func allocate(_ w: MemoryWorkload, _ vm: VM, seconds: Double, free: inout Int64) -> Bool {
        let since = w.allocatedUntil ?? w.started
        let dt = max(0, min(seconds, (now - since).seconds))
        w.allocatedUntil = now
        let owed = w.owed + w.rate * dt
        let target = min(w.size, w.allocated + Int64(owed) / Units.pageSize * Units.pageSize)
        let want = min(target - w.allocated, vm.guest.available + GuestMemory.bytes(vm.guest.pageablePages))
        guard want > 0 else {
            w.owed = min(owed, Double(Units.pageSize))
            return false
        }
        var budget = isBlocked(vm) ? 0 : free
        let before = budget
        let setBefore = w.workingSet
        let n = vm.guest.allocate(want / Units.pageSize, zero: w.zero, mix: w.mix,
                                  largePages: settings.sharing.largePages, budget: &budget)
        free -= before - budget
        w.allocated += n * Units.pageSize
        // the fraction of a page carries over; an unmet demand does not
        w.owed = n * Units.pageSize < want ? 0 : owed - Double(n * Units.pageSize)
        vm.guest.workingSetPages += (w.workingSet - setBefore) / Units.pageSize
        vm.guest.syncWorkingSet()
        if n * Units.pageSize < want && !w.stalled {
            w.stalled = true
            log("memory.short", vm.description,
                                  "\(w.summary) stalls: \(vm.guest.blocked ? "blocked in the low state" : "\(host.name) has no free machine memory")")
        } else if n * Units.pageSize >= want {
            w.stalled = false
        }
        return true
    }

    /// The guest's own activity: writes waiting for memory, its working set faulting
    /// back in from host swap or the compression cache, pages coming back from its swap.
    private func guestStep(_ vm: VM, free: inout Int64) -> Bool {
        let g = vm.guest
        var budget = isBlocked(g) ? 0 : free
        let startBudget = budget
        defer { free -= startBudget - budget }
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
            let available = io.readPages(at: now)
            var reads = available
            let before = g.traffic
            g.faultInActive(budget: &budget, swapBudget: &reads)
            io.use(read: available - reads, write: 0)
            moved = moved || g.traffic != before
        }
        if g.guestSwappedActive > 0 {
            let before = g.guestSwappedActive
            g.pageInActive(limit: Int64(settings.balloon.pagingRate) / Units.pageSize, budget: &budget)
            moved = moved || g.guestSwappedActive < before
        }
        let blocked = isBlocked(g)
        if blocked != g.blocked {
            g.blocked = blocked
            log("memory.block", vm.description, blocked
                ? "blocked: \(host.name) is in the low state and the VM holds \(Units.formatBytes(charged(vm) * Units.pageSize)), above its target \(Units.formatBytes(g.targetPages * Units.pageSize))"
                : "no longer blocked")
        }
        return moved || g.pendingPages > 0 || g.pendingZeroPages > 0
    }

    /// Moves to the state free memory calls for, logging why; true when it changed.
    @discardableResult
    func updateState() -> Bool {
        let before = state
        guard settings.machine.update(free: free, minFree: minFree, now: now) else { return false }
        let e = edges
        log("memory.state", host.description,
                              "\(before.name) → \(state.name): free \(Units.formatBytes(free)), minFree \(Units.formatBytes(minFree)) (high ≥ \(Units.formatBytes(e[0])), clear ≥ \(Units.formatBytes(e[1])), soft ≥ \(Units.formatBytes(e[2])), hard ≥ \(Units.formatBytes(e[3])))")
        if state > .high && !largePagesBroken && settings.sharing.largePages {
            largePagesBroken = true
            log("memory.share", host.description,
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
    /// host's swap device, each with the I/O budget of its kind. A resident VM's swap file
    /// is on this host's first datastore (or its local disk), which never changes: looked
    /// up once (the lookup's retains were 2 % of a memory tick).
    func swapBudget(of vm: VM) -> IOBudget {
        assert(vm.host === host && vm.swapDatastore.io === swapFileBudget)
        return settings.swap.mode == .device ? swapDevice : swapFileBudget
    }
}

extension HostMemory {
    // the stages of the memory clock's hints (MemoryClock.prefetch), each reading only
    // what the one before brought in

    /// The VMs.
    func prefetchResident() {
        resident.forEachUnretained { Prefetch.object($0, lines: 8) }
    }

    /// Their guests, whole (a tick reads from its first line, `tools`, to its last, `lastReclaim`).
    func prefetchGuests() {
        resident.forEachUnretained { Prefetch.object($0.guest, lines: 8) }
    }

    /// The guests' page counts and lists of allocating workloads.
    func prefetchInner() {
        resident.forEachUnretained { vm in
            let g = vm.guest
            g.pages.prefetch()
            if g.allocatingCount > 0 { Prefetch.arrayHead(&g.allocating, lines: 1) }
        }
    }

    /// The allocating workloads (each its own object, read at every tick while it allocates).
    func prefetchWorkloads() {
        resident.forEachUnretained { vm in
            let g = vm.guest
            if g.allocatingCount > 0 { g.allocating.forEachUnretained { Prefetch.object($0, lines: 4) } }
        }
    }
}
