import Testing
@testable import LabRuntime

/// MicroVMs and VDI from Lua (docs/vdi.md, docs/containers.md "MicroVMs"): the bindings
/// reach the model, and every bad input is refused with a message naming the object, the
/// field, the value and what is allowed, with nothing half-applied.
@Suite("MicroVMs and VDI from Lua")
struct VDIAPITests {
    static let pool = #"""
        local ds = lab.datastore{ name = "vdi", capacity = "10 TiB", kind = "san" }
        local h1 = lab.host{ name = "esx01", cpus = 16, memory = "256 GiB", datastores = { ds }, scheduler = "fair" }
        local h2 = lab.host{ name = "esx02", cpus = 16, memory = "256 GiB", datastores = { ds }, scheduler = "fair" }
        local gold = h1:create_vm{ name = "gold", vcpus = 1, memory = "2 GiB", guest = "windows10",
                                   disks = { { size = "40 GiB", provisioning = "thick-lazy", datastore = ds } } }
        gold:to_template()
        """#

    @Test func microVMFromLua() {
        let r = runLab(#"""
            lab.profile("kvm")
            local h = lab.host{ name = "kvm1", cpus = 36, memory = "256 GiB" }
            local vms = {}
            for i = 1, 200 do vms[i] = h:create_microvm{ name = "fn" .. i } end
            local fn = vms[1]
            check("queued", function()
              expect(fn.state, "VM state"):to_equal("off")
              expect(fn.microvm.state):to_equal("queued")
              expect(h.microvm_rate, "rate", "count"):to_equal(5)
            end)
            lab.run_for("2 s")
            check("running", function()
              expect(fn.state):to_equal("on")
              expect(fn.microvm.state):to_equal("running")
              expect(fn.microvm.boot_time, "boot", "seconds"):to_be_at_most("125 ms")
              expect(fn.microvm.instance_start, "InstanceStart", "seconds"):to_be_near(0.012, 1e-9)
              expect(fn.memory.overhead, "VMM overhead", "bytes"):to_be_at_most("5 MiB")
              expect(vms[181].microvm.vmm_started, "the 181st waits a second", "seconds"):to_be_near(1, 1e-6)
              expect(tostring(fn.microvm)):to_equal("MicroVM(fn1: running)")
              expect(#lab.events{ kind = "microvm" } >= 600, "events"):to_be_true()
            end)
            local other = lab.host{ name = "kvm2", cpus = 4, memory = "16 GiB" }
            other.microvm_rate = 1
            check("rate", function() expect(other.microvm_rate, "rate", "count"):to_equal(1) end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }

    @Test func microVMRefusals() {
        let cases: [(String, String)] = [
            (#"lab.host{ name = "e", cpus = 4, memory = "8 GiB" }:create_microvm{ name = "x" }"#,
             "Host(e):create_microvm x: e runs the esxi profile; microVMs (Firecracker) need KVM"),
            (#"lab.profile("kvm"); lab.host{ name = "k", cpus = 4, memory = "8 GiB" }:create_microvm{ name = "x", vcpus = 33 }"#,
             "Host(k):create_microvm x: vcpus 33 is not allowed (a Firecracker microVM has 1 to 32 vCPUs)"),
            (#"lab.profile("kvm"); lab.host{ name = "k", cpus = 4, memory = "8 GiB" }:create_microvm{ name = "x", boot_memory = "1 GiB" }"#,
             "boot_memory 1.00 GiB is not allowed (use 0 up to its memory 128.00 MiB)"),
            (#"lab.profile("kvm"); lab.host{ name = "k", cpus = 4, memory = "8 GiB" }:create_microvm{ name = "x", vmm_cpu = "20 ms" }"#,
             "vmm_cpu 20 ms is not allowed"),
            (#"lab.profile("kvm"); lab.host{ name = "k", cpus = 4, memory = "8 GiB" }.microvm_rate = -1"#,
             "Host(k).microvm_rate: -1 is not allowed"),
            (#"lab.profile("kvm"); lab.host{ name = "k", cpus = 4, memory = "8 GiB" }:create_microvm{ name = "x", colour = 1 }"#,
             "colour"),
        ]
        for (script, message) in cases {
            let r = runLab(script + "\ncheck(\"nothing made\", function() expect(#lab.vms(), \"VMs\", \"count\"):to_equal(0) end)")
            #expect(r.scriptError?.contains(message) == true, "\(script): \(r.scriptError ?? "no error")")
        }
        // a refused microVM leaves nothing behind
        let r = runLab(#"""
            lab.profile("kvm")
            local k = lab.host{ name = "k", cpus = 4, memory = "8 GiB" }
            local ok = pcall(function() k:create_microvm{ name = "x", vcpus = 40 } end)
            check("nothing made", function()
              expect(ok):to_be_false()
              expect(#lab.vms(), "VMs", "count"):to_equal(0)
              expect(#lab.events{ kind = "microvm" }, "events", "count"):to_equal(0)
            end)
            """#)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }

    @Test func desktopPoolFromLua() {
        let r = runLab(VDIAPITests.pool + #"""
            ds.iops = 20000
            local p = lab.desktop_pool{ name = "desk", template = gold, count = 40, hosts = { h1, h2 }, datastore = ds,
                                        tps_scope = "pool", boot_at = "5 min", stagger = "2 min" }
            check("provisioned", function()
              expect(p.count, "desktops", "count"):to_equal(40)
              expect(p.kind):to_equal("linked")
              expect(p.desktops[1].name):to_equal("desk-01")
              expect(p.desktops[2].host.name):to_equal("esx02")
              expect(p.replica.template):to_be_true()
              expect(p.storage, "storage", "bytes"):to_equal("40 GiB")
              expect(p.waiting, "waiting", "count"):to_equal(40)
              expect(ds.iops, "capacity", "count"):to_equal(20000)
              expect(tostring(p)):to_equal("DesktopPool(desk)")
            end)
            lab.run_for(330)
            check("storm", function()
              expect(p.booting + p.logging_in + p.steady, "started", "count"):to_be_at_least(5)
              expect(p:state(1)):to_equal("booting")
              expect(p:state(40)):to_equal("waiting")
              expect(p.iops, "IOPS", "count"):to_be_at_least(250)
            end)
            lab.run_for("10 min")
            check("steady", function()
              expect(p.steady, "steady", "count"):to_equal(40)
              expect(p.iops, "IOPS", "count"):to_equal(400)
              expect(p.latency, "latency"):to_be_near(1 / (1 - 400 / 20000), 1e-9)
              expect(p.steady_at ~= nil, "steady_at set"):to_be_true()
              expect(#p.history > 10, "history"):to_be_true()
              expect(p.history[#p.history].steady, "last sample", "count"):to_equal(40)
              expect(p.saving, "saving", "%"):to_be_at_least(90)
              expect(#lab.events{ kind = "vdi" } >= 2, "events"):to_be_true()
            end)
            local ic = lab.desktop_pool{ name = "ic", template = gold, count = 4, kind = "instant", hosts = { h1 }, boot_at = lab.now() + 60 }
            check("instant", function()
              expect(ic.desktops[1].state):to_equal("on")
              expect(#ic.parents, "parents", "count"):to_equal(1)
              expect(ic.shared_across, "forked", "bytes"):to_be_at_least("8 GiB")
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }

    @Test func desktopPoolRefusals() {
        let cases: [(String, String)] = [
            (#"lab.desktop_pool{ name = "p", template = gold, count = 2, kind = "thin" }"#,
             #"lab.desktop_pool: kind "thin" is not a clone kind (use "full", "linked" or "instant")"#),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 0 }"#,
             "lab.desktop_pool p: count 0 is not allowed (use 1 to 10000 desktops)"),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 2, tps_scope = "host" }"#,
             #"lab.desktop_pool: tps_scope "host" is not a TPS scope (use "vm", "pool", "pod" or "global")"#),
            (#"lab.desktop_pool{ name = "p", template = h1, count = 2 }"#, "template"),
            (#"lab.desktop_pool{ name = "p", template = h1:create_vm{ name = "v", memory = "1 GiB" }, count = 2 }"#,
             "desktop_pool p: template VM(v) is not a template"),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 2, stagger = -5 }"#, "stagger"),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 2, boot = { cpu = 3 } }"#,
             "desktop_pool p: boot.cpu 3 is not allowed (use a duty cycle from 0 to 1 of each vCPU)"),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 2, steady = { duration = "1 min" } }"#,
             "steady.duration is not allowed"),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 2, login = { memory = "4 GiB" } }"#,
             "more than the template's 2.00 GiB"),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 300, kind = "full" }"#,
             "desktop_pool p: 300 full clones need 11.72 TiB on vdi"),
            (#"lab.desktop_pool{ name = "p", template = gold, count = 2, hosts = { h1, lab.host{ name = "x", cpus = 2, memory = "8 GiB" } } }"#,
             "desktop_pool p: x does not mount vdi"),
            (#"ds.iops = 0"#, "Datastore(vdi).iops: 0 is not allowed (use 1 to 10000000 I/Os per second)"),
        ]
        for (script, message) in cases {
            let r = runLab(VDIAPITests.pool + script)
            #expect(r.scriptError?.contains(message) == true, "\(script): \(r.scriptError ?? "no error")")
        }
        let r = runLab(VDIAPITests.pool + #"""
            local ok = pcall(function() lab.desktop_pool{ name = "p", template = gold, count = 300, kind = "full" } end)
            check("nothing cloned", function()
              expect(ok):to_be_false()
              expect(#lab.vms(), "VMs", "count"):to_equal(1)
            end)
            """#)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }
}
