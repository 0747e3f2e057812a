/// Changing a VM's vCPU count and memory size, as vSphere's Edit Settings allows: freely
/// while it is off; while it runs only upward and only when it was created with CPU hot
/// add / memory hot plug (vSphere cannot hot-remove either). Everything is checked
/// before anything changes, so a refusal leaves the VM, its host and its datastore as
/// they were. Overhead memory follows the new size (Overhead.swift), and so do the
/// per-vCPU counters, the guest's memory and the `.vswp` file (configured − reservation).
extension VM {
    public func reconfigure(vcpus newVCPUs: Int? = nil, memory newMemory: Int64? = nil) throws {
        let n = newVCPUs ?? vcpus
        let mem = newMemory.map { Units.pages($0) } ?? memory
        guard n != vcpus || mem != memory else { return }
        try checkReconfigure(vcpus: n, memory: mem)
        let before = "\(vcpus) vCPU\(vcpus == 1 ? "" : "s"), \(Units.formatBytes(memory)), overhead \(Units.formatBytes(overheadReservation))"
        let oldOverhead = overheadReservation
        let running = state.holdsResources
        if n != vcpus { setVCPUs(n) }
        if mem != memory {
            if running { host.memory.deleteSwapFile(of: self) }
            memory = mem
            guest.grow(to: mem)
            if running { host.memory.createSwapFile(for: self) }
        }
        if running {
            let delta = overheadReservation - oldOverhead
            host.memory.reserved += delta
            host.memory.overheadBytes += delta
            host.memory.settingsChanged()
            pool?.root.solver.markPending()
        }
        datacenter.log.record(now, "vm.reconfigure", description,
                              "\(before) -> \(vcpus) vCPU\(vcpus == 1 ? "" : "s"), \(Units.formatBytes(memory)), overhead \(Units.formatBytes(overheadReservation))\(running ? " (hot add)" : "")")
    }

    /// Every reason the change cannot be made, before any of it is.
    private func checkReconfigure(vcpus n: Int, memory mem: Int64) throws {
        let who = "reconfigure: \(description)"
        guard !isHostProcesses else { throw ModelError("\(who) is not a VM") }
        guard (1...VMSpec.maxVCPUs).contains(n) else {
            throw ModelError("\(who): vcpus \(n) is not allowed (use 1 to \(VMSpec.maxVCPUs))")
        }
        guard mem >= 4 * Units.MiB, mem <= 24 * Units.TiB else {
            throw ModelError("\(who): memory \(Units.formatBytes(mem)) is not allowed (use 4 MiB to 24 TiB)")
        }
        guard memAllocation.max == nil || mem == memory else {
            throw ModelError("\(who): memory cannot change on a Xen domain with mem.max (its maxmem); set its target with mem_set")
        }
        if state == .suspended {
            throw ModelError("\(who) is suspended; resume and power it off first (a suspended VM's hardware cannot change)")
        }
        let running = state.holdsResources
        if running, n != vcpus {
            guard spec.cpuHotAdd else {
                throw ModelError("\(who): vcpus \(n) is not allowed while it is \(state.rawValue) (it has \(vcpus)): power it off first, or create it with cpu_hot_add = true")
            }
            guard n > vcpus else {
                throw ModelError("\(who): vcpus \(n) is not allowed while it is \(state.rawValue): vSphere cannot hot-remove vCPUs (it has \(vcpus); use more, or power it off first)")
            }
        }
        if running, mem != memory {
            guard spec.memoryHotAdd else {
                throw ModelError("\(who): memory \(Units.formatBytes(mem)) is not allowed while it is \(state.rawValue) (it has \(Units.formatBytes(memory))): power it off first, or create it with memory_hot_add = true")
            }
            guard mem > memory else {
                throw ModelError("\(who): memory \(Units.formatBytes(mem)) is not allowed while it is \(state.rawValue): vSphere cannot hot-remove memory (it has \(Units.formatBytes(memory)); use more, or power it off first)")
            }
        }
        if n > host.cpus && host.scheduler.kind != .fair {
            throw ModelError("\(who): vcpus \(n) is more than \(host.name)'s \(host.cpus) pCPUs (a VM cannot have more vCPUs than its host has physical CPUs)")
        }
        var s = VMSpec(name: name, vcpus: n, memory: mem, cpu: cpuAllocation, mem: memAllocation)
        s.guest = guestOS
        try s.checkAllocation(who: who, on: host)
        guard running else { return }
        let extra = (spec.overhead ?? Overhead.bytes(configured: mem, vcpus: n)) - overheadReservation
        if extra > host.memory.unreserved {
            datacenter.log.record(now, "admission", description, "reconfigure refused: overhead +\(Units.formatBytes(extra))")
            throw ModelError("\(who): the new size needs \(Units.formatBytes(extra)) more overhead memory but \(host.name) has only \(Units.formatBytes(host.memory.unreserved)) unreserved (admission control)")
        }
        if host.memory.usesSwapFiles, mem > memory {
            let grow = mem - memory
            let ds = swapDatastore
            guard grow <= ds.free else {
                throw ModelError("\(who): its .vswp would grow by \(Units.formatBytes(grow)) (configured − reservation) but \(ds.description) has only \(Units.formatBytes(ds.free)) free")
            }
        }
    }

    /// The new vCPUs start with no time; a running VM leaves its slots and takes a run
    /// of the new size (its time so far kept in `cpuHistory`, as at a migration).
    private func setVCPUs(_ n: Int) {
        let running = state == .on
        if running { releaseCPU() }
        let old = vcpus
        vcpus = n
        if n > old {
            cpuHistory.append(contentsOf: repeatElement(CPUCounters(), count: n - old))
            metrics.vcpu.append(contentsOf: repeatElement(CPUSample(), count: n - old))
            if metrics.lastCounters.count == old {
                metrics.lastCounters.append(contentsOf: repeatElement(CPUCounters(), count: n - old))
            }
        } else {
            cpuHistory.removeLast(old - n)
            metrics.vcpu.removeLast(old - n)
            if metrics.lastCounters.count == old { metrics.lastCounters.removeLast(old - n) }
        }
        if running {
            host.cpu.attach(self, at: now)
            host.cpu.refreshWorkloads(of: self, at: now)
        }
    }
}

extension GuestMemory {
    /// More (or, while off, less) memory for the guest: the new pages are untouched, and
    /// its page file keeps the configured size.
    func grow(to bytes: Int64) {
        let pagesNow = Units.pages(bytes) / Units.pageSize
        let delta = pagesNow - configuredPages
        configured = Units.pages(bytes)
        configuredPages = pagesNow
        untouchedPages = max(0, untouchedPages + delta)
        guestSwapPages = max(0, guestSwapPages + delta)
    }
}
