import HyperModel
import LuaKit

extension LabAPI {
    func defineVM() {
        vm.property("name", "string", "Its name.", stable: true) { v, c in c.push(v.name) }
            .property("vcpus", "integer", "Virtual CPUs; writable: freely while the VM is off, upward only while it runs and only when created with cpu_hot_add = true (vSphere's CPU hot add; the guest must support it, and hot add turns vNUMA off).",
                      get: { v, c in c.push(v.vcpus) },
                      set: { v, c in
                          let n = try Quantity.positiveInteger(c.value(3), v.description, "vcpus", range: 1...768)
                          try model { try v.reconfigure(vcpus: n) }
                      })
            .property("cpu_hot_add", "boolean", "Created with cpu_hot_add = true: vcpus may grow while it runs.", stable: true) { v, c in c.push(v.spec.cpuHotAdd) }
            .property("memory_hot_add", "boolean", "Created with memory_hot_add = true: memory.configured may grow while it runs.", stable: true) { v, c in c.push(v.spec.memoryHotAdd) }
            .property("state", "\"off\"|\"on\"|\"suspended\"|\"paused\"", "Power state.") { v, c in c.push(v.state.rawValue) }
            .property("host", "lab.Host", "The host it is registered on.") { [unowned(unsafe) self] v, c in c.push(v.host, self.host) }
            .property("tools", "boolean", "VMware Tools (balloon driver) installed.", stable: true) { v, c in c.push(v.tools) }
            .property("cpu", "lab.VMCPU", "CPU settings and metrics.", stable: true) { [unowned(unsafe) self] v, c in c.push(v, self.vmCPU) }
            .property("memory", "lab.VMMemory", "Memory counters.", stable: true) { [unowned(unsafe) self] v, c in c.push(v, self.vmMemory) }
            .property("guest", "lab.Guest", "The guest OS.", stable: true) { [unowned(unsafe) self] v, c in c.push(v, self.guest) }
            .property("workloads", "(lab.CPUWorkload|lab.MemoryWorkload)[]", "Workloads running in the guest.") { [unowned(unsafe) self] v, c in
                c.pushArray(v.workloads) { self.pushWorkload($0, c) }
            }
            .method("power_on", doc: "Powers the VM on if admission control allows it; otherwise raises an error that says which resource is short.") { v, _ in
                try model { try v.powerOn() }
                return 0
            }
            .method("power_off", doc: "Powers the VM off: workloads stop and guest memory is discarded.") { v, _ in
                try model { try v.powerOff() }
                return 0
            }
            .method("suspend", doc: "Suspends the VM: it stops running and the host releases its memory; the guest keeps its state.") { v, _ in
                try model { try v.suspend() }
                return 0
            }
            .method("resume", doc: "Resumes a suspended VM (admission control applies again).") { v, _ in
                try model { try v.resume() }
                return 0
            }
            .method(
                "run", doc: "Starts a workload in the guest and returns it. The VM must be powered on.",
                params: [LuaParam("workload", "lab.CPUWorkload|lab.BatchWorkload|lab.MemoryWorkload|lab.DiskWorkload", "From lab.workload.cpu{...}, .batch{...}, .memory{...} or .disk{...}.")],
                returns: [LuaParam("", "lab.CPUWorkload|lab.BatchWorkload|lab.MemoryWorkload|lab.DiskWorkload")]
            ) { [unowned(unsafe) self] v, call in
                let w = try self.workloadArgument(call, 2, "\(v.description):run")
                try model { try v.run(w) }
                call.pushValue(2)
                return 1
            }
            .method("stop", doc: "Stops every workload; memory they allocated goes back to the guest's free list (still consumed on the host).") { v, _ in
                v.stop()
                return 0
            }

        vmCPU.property("run", "number", "%RUN: time running, % of the last sample interval, averaged over vCPUs. Every CPU metric is 0 from the moment the VM stops running (powered off, suspended, paused); its series keep the last interval's average.") { v, c in c.push(v.metrics.cpu.run) }
            .property("ready", "number", "%RDY: runnable but waiting for a pCPU.") { v, c in c.push(v.metrics.cpu.ready) }
            .property("costop", "number", "%CSTP: stopped to keep vCPUs of an SMP VM together.") { v, c in c.push(v.metrics.cpu.costop) }
            .property("wait", "number", "%WAIT: idle or blocked. run + ready + costop + wait = 100.") { v, c in c.push(v.metrics.cpu.wait) }
            .property("limited", "number", "%MLMTD: the part of ready time held back by a CPU limit.") { v, c in c.push(v.metrics.cpu.limited) }
            .property("used_mhz", "number", "MHz used on average in the last sample interval; 0 once the VM is not running.") { v, c in c.push(v.metrics.cpu.usedMHz) }
            .property("ready_ms", "number", "vCenter's CPU ready summation: ms ready in the last interval, summed over vCPUs.") { v, c in
                c.push(v.metrics.cpu.readyMs)
            }
            .property("shares", "integer", "CPU shares (1000 per vCPU for normal); writable, also while it runs (\"low\", \"normal\", \"high\" or a number).",
                      get: { v, c in c.push(v.cpuShares) }, set: { v, c in try LabAPI.setCPU(v, c, "shares") })
            .property("reservation", "number", "Reserved MHz; writable, also while it runs (admission control applies).",
                      get: { v, c in c.push(v.cpuAllocation.reservationMHz) }, set: { v, c in try LabAPI.setCPU(v, c, "reservation") })
            .property("limit", "number?", "MHz limit, nil when unlimited; writable, also while it runs (nil removes it).",
                      get: { v, c in if let l = v.cpuAllocation.limitMHz { c.push(l) } else { c.pushNil() } },
                      set: { v, c in try LabAPI.setCPU(v, c, "limit") })
            .method(
                "vcpu", doc: "The last interval's metrics of one vCPU: { run, ready, costop, wait, limited, used_mhz, ready_ms }.",
                params: [LuaParam("index", "integer", "1 to vcpus.")], returns: [LuaParam("", "table")], mutates: false
            ) { v, call in
                let i = try call.integer(2, "index")
                guard i >= 1, i <= Int64(v.vcpus) else {
                    throw LuaError("\(v.description).cpu:vcpu: index \(i) is not a vCPU (use 1 to \(v.vcpus))")
                }
                let s = Int(i) <= v.metrics.vcpu.count ? v.metrics.vcpu[Int(i) - 1] : CPUSample()
                call.pushTable { t in
                    t.set("run", s.run)
                    t.set("ready", s.ready)
                    t.set("costop", s.costop)
                    t.set("wait", s.wait)
                    t.set("limited", s.limited)
                    t.set("used_mhz", s.usedMHz)
                    t.set("ready_ms", s.readyMs)
                }
                return 1
            }
        defineVMMemory()
    }
}
