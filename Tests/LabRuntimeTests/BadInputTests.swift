import Testing
@testable import LabRuntime

/// Every bad input gets a clear message at the script's file:line, and nothing is
/// half-applied.
@Suite("Bad input")
struct BadInputTests {
    @Test(arguments: [
        (#"lab.host{ name = "x", cpus = 4, memory = "4 GIG" }"#,
         #"lab.lua:1: lab.host: memory "4 GIG" is not a size (use e.g. "4 GiB", "512 MiB" or a number of bytes)"#),
        (#"lab.host{ name = "x", cpus = 4, memory = "4 GiB", cpu = 2 }"#,
         "lab.lua:1: lab.host: unknown option 'cpu' (did you mean 'cpus'?) (allowed: name, cpus, mhz, memory, datastores, scheduler, passthrough_devices, hypervisor, cpu_generation, cgroup, swap)"),
        (#"lab.host{ name = "x", cpus = 0, memory = "4 GiB" }"#,
         "lab.lua:1: lab.host: cpus 0 is not a whole number from 1 to 1024"),
        (#"lab.host{ name = "x", cpus = 2, memory = 0 }"#, "lab.lua:1: lab.host: memory 0 is not a size of more than 0 bytes"),
        (#"lab.host{ name = "x", cpus = 2, memory = "-2 GiB" }"#, #"lab.lua:1: lab.host: memory "-2 GiB" is a negative size"#),
        (#"lab.host{ name = "x", cpus = 2, memory = "4 GiB", scheduler = "fiar" }"#,
         #"lab.lua:1: lab.host: scheduler "fiar" is not a scheduler (did you mean 'fair'?) (available: "esx", "strict", "relaxed", "credit", "cfs", "round-robin", "fair"; or a policy from lab.scheduler{...})"#),
        (#"lab.host{ name = "x", cpus = 2 }"#, "lab.lua:1: lab.host: option 'memory' is required (integer|string)"),
        (#"lab.host("esx01")"#, #"lab.lua:1: lab.host: expected a table of options {name, cpus, mhz, memory, datastores, scheduler, passthrough_devices, hypervisor, cpu_generation, cgroup, swap}, got "esx01""#),
        (#"lab.datastore{ name = "d", capacity = "1 TiB", kind = "floppy" }"#,
         #"lab.lua:1: lab.datastore: kind "floppy" is not a datastore kind (use "ssd", "hdd", "san" or "nfs")"#),
        (#"lab.run_for("ten minutes")"#,
         #"lab.lua:1: lab.run_for: duration "ten minutes" is not a duration (use e.g. "50 ms", "10 s", "5 min", "2 h" or a number of seconds)"#),
        (#"lab.run_for(-1)"#, "lab.lua:1: lab.run_for: duration -1 is not a duration of 0 s or more"),
        (#"lab.host{ name = "x", cpus = 2, memory = "4 GiB", hypervisor = "type3" }"#,
         #"lab.lua:1: lab.host: hypervisor "type3" is not a hypervisor type (use "type1", "type2" or "none" (a Linux machine for containers))"#),
        (#"lab.profile("hyperv")"#, #"lab.lua:1: lab.profile: "hyperv" is not a profile (available: "esxi", "xen", "kvm")"#),
        (#"lab.workload.cpu{ load = 1.5 }"#, "lab.lua:1: lab.workload.cpu: load 1.5 is not a duty cycle from 0 to 1"),
        (#"lab.workload.memory{ size = "1 GiB", active = "2 GiB" }"#,
         #"lab.lua:1: lab.workload.memory: active "2 GiB" is not at most size (1.00 GiB)"#),
    ])
    func constructorErrors(code: String, message: String) {
        let r = runLab(code)
        #expect(r.scriptError == message)
    }

    @Test(arguments: [
        (#"h:create_vm{ name = "a", memory = "4 GiB", vcpu = 2 }"#,
         "lab.lua:2: create_vm: unknown option 'vcpu' (did you mean 'vcpus'?) (allowed: name, vcpus, memory, guest, tools, cpu_hot_add, memory_hot_add, boot, shutdown, cpu, mem, devices, disks, pool)"),
        (#"h:create_vm{ name = "a", memory = "4 GiB", mem = { reservation = "8 GiB" } }"#,
         "lab.lua:2: create_vm a: mem.reservation 8.00 GiB is above its configured memory 4.00 GiB"),
        (#"h:create_vm{ name = "a", memory = "4 GiB", mem = { reservation = "2 GiB", limit = "1 GiB" } }"#,
         "lab.lua:2: create_vm a: mem.limit 1.00 GiB is below mem.reservation 2.00 GiB (a limit must be at least the reservation)"),
        (#"h:create_vm{ name = "a", memory = "4 GiB", cpu = { reservation = "3 GHz", limit = "2 GHz" } }"#,
         "lab.lua:2: create_vm a: cpu.reservation 3.00 GHz is above cpu.limit 2.00 GHz (a reservation must not exceed the limit)"),
        (#"h:create_vm{ name = "a", memory = "4 GiB", cpu = { shares = "medium" } }"#,
         #"lab.lua:2: create_vm: cpu: shares "medium" is not a shares value (use "low", "normal", "high" or a number from 1 to 1000000)"#),
        (#"h:create_vm{ name = "a", memory = "4 GiB", cpu = { reserve = 1 } }"#,
         "lab.lua:2: create_vm: cpu: unknown option 'reserve' (did you mean 'reservation'?) (allowed: shares, reservation, limit, weight, cap, quota, global_quota)"),
        (#"local v = h:create_vm{ name = "a", vcpus = 8, memory = "1 GiB" } v:power_on()"#,
         "lab.lua:2: power_on: VM(a) cannot power on: it has 8 vCPUs but host esx01 has only 4 pCPUs (a VM cannot have more vCPUs than its host has physical CPUs)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" } v.guest:touch("1 GiB")"#,
         "lab.lua:2: guest:touch: VM(a) is off; the guest runs only while the VM is on"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" } v:power_on() v.guest:free("1 MiB")"#,
         "lab.lua:2: guest:free: 1.00 MiB is more than the guest of VM(a) has in use (0 B)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" } v:power_on() v.guest:touch("2 GiB")"#,
         "lab.lua:2: guest:touch: 2.00 GiB is more than the guest of VM(a) has left (1.00 GiB of 1.00 GiB not in use)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" } v:run(lab.workload.busy())"#,
         "lab.lua:2: run: VM(a) is off; power it on first"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" } v:run("busy")"#,
         #"lab.lua:2: VM(a):run: workload "busy" is not a workload (make one with lab.workload.cpu{...}, .batch{...}, .memory{...} or .disk{...})"#),
        (#"h:create_vm{ name = "a", memory = "1 GiB", cpu = { shares = -5 } }"#,
         #"lab.lua:2: create_vm: cpu: shares -5 is not a shares value (use "low", "normal", "high" or a number from 1 to 1000000)"#),
        (#"h:create_vm{ name = "a", memory = "1 GiB", vcpus = 2, cpu = { limit = "99 GHz" } }"#,
         "lab.lua:2: create_vm a: cpu.limit 99.00 GHz is more than its 2 vCPUs can use on esx01 (at most 4.80 GHz; leave it out for no limit)"),
        (#"h:create_vm{ name = "a", memory = "1 GiB", cpu = { weight = 0 } }"#,
         "lab.lua:2: create_vm: cpu: weight 0 is not a whole number from 1 to 65535"),
        (#"h:create_vm{ name = "a", memory = "1 GiB", cpu = { quota = "-5 ms" } }"#,
         #"lab.lua:2: create_vm: cpu: quota "-5 ms" is a negative duration"#),
        (#"h.name = "b""#, "lab.lua:2: Host(esx01).name is read-only (writable: scheduler, microvm_rate)"),
        (#"print(h.memry)"#, "lab.lua:2: Host(esx01) has no property or method 'memry' (did you mean 'memory'?)"),
        (#"h.scheduler.quantum = "2 s""#, "lab.lua:2: Host(esx01).scheduler.quantum: 2.00 s is not allowed (use 100 µs to 1 s)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" } v:power_on() h.scheduler = "round-robin""#,
         "lab.lua:2: Host(esx01).scheduler can only change while no VM on the host is powered on (VM(a) is on)"),
        (#"h:create_vm{ name = "a", memory = "1 GiB" } h:create_vm{ name = "a", memory = "1 GiB" }"#,
         "lab.lua:2: create_vm a: a VM named a already exists (on esx01); VM names must be unique"),
    ])
    func vmErrors(code: String, message: String) {
        let r = runLab(host + "\n" + code)
        #expect(r.scriptError == message)
    }

    /// Xen's credit scheduler has no shares; they used to be accepted and ignored.
    @Test func sharesOnACreditHost() {
        let r = runLab(#"""
            local h = lab.host{ name = "xen01", cpus = 2, memory = "8 GiB", scheduler = "credit" }
            local v = h:create_vm{ name = "a", memory = "1 GiB", cpu = { shares = "high" } }
            v:power_on()
            """#)
        #expect(r.scriptError == "lab.lua:3: power_on: VM(a): Xen's credit scheduler divides CPU by cpu.weight (default 256), not by cpu.shares (high); set cpu.weight instead")
    }

    /// A refused operation changes nothing: the failed create_vm leaves no VM behind and a
    /// refused power-on leaves the VM off and the host's reservations as they were.
    @Test func nothingIsHalfApplied() {
        let r = runLab(host + #"""

            local ok = pcall(h.create_vm, h, { name = "a", memory = "4 GiB", mem = { reservation = "8 GiB" } })
            check("no VM after a refused create", function()
              expect(ok):to_be_false()
              expect(#lab.vms()):to_equal(0)
            end)
            local big = h:create_vm{ name = "big", memory = "16 GiB", mem = { reservation = "16 GiB" } }
            local before = h.memory.reserved
            local ok2, err = pcall(big.power_on, big)
            check("refused power-on changes nothing", function()
              expect(ok2):to_be_false()
              expect(err):to_match("insufficient memory resources")
              expect(big.state):to_equal("off")
              expect(h.memory.reserved):to_equal(before)
              expect(#lab.events{ kind = "admission" }):to_equal(1)
            end)
            """#)
        #expect(r.scriptError == nil)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test func missingParamAndBadSeed() {
        #expect(runLab(#"lab.param("hosts")"#).scriptError == #"lab.lua:1: lab.param: parameter "hosts" was not given (--param hosts=...) and has no default"#)
        #expect(runLab(#"lab.param("n", 3)"#, params: ["n": "x"]).scriptError == #"lab.lua:1: lab.param: n="x" is not a whole number"#)
        #expect(runLab("lab.seed(-1)").scriptError == "lab.lua:1: lab.seed: n -1 is not a seed (use a whole number of 0 or more)")
        #expect(runLab(host + "\nlab.seed(3)").scriptError == "lab.lua:2: lab.seed: call it before building the world (hosts, datastores) so every object draws from it")
    }
}
