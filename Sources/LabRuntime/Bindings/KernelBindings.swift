import HyperModel
import LuaKit

/// A Linux kernel as a container host: a node's or a VM guest's (docs/containers.md).
extension LabAPI {
    func defineKernel() {
        kernel.property("host", "lab.Host", "The host it runs on (in a VM guest: the VM's host).", stable: true) { [unowned(unsafe) self] k, c in c.push(k.host, self.host) }
            .property("vm", "lab.VM?", "The VM whose guest it is; nil on a bare-metal node.", stable: true) { [unowned(unsafe) self] k, c in
                if let v = k.vm { c.push(v, self.vm) } else { c.pushNil() }
            }
            .property("cpus", "integer", "CPUs it schedules on (the node's pCPUs or the VM's vCPUs).", stable: true) { k, c in c.push(k.cpus) }
            .property("memory", "integer", "Memory it gives containers: the node's, or the guest's configured memory.") { k, c in c.push(k.memoryCapacity) }
            .property("memory_used", "integer", "Containers' resident memory plus their per-instance overhead, bytes.") { k, c in
                c.push(k.residentUsed)
            }
            .property("page_cache", "integer", "Image layers in the page cache: each layer a running container uses, once.") { k, c in c.push(k.pageCache) }
            .property("image_bytes", "integer", "Image layers on its disk, each once however many containers use it.") { k, c in c.push(k.imageBytes) }
            .property("containers", "lab.Container[]", "Containers made on it, in creation order.") { [unowned(unsafe) self] k, c in
                c.pushArray(k.containers) { c.push($0, self.container) }
            }
            .property("panicked", "boolean", "It panicked and has not rebooted.") { k, c in c.push(k.panickedAt != nil) }
            .property("compromised", "boolean", "A modelled kernel exploit took it.") { k, c in c.push(k.compromised) }
            .property("swap", "integer", "Swap space, bytes (a node's default 2 GiB; a guest's swap = its memory); writable while no container runs.",
                      get: { k, c in c.push(k.swapCapacity) },
                      set: { k, c in
                          let b = try Quantity.bytes(c.value(3), k.description, "swap", allowZero: true)
                          try model { try k.setSwap(b) }
                      })
            .property("cgroup", "\"v2\"|\"v1\"", "cgroup hierarchy (default v2; v1 = cpu.shares and cfs_quota_us); writable while no container runs.",
                      get: { k, c in c.push(k.cgroup.rawValue) },
                      set: { k, c in
                          guard case .string(let s) = c.value(3), let v = CgroupVersion(rawValue: s) else {
                              throw LuaError("\(k.description): cgroup \(c.describe(c.value(3))) is not a cgroup version (use \"v2\" or \"v1\")")
                          }
                          try model { try k.setCgroup(v) }
                      })
            .property("shares_conversion", "\"log\"|\"linear\"", "How cpu_shares become cpu.weight on v2: \"log\" (opencontainers/cgroups, 1024 → 100; default) or \"linear\" (older runc, 1024 → 39); writable while no container runs.",
                      get: { k, c in c.push(k.sharesConversion.rawValue) },
                      set: { k, c in
                          guard case .string(let s) = c.value(3), let v = SharesConversion(rawValue: s) else {
                              throw LuaError("\(k.description): shares_conversion \(c.describe(c.value(3))) is not a conversion (use \"log\" or \"linear\")")
                          }
                          try model { try k.setSharesConversion(v) }
                      })
            .property("start_time", "number", "Seconds from run_container to running once the image is present (default 0.5 [M]); writable while no container runs.",
                      get: { k, c in c.push(k.parameters.startTime.seconds) },
                      set: { k, c in try LabAPI.setKernelParameter(k, c, "start_time") })
            .property("exit_time", "number", "Seconds from stop to exited (default 0.1 [M]); writable while no container runs.",
                      get: { k, c in c.push(k.parameters.exitTime.seconds) },
                      set: { k, c in try LabAPI.setKernelParameter(k, c, "exit_time") })
            .property("overhead", "integer", "Memory per container outside its cgroup (default 20 MiB [M]); writable while no container runs.",
                      get: { k, c in c.push(k.parameters.overhead) },
                      set: { k, c in try LabAPI.setKernelParameter(k, c, "overhead") })
            .property("high_slowdown", "number", "Fraction of its rate a cgroup over memory.high still allocates at (default 0.1 [M]); writable while no container runs.",
                      get: { k, c in c.push(k.parameters.highSlowdown) },
                      set: { k, c in try LabAPI.setKernelParameter(k, c, "high_slowdown") })
            .property("pods", "lab.Pod[]", "Pods made on it, in creation order.") { [unowned(unsafe) self] k, c in c.pushArray(k.pods) { c.push($0, self.pod) } }
            .property("memory_available", "integer", "memory.available as the kubelet sees it: memory less the containers' resident memory and overhead.") { k, c in
                c.push(k.memoryAvailable)
            }
            .property("eviction_hard", "integer", "The kubelet's hard eviction threshold on memory.available (default 100 MiB); writable.",
                      get: { k, c in c.push(k.evictionHard) },
                      set: { k, c in
                          let b = try Quantity.bytes(c.value(3), k.description, "eviction_hard", allowZero: true)
                          try model { try k.setEvictionHard(b) }
                      })
            .method("reboot", doc: "Boots the kernel again after a panic (its containers do not come back).") { k, _ in
                try model { try k.reboot() }
                return 0
            }
    }

    static func setKernelParameter(_ k: LinuxKernel, _ c: LuaCall, _ field: String) throws {
        var p = k.parameters
        let v = c.value(3)
        switch field {
        case "start_time": p.startTime = .seconds(try Quantity.seconds(v, k.description, field))
        case "exit_time": p.exitTime = .seconds(try Quantity.seconds(v, k.description, field))
        case "overhead": p.overhead = try Quantity.bytes(v, k.description, field, allowZero: true)
        default:
            guard let d = try LuaNumber.double(v, k.description, field, range: 1e-6...1) else {
                throw LuaError("\(k.description): \(field) \(c.describe(v)) is not a number (use more than 0 up to 1)")
            }
            p.highSlowdown = d
        }
        let q = p
        try model { try k.setParameters(q) }
    }
}
