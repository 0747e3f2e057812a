/// The host's reclamation decisions: allocation targets each balance period, balloon
/// targets and the driver's progress, and compression and swapping.
extension HostMemory {
    // MARK: targets

    /// Recomputes every VM's allocation target (ESXi) and, with a policy, the balloon
    /// targets it chooses. Free memory is aimed a margin above the clear threshold.
    func balance(at t: SimTime) {
        lastBalance = t
        if settings.usesTargets {
            let pageSize = Double(Units.pageSize)
            let goal = Double(edges[1]) * (1 + 2 * settings.machine.hysteresis)
            let available = (Double(capacity - overheadBytes) - goal) / pageSize
            demands.removeAll(keepingCapacity: true)
            for vm in resident {
                let g = vm.guest
                let held = Double(charged(vm))
                let need = held + Double(g.pendingPages + g.pendingZeroPages + g.activeNotResident + g.guestSwappedActive)
                var high = min(Double(vm.memLimitPages ?? g.configuredPages), Double(g.configuredPages), need)
                if let cap = g.poolCapPages { high = min(high, Double(cap)) }
                let reserved = max(Double(vm.memAllocation.reservation) / pageSize, Double(g.poolFloorPages))
                demands.append(MemoryTargets.Demand(
                    shares: vm.poolMemShares ?? Double(vm.memShares), active: Double(vm.active) / pageSize,
                    low: min(reserved, high), high: high))
            }
            MemoryTargets.compute(demands, available: max(0, available), idleTax: settings.idleTax, into: &targets)
            for (i, vm) in resident.enumerated() { vm.guest.targetPages = targets[i] }
        }
        if let policy = settings.balloon.policy { runPolicy(policy) }
    }

    private func runPolicy(_ policy: BalloonPolicy) {
        let view = BalloonView(
            now: now, state: state, capacity: capacity, free: free, minFree: minFree, edges: edges,
            vms: resident.map { vm in
                BalloonView.VMView(
                    name: vm.name, configured: vm.guest.configured, reservation: vm.memAllocation.reservation,
                    limit: vm.memAllocation.limit, shares: vm.memShares, active: vm.active, consumed: vm.consumed,
                    granted: vm.granted, ballooned: vm.ballooned, swapped: vm.swapped, compressed: vm.compressed,
                    maxBalloon: balloonCap(vm) * Units.pageSize, tools: vm.tools,
                    target: vm.guest.targetPages * Units.pageSize)
            })
        do {
            let chosen = try policy.targets(view)
            for (name, _) in chosen where !resident.contains(where: { $0.name == name }) {
                throw ModelError("balloon policy \(policy.name) set a target for \(name), which is not a powered-on VM on \(host.name)")
            }
            for vm in resident {
                let bytes = chosen[vm.name] ?? 0
                let cap = balloonCap(vm) * Units.pageSize
                guard bytes >= 0, bytes <= cap else {
                    throw ModelError("balloon policy \(policy.name) set \(vm.description)'s balloon target to \(Units.formatBytes(bytes)); allowed: 0 to \(Units.formatBytes(cap)) (min(max_percent × configured, max_balloon, configured − reservation)\(vm.tools ? "" : "; it has no balloon driver"))")
                }
                vm.guest.balloonTargetPages = Units.pages(bytes) / Units.pageSize
            }
            log("memory.balloon", host.description,
                                  "balloon policy \(policy.name): " + resident.map { "\($0.name) \(Units.formatBytes($0.guest.balloonTargetPages * Units.pageSize))" }.joined(separator: ", "))
        } catch let e as ModelError {
            datacenter.fail(e)
        } catch {
            datacenter.fail(ModelError("balloon policy \(policy.name) failed: \(error)"))
        }
    }

    /// The most a VM's balloon may hold, in pages: min(Mem.CtlMaxPercent × configured,
    /// sched.mem.maxmemctl, configured − reservation − what the host already took).
    func balloonCap(_ vm: VM) -> Int64 { balloonCap(vm.guest) }

