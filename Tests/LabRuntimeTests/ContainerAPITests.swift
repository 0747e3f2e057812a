import Testing
@testable import LabRuntime

/// Containers from Lua (lua-api.md "Containers and microVMs"): the contract's names end to
/// end, and every bad input refused with the object, field, value and what is allowed.
@Suite("Containers from Lua")
struct ContainerAPITests {
    static let world = #"""
        local node = lab.host{ name = "node1", cpus = 8, memory = "32 GiB", hypervisor = "none" }
        local img = lab.image{ name = "web", layers = { "80 MiB", { size = "1100 MiB", files = { ["/data/db.bin"] = "1 GiB" } } } }
        """#

    func passes(_ script: String) {
        let r = runLab(ContainerAPITests.world + script)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(!r.checks.isEmpty)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }

    /// The contract's example: a node, an image, a limited container with workloads.
    @Test func contractExample() {
        passes(#"""
            local k = node:run_container{ name = "web1", image = img, cpus = 1.5, cpu_weight = 100, memory = "512 MiB",
                                          memory_high = "400 MiB", memory_swap = "512 MiB" }
            check("starting", function()
              expect(k.state):to_equal("starting")
              expect(k.start_time):to_be_nil()
              expect(tostring(k)):to_equal("Container(web1)")
              expect(node.hypervisor):to_equal("none")
            end)
            k:run(lab.workload.cpu{ threads = 2 })
            k:run(lab.workload.memory{ size = "300 MiB" })
            lab.run_for("30 s")
            check("running", function()
              expect(k.state):to_equal("running")
              -- 1.15 GiB pulled at the local SSD's 400 MiB/s, then 0.5 s start-up
              expect(k.start_time, "start-up", "seconds"):to_be_near(1180 / 400 + 0.5, 0.001)
              expect(k.cpu.usage, "CPU", "%"):to_be_near(150, 1e-6)
              expect(k.cpu.max):to_equal("150000 100000")
              expect(k.cpu.nr_throttled, "throttled periods", "count"):to_equal(k.cpu.nr_periods)
              expect(k.memory.usage, "resident", "bytes"):to_equal(lab.bytes("300 MiB"))
              expect(k.memory.max):to_equal(lab.bytes("512 MiB"))
              expect(k.memory.swap_max):to_equal(0)
              expect(k.memory.events.oom_kill, "oom_kill", "count"):to_equal(0)
              expect(#k.namespaces, "namespaces", "count"):to_equal(6)
              expect(node.kernel.page_cache, "page cache", "bytes"):to_equal(img.size)
            end)
            """#)
    }

    /// Containers inside a VM's guest share what the VM receives by weight.
    @Test func containersInAGuest() {
        passes(#"""
            local h = lab.host{ name = "esx1", cpus = 4, memory = "16 GiB" }
            local vm = h:create_vm{ name = "vm1", vcpus = 2, memory = "4 GiB" }
            vm:power_on()
            local a = vm.guest:run_container{ name = "a", image = img, cpu_weight = 300 }
            local b = vm.guest:run_container{ name = "b", image = img, cpu_weight = 100 }
            a:run(lab.workload.cpu{ threads = 2 })
            b:run(lab.workload.cpu{ threads = 2 })
            local m = vm.guest:run_container{ name = "m", memory = "64 MiB", memory_swap = "64 MiB" }
            lab.run_for("1 min")
            m:run(lab.workload.memory{ size = "100 MiB" })
            lab.run_for("1 min")
            check("guest CFS", function()
              expect(a.cpu.usage / b.cpu.usage, "a : b", "fraction"):to_be_near(3, "5%")
              expect(a.cpu.usage + b.cpu.usage, "both", "%"):to_be_between(180, 200)
              expect(vm.guest.kernel.cpus, "guest CPUs", "count"):to_equal(2)
              expect(a.kernel.vm == vm, "a runs in vm1's guest"):to_be_true()
            end)
            check("guest OOM", function()
              expect(m.state):to_equal("oom-killed")
              expect(m.exit_code):to_equal(137)
              expect(vm.state):to_equal("on")
            end)
            """#)
    }

    /// Stopping, panics and exploits, and the events they leave.
    @Test func lifecycleAndEvents() {
        passes(#"""
            local k = node:run_container{ name = "a", image = img }
            local k2 = node:run_container{ name = "b", image = img }
            lab.run_for("10 s")
            k:write("/data/db.bin", { bytes = 1, offset = 10 })
            k:stop()
            lab.run_for("1 s")
            check("exit", function()
              expect(k.state):to_equal("exited")
              expect(k.exit_code):to_equal(143)
              expect(k.writable, "copied up", "bytes"):to_equal(lab.bytes("1 GiB"))
            end)
            local hit = k2:exploit()
            node:panic()
            check("isolation", function()
              expect(#hit, "compromised", "count"):to_equal(1)
              expect(k2.state):to_equal("exited")
              expect(node.kernel.panicked):to_be_true()
              expect(#lab.events{ kind = "container.panic" }, "panic events", "count"):to_equal(1)
              expect(#lab.events{ kind = "container" }, "container events", "count"):to_be_at_least(8)
              expect(function() node:run_container{ name = "c" } end):to_error("panicked")
            end)
            """#)
    }

    @Test(arguments: [
        (#"lab.host{ name = "e", cpus = 2, memory = "4 GiB" }:run_container{ name = "x" }"#,
         #"run_container x: Host(e) runs a type1 hypervisor, not a Linux kernel; run containers in a VM (vm.guest:run_container{...}) or on a host with hypervisor = "none""#),
        (#"node:create_vm{ name = "v", memory = "1 GiB" }"#,
         #"create_vm v: Host(node1) has hypervisor "none" (a Linux machine without a hypervisor); it runs containers (run_container), not VMs"#),
        (#"node:run_container{ name = "x", cpus = 9 }"#, "run_container x: cpus 9 is more than the 8 CPUs of node1's kernel (use at most 8)"),
        (#"node:run_container{ name = "x", memory = "4m" }"#, "run_container x: memory 4.00 MiB is not allowed (Docker's minimum is 6 MiB)"),
        (#"node:run_container{ name = "x", memory = "1g", memory_swap = "512m" }"#,
         "run_container x: memory_swap 512.00 MiB is less than memory 1.00 GiB (it is memory plus swap: use at least memory, or -1 for unlimited swap)"),
        (#"node:run_container{ name = "x", memory_swap = "1g" }"#,
         "run_container x: memory_swap is memory plus swap; set memory too (as docker run refuses --memory-swap without --memory)"),
        (#"node:run_container{ name = "x", cpus = 1, cpu_max = "50000 100000" }"#, "run_container x: cpus and cpu_max both set the CPU quota; give one"),
        (#"node:run_container{ name = "x", cpu_max = "half" }"#,
         #"run_container x: cpu_max "half" is not "$MAX $PERIOD" (use e.g. "50000 100000" or "max 100000", in µs)"#),
        (#"node:run_container{ name = "x", cpu_weight = 0 }"#, "run_container x: cpu_weight 0 is not allowed (use 1 to 10000, default 100)"),
        (#"node:run_container{ name = "x", cpu_shares = 1 }"#, "run_container x: cpu_shares 1 is not allowed (use 2 to 262144, default 1024)"),
        (#"node:run_container{ name = "x", cpuset = "0-9" }"#, "run_container x: cpuset CPU 8 does not exist on node1's kernel (use 0 to 7)"),
        (#"node:run_container{ name = "x", namespaces = { "mnt", "pid", "bogus" } }"#,
         #"run_container x: namespace "bogus" is not a Linux namespace (use "cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts")"#),
        (#"node:run_container{ name = "x", image = "web" }"#,
         #"Host(node1):run_container: image "web" is not an Image (make one with lab.image{ name = ..., layers = { "80 MiB" } })"#),
        (#"lab.host{ name = "v1", cpus = 2, memory = "4 GiB", hypervisor = "none", cgroup = "v3" }"#,
         #"lab.host: cgroup "v3" is not a cgroup version (use "v2" or "v1")"#),
        (#"lab.host{ name = "v1", cpus = 2, memory = "4 GiB", hypervisor = "none", cgroup = "v1" }:run_container{ name = "x", cpu_weight = 200 }"#,
         "run_container x: cpu_weight is a cgroup v2 setting; v1's kernel uses cgroup v1 (use cpu_shares, 2 to 262144)"),
        (#"lab.image{ name = "i", layers = {} }"#, #"image i: layers must list at least one layer (e.g. { "80 MiB" })"#),
        (#"lab.image{ name = "i", layers = { { size = "1 MiB", files = { ["/a"] = "2 MiB" } } } }"#,
         "image layer: size 1.00 MiB is less than its files (2.00 MiB)"),
        (#"node.kernel.cgroup = "v9""#, #"node1's kernel: cgroup "v9" is not a cgroup version (use "v2" or "v1")"#),
    ])
    func badInput(code: String, message: String) {
        let r = runLab(ContainerAPITests.world + "\n" + code)
        #expect(r.scriptError?.contains(message) == true, "got \(r.scriptError ?? "no error")")
    }

    /// A refused container leaves nothing behind: the name stays free, no event is logged.
    @Test func nothingIsHalfApplied() {
        passes(#"""
            local ok = pcall(function() node:run_container{ name = "x", memory = "1g", memory_swap = "1m" } end)
            check("refused, nothing made", function()
              expect(ok):to_be_false()
              expect(#node.kernel.containers, "containers", "count"):to_equal(0)
              expect(#lab.events{ kind = "container.create" }, "create events", "count"):to_equal(0)
              local k = node:run_container{ name = "x" }
              expect(k.name):to_equal("x")
            end)
            """#)
    }

    /// Pods from Lua: the contract's example, QoS classes and the kubelet's mapping.
    @Test func pods() {
        passes(#"""
            local p = lab.pod{ name = "p", node = node, containers = { { image = img, requests = { cpu = 0.5, memory = "256 MiB" },
                                                                     limits = { cpu = 1, memory = "512 MiB" } } } }
            local g = lab.pod{ name = "g", node = node, containers = { { name = "db", limits = { cpu = "250m", memory = "1 GiB" } } } }
            local be = lab.pod{ name = "be", node = node, containers = { {} } }
            check("pods", function()
              expect(p.qos):to_equal("Burstable")
              expect(g.qos):to_equal("Guaranteed")
              expect(be.qos):to_equal("BestEffort")
              expect(g.oom_score_adj, "Guaranteed", "count"):to_equal(-997)
              expect(p.containers[1].cpu.shares, "shares", "count"):to_equal(512)
              expect(p.containers[1].cpu.max):to_equal("100000 100000")
              expect(g.containers[1].name):to_equal("g-db")
              expect(g.containers[1].cpu.max):to_equal("25000 100000")
              expect(be.containers[1].cpu.shares, "BestEffort shares", "count"):to_equal(2)
              expect(#node.kernel.pods, "pods", "count"):to_equal(3)
              expect(node.kernel.memory_available, "available", "bytes"):to_be_at_most(node.kernel.memory)
              expect(function() lab.pod{ name = "bad", node = node, containers = { { requests = { cpu = 1 }, limits = { cpu = 0.5 } } } } end)
                :to_error("limits.cpu 0.5 is below requests.cpu 1")
              expect(function() lab.pod{ name = "bad", node = node, containers = { { requests = { gpu = 1 } } } } end)
                :to_error("unknown option 'gpu'")
            end)
            """#)
    }

    /// Container series: every sample, the interval's CPU and the memory at the sample.
    @Test func series() {
        passes(#"""
            local k = node:run_container{ name = "s", cpus = 0.5 }
            k:run(lab.workload.cpu{ threads = 1 })
            lab.run_for("2 min")
            local s = lab.series(k, "cpu.usage")
            check("series", function()
              expect(#s, "samples", "count"):to_equal(6)
              expect(s:last(), "CPU in the last interval", "%"):to_be_near(50, 1e-6)
              expect(lab.series(k, "cpu.throttled"):last(), "throttled periods", "%"):to_equal(100)
              expect(function() lab.series(k, "cpu.bogus") end):to_error("metrics: cpu.usage, cpu.throttled, memory.usage, memory.swap")
            end)
            """#)
    }

    /// A limit below the image's working set with no swap: it starts and is killed, with the reason.
    @Test func limitBelowWorkingSet() {
        passes(#"""
            local big = lab.image{ name = "big", layers = { "10 MiB" }, memory = "100 MiB" }
            local k = node:run_container{ name = "small", image = big, memory = "64 MiB", memory_swap = "64 MiB" }
            lab.run_for("5 s")
            check("killed at start", function()
              expect(k.state):to_equal("oom-killed")
              expect(k.reason):to_match("below the image's working set")
            end)
            """#)
    }
}
