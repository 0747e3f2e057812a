/// Isolation as something a lab can break (datacenter-facts §4.7): containers are processes
/// sharing one kernel, so a kernel fault stops them all and a kernel exploit from one of
/// them takes the kernel and every container on it; a VM guest's kernel is one VM's, so
/// the same stays inside that VM unless a hypervisor bug (VENOM-like) is also modelled.
extension LinuxKernel {
    /// A kernel fault (`node:panic()`, `vm.guest:panic()`): every container on this kernel
    /// dies at once; nothing starts on it until `reboot()`. A guest kernel's panic leaves
    /// the VM powered on (the hypervisor sees a halted guest) and its neighbours untouched.
    public func panic() throws {
        guard panickedAt == nil else { throw ModelError("panic: \(description) has already panicked (at \(panickedAt!))") }
        settleCPU()
        settleMemory()
        let live = liveContainers
        panickedAt = datacenter.now
        datacenter.log.record(datacenter.now, "container.panic", host.description,
                              "kernel panic on \(description): \(live.count) container\(live.count == 1 ? "" : "s") stop")
        for k in live { end(k, state: .exited, code: nil, reason: "kernel panic on \(description)") }
        if let vm {
            for w in vm.workloads where w.isRunning { try? vm.stop(w) }
            helper = nil
        }
    }

    /// The kernel boots again after a panic (containers do not come back by themselves).
    public func reboot() throws {
        guard panickedAt != nil else { throw ModelError("reboot: \(description) has not panicked") }
        panickedAt = nil
        compromised = false
        datacenter.log.record(datacenter.now, "container.panic", host.description, "\(description) rebooted")
    }

    /// A modelled kernel exploit (e.g. Dirty COW) run from `k`: it takes this kernel, so
    /// every live container on it is compromised. With `hypervisorBug` on a guest kernel it
    /// also escapes the VM: every kernel in every VM on the same host, and their
    /// containers, are compromised. Returns the compromised containers, `k` first.
    public func exploit(from k: Container, hypervisorBug: Bool = false) throws -> [Container] {
        guard k.kernel === self, k.state == .running else {
            throw ModelError("exploit: \(k.description) is \(k.state.rawValue); an exploit runs from a running container")
        }
        guard !hypervisorBug || vm != nil else {
            throw ModelError("exploit: hypervisor_bug needs a container in a VM guest (\(description) is a bare-metal kernel: the exploit already owns the host)")
        }
        var kernels = [self]
        if hypervisorBug {
            kernels = datacenter.containerRegistry.kernels.filter { $0.host === host && $0.vm != nil }
        }
        var hit = [k]
        for kern in kernels {
            kern.compromised = true
            for c in kern.containers where c.state.isLive && c !== k { hit.append(c) }
        }
        for c in hit { c.compromised = true }
        let scope = hypervisorBug ? "escaped \(vm!.name) through a hypervisor bug: \(host.name) and every VM guest on it"
                                  : vm.map { "stays inside \($0.name) (the hypervisor isolates its guest kernel)" } ?? "owns \(host.name)'s kernel"
        datacenter.log.record(datacenter.now, "container.exploit", k.description,
                              "kernel exploit \(scope): \(hit.count) container\(hit.count == 1 ? "" : "s") compromised")
        return hit
    }
}

extension LinuxKernel {
    /// Its VM is going down (powered off, crashed, its host failed): every container on it
    /// ends; the guest that boots next starts with none, not panicked.
    func guestGoingDown(code: Int?, reason: String) {
        guard let vm else { return }
        for k in liveContainers { end(k, state: .exited, code: code, reason: reason) }
        helper = nil
        panickedAt = nil
        guestTouched = 0
        lastVMRun = vm.cpuCounters.run
    }
}

extension VM {
    /// `vm:crash()`: the VM goes down at once — its guest kernel faulted and halted it, or
    /// its VMM died — taking its own containers and memory; its host and other VMs go on.
    public func crashAlone() throws {
        guard state == .on else { throw ModelError("crash: \(description) is \(state.rawValue); only a running VM can crash") }
        guestKernel?.guestGoingDown(code: nil, reason: "\(name) crashed")
        try powerOff()
        datacenter.log.record(now, "vm.power", description, "crashed: its guest and containers are gone; \(host.name) and its other VMs go on")
    }
}