    func balloonCap(_ g: GuestMemory) -> Int64 {
        guard g.tools, settings.balloon.enabled else { return 0 }
        var cap = Int64(Double(g.configuredPages) * settings.balloon.maxPercent / 100)
        if let m = g.maxBalloonPages { cap = min(cap, m) }
        return max(0, min(cap, g.configuredPages - g.floorPages - g.compressedPages - g.swappedPages))
    }

    /// Sets a VM's balloon target and lets its driver move toward it at its rates.
    func balloonStep(_ vm: VM, _ rates: (inflate: Int64, paging: Int64, deflate: Int64)) -> Bool {
        let g = vm.guest
        let cap = balloonCap(g)
        let b = settings.balloon
        if b.automatic && b.policy == nil { g.balloonTargetPages = automaticTarget(g, cap: cap) }
        let target = min(g.balloonTargetPages, cap)
        var moved = false
        // ESXi stops ballooning in hard and low, where it compresses and swaps instead
        let mayInflate = !(settings.usesTargets && state >= .hard)
        if g.balloonPages < target && mayInflate {
            moved = g.inflateBalloon(min(target - g.balloonPages, rates.inflate), paging: rates.paging) > 0
        } else if g.balloonPages > target {
            let back = g.deflateBalloon(min(g.balloonPages - target, rates.deflate, settings.lazyAllocation ? .max : freePages))
            if !settings.lazyAllocation { g.populate(back) }
            moved = back > 0
        }
        logBalloon(vm, target: target)
        return moved
    }

    /// ESXi's balloon target: under pressure (soft and below) what the VM holds above
    /// its allocation target; at any state what it holds above its limit. In clear the
    /// balloon only gives back what the VM's target leaves room for; in high, where
    /// memory is plentiful, it deflates.
    private func automaticTarget(_ g: GuestMemory, cap: Int64) -> Int64 {
        let held = charged(g)
        // with a limit the balloon holds what the VM has above it, in any state
        let forLimit = g.capPages.map { g.balloonPages + held - $0 }
        let target: Int64
        switch state {
        case .soft, .hard, .low: target = g.balloonPages + max(held - g.targetPages, forLimit.map { $0 - g.balloonPages } ?? .min)
        case .clear: target = max(g.balloonPages + min(held - g.targetPages, 0), forLimit ?? 0)
        case .high: target = forLimit ?? 0
        }
        return min(cap, max(0, target))
    }

    /// Logs a VM's balloon target when it starts or ends, or moves by a quarter (at least
    /// 256 MiB), so the log explains ballooning without a line per second.
    private func logBalloon(_ vm: VM, target: Int64) {
        let g = vm.guest
        let last = g.loggedBalloonTarget
        let step = max(256 * Units.MiB / Units.pageSize, last / 4)
        guard (target == 0) != (last == 0) || abs(target - last) >= step else { return }
        g.loggedBalloonTarget = target
        log("memory.balloon", vm.description, target > 0
            ? "balloon target \(Units.formatBytes(target * Units.pageSize)), balloon \(Units.formatBytes(g.ballooned)) (\(host.name) \(state.name), holds \(Units.formatBytes(charged(vm) * Units.pageSize)), target \(Units.formatBytes(g.targetPages * Units.pageSize))\(vm.memLimitPages.map { ", limit \(Units.formatBytes($0 * Units.pageSize))" } ?? ""))"
            : "balloon target 0: deflating from \(Units.formatBytes(g.ballooned))")
    }

    // MARK: compression and swapping

    /// ESXi compresses and swaps in hard and low toward each VM's target, and at any
    /// state what a VM holds above its limit when its balloon cannot take it. (KVM's
    /// kswapd works host-wide: `kswapd`.)
    func hostReclaimStep(_ vm: VM) -> Bool {
        let g = vm.guest
        let held = charged(g)
        let floor = g.floorPages
        var excess: Int64 = 0
        if settings.usesTargets && state >= .hard { excess = held - g.targetPages }
        if let limit = g.capPages, held > limit {
            let balloonCanTake = balloonCap(g) > g.balloonPages && !(settings.usesTargets && state >= .hard)
            if !balloonCanTake { excess = max(excess, held - limit) }
        }
        // reserved memory stays resident: never reclaim below the reservation
        excess = min(excess, g.grantedPages - floor)
        g.swapTargetPages = g.swappedPages + g.compressedPages + max(0, excess)
        guard excess > 0 else {
            if g.hostReclaiming { logReclaim(vm, active: false) }
            return false
        }
        if settings.sharing.enabled { sharing.shareNow(vm) }
        return reclaim(vm, excess) > 0
    }

    /// Compresses or swaps up to `n` of a VM's pages; returns how many went.
    @discardableResult
    func reclaim(_ vm: VM, _ n: Int64, rows: RowSet = .all) -> Int64 {
        let io = swapBudget(of: vm)
        var writes = settings.swap.enabled ? io.writePages(at: now) : 0
        let zswap = settings.compression.mode == .zswap
        var room: Int64
        if zswap {
            let pool = Int64(Double(capacity) * settings.compression.maxPoolPercent / 100)
            let usedPool = resident.reduce(0) { $0 + cacheBytes(of: $1) }
            if usedPool >= pool { zswapRefusing = true }
            if Double(usedPool) < Double(pool) * settings.compression.acceptThresholdPercent / 100 { zswapRefusing = false }
            room = zswapRefusing ? 0 : pool - usedPool
        } else {
            room = Int64(Double(vm.guest.configured) * settings.compression.cachePercent / 100) - vm.guest.cacheBytes
        }
        let compress = settings.compression.enabled && room > 0
        let before = writes
        let got = vm.guest.reclaimToHost(n, rows: rows, compress: compress, zswap: zswap, room: max(0, room), swapBudget: &writes)
        io.use(read: 0, write: before - writes)
        logReclaim(vm, active: got > 0)
        return got
    }

    /// Linux reclaim on the KVM host: from free memory below minFree back up past the
    /// margin, idle pages of every guest first (its LRU), then their working sets.
    func kswapd() -> Bool {
        let goal = Int64(Double(edges[1]) * (1 + 2 * settings.machine.hysteresis))
        var need = (goal - free) / Units.pageSize
        guard need > 0 else { return false }
        var moved = false
        for rows in [RowSet(.zeroFree, .dataFree, .image, .zeroUsed, .idle), RowSet(.active)] where need > 0 {
            let pool = resident.reduce(0) { $0 + max(0, min($1.guest.pages.count(rows: rows, columns: .privateBacked),
                                                              $1.guest.privatePages - $1.memAllocation.reservation / Units.pageSize)) }
            guard pool > 0 else { continue }
            var left = need
            for vm in resident where left > 0 {
                let mine = max(0, min(vm.guest.pages.count(rows: rows, columns: .privateBacked),
                                      vm.guest.privatePages - vm.memAllocation.reservation / Units.pageSize))
                let share = min(left, (need * mine + pool - 1) / pool)
                let got = reclaim(vm, share, rows: rows)
                left -= got
                moved = moved || got > 0
            }
            need = left
        }
        return moved
    }

    /// Logs when the host starts compressing and swapping a VM, and when it has not
    /// needed to for a minute.
    private func logReclaim(_ vm: VM, active: Bool) {
        let g = vm.guest
        if active {
            g.lastReclaim = now
            guard !g.hostReclaiming else { return }
            g.hostReclaiming = true
            log("memory.swap", vm.description,
                "\(settings.compression.enabled ? "compressing and swapping" : "swapping") (\(host.name) \(state.name), holds \(Units.formatBytes(charged(vm) * Units.pageSize)), target \(Units.formatBytes(g.targetPages * Units.pageSize))\(vm.memLimitPages.map { ", limit \(Units.formatBytes($0 * Units.pageSize))" } ?? ""))")
        } else if g.hostReclaiming && now.micros - g.lastReclaim.micros >= 60_000_000 {
            g.hostReclaiming = false
            log("memory.swap", vm.description,
                                  "host reclamation stopped: compressed \(Units.formatBytes(vm.compressed)), swapped \(Units.formatBytes(vm.swapped))")
        }
    }
}
