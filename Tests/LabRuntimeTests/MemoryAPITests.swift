import Testing
@testable import LabRuntime

/// Memory reclamation through Lua: reclaimer objects, counters, balloon policies written
/// by students, Xen's mem-set, and every bad input.
@Suite("Memory from Lua")
struct MemoryAPITests {
    let pressure = #"""
        local h = lab.host{ name = "esx01", cpus = 8, memory = "12 GiB" }
        if answer then h.reclaim.balloon.policy = answer.policy end
        local vms = {}
        for i = 1, 3 do
          vms[i] = h:create_vm{ name = "vm" .. i, memory = "6 GiB" }
          vms[i]:power_on()
          vms[i]:run(lab.workload.memory{ size = "5 GiB", active = "1 GiB", rate = "50 MB/s" })
        end
        check("policy runs", function()
          lab.run_for("10 min")
          expect(vms[1].memory.ballooned, "vm1 ballooned"):to_be_near("1 GiB", "5%")
          expect(vms[2].memory.ballooned, "vm2 ballooned"):to_equal(0)
        end)
        """#

    func withAnswer(_ policy: String) -> LabRunResult {
        runLab(#"local answer = lab.submission("answer.lua")"# + "\n" + pressure, submission: ["answer.lua": policy])
    }

    @Test func aStudentBalloonPolicyChoosesTheTargets() {
        let r = withAnswer(#"""
            return { policy = lab.balloon_policy{ name = "first", target = function(view)
              return { vm1 = "1 GiB" }
            end } }
            """#)
        #expect(r.check("policy runs")?.status == .passed, "\(r.checks.map { $0.message ?? "" }) \(r.scriptError ?? "")")
    }

    @Test(arguments: [
        ("return { vm1 = -1 }", "balloon policy bad set VM(vm1)'s balloon target to -1 B; allowed: 0 to 3.90 GiB"),
        ("return { vm1 = '5 GiB' }", "balloon policy bad set VM(vm1)'s balloon target to 5.00 GiB; allowed: 0 to 3.90 GiB"),
        ("return { ghost = 1 }", "balloon policy bad set a target for ghost, which is not a powered-on VM on esx01"),
        ("return 7", "balloon policy bad: target must return a table of balloon targets by VM name"),
        ("return { vm1 = true }", "balloon policy bad: target of vm1 is true, not a size"),
        ("return { 5 }", "balloon policy bad: key 1 is not a VM name"),
        ("error('oops')", "balloon policy bad failed: answer.lua:2: oops"),
        ("while true do end", "balloon policy bad failed: answer.lua:2: instruction limit exceeded"),
    ])
    func aMisbehavingBalloonPolicyFailsItsCheck(body: String, message: String) {
        let r = withAnswer("return { policy = lab.balloon_policy{ name = \"bad\", target = function(view)\n\(body)\nend } }")
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let c = r.check("policy runs")
        #expect(c?.status == .error)
        #expect(c?.message?.contains(message) == true, "\(c?.message ?? "nil")")
    }

    @Test func reclaimersAreObjectsWithParameters() {
        let r = runLab(#"""
            local h = lab.host{ name = "esx01", cpus = 8, memory = "16 GiB" }
            check("defaults", function()
              expect(h.reclaim.tps.salting):to_equal(2)
              expect(h.reclaim.tps.large_pages):to_be_true()
              expect(h.reclaim.balloon.max_percent):to_equal(65)
              expect(h.reclaim.compression.cache_percent):to_equal(10)
              expect(h.reclaim.swap.enabled):to_be_true()
              expect(h.reclaim.idle_tax):to_equal(75)
              expect(h.reclaim.reading):to_equal("A")
              expect(h.memory.state):to_equal("high")
              expect(h.memory.min_free):to_be_near("655.36 MiB", 1024)
              expect(h.memory.thresholds.clear):to_equal(h.memory.min_free)
            end)
            check("changes", function()
              h.reclaim.tps.salting = 0
              h.reclaim.balloon.max_percent = "50%"
              h.reclaim.balloon.inflate_rate = "32 MB/s"
              h.reclaim.dwell = "30 s"
              h.reclaim.min_free_percent = 6
              expect(h.reclaim.tps.salting):to_equal(0)
              expect(h.reclaim.balloon.max_percent):to_equal(50)
              expect(h.reclaim.balloon.inflate_rate):to_equal(32 * 1024 * 1024)
              expect(h.reclaim.dwell):to_equal(30)
              expect(h.memory.min_free):to_be_near(0.06 * 16 * 2^30, 1)
              expect(#lab.events{ kind = "memory.config" }):to_equal(5)
            end)
            check("bad values", function()
              expect(function() h.reclaim.tps.salting = 3 end):to_error("salting: 3 is not allowed %(use a whole number from 0 to 2%)")
              expect(function() h.reclaim.balloon.max_percent = 120 end):to_error("max_percent: 120 is not allowed %(use 0 %% to 100 %%%)")
              expect(function() h.reclaim.compression.cache_percent = "3%" end):to_error("cache_percent: 3 is not allowed")
              expect(function() h.reclaim.tps.pages_to_scan = 10 end):to_error("the esxi profile has no such parameter")
              expect(function() h.reclaim.balloon.enabled = "yes" end):to_error([[enabled "yes" is not true or false]])
              expect(function() h.reclaim.tps.sallting = 1 end):to_error("did you mean 'salting'")
              expect(function() h.reclaim.reading = "C" end):to_error([[reading: "C" is not a reading %(use "A" or "B"%)]])
              expect(function() h.reclaim.balloon.policy = 5 end):to_error("is not a balloon policy")
              local v = h:create_vm{ name = "v", memory = "1 GiB" }
              v:power_on()
              expect(function() h.reclaim.tps.large_pages = false end):to_error("can change only while no VM on esx01 is powered on %(v is on%)")
              expect(h.reclaim.tps.large_pages):to_be_true()
            end)
            """#)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
    }

    @Test func xenMemSetAndKVMKnobs() {
        let r = runLab(#"""
            lab.profile("xen")
            local h = lab.host{ name = "xen01", cpus = 4, memory = "16 GiB" }
            local d = h:create_vm{ name = "dom1", memory = "2 GiB", mem = { max = "4 GiB" } }
            check("maxmem", function()
              d:power_on()
              lab.run_for("10 s")
              expect(d.memory.ballooned, "boot balloon"):to_equal(lab.bytes("2 GiB"))
              d:mem_set("3 GiB")
              lab.run_for("1 min")
              expect(d.memory.ballooned, "after mem-set"):to_equal(lab.bytes("1 GiB"))
              expect(function() d:mem_set("5 GiB") end):to_error("is not allowed %(use more than 0 up to its maxmem 4.00 GiB%)")
              expect(function() h.reclaim.tps.enabled = true end):to_error("the xen profile has no tps")
            end)
            """#)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
        let kvm = runLab(#"""
            lab.profile("kvm")
            local h = lab.host{ name = "kvm01", cpus = 4, memory = "16 GiB" }
            check("knobs", function()
              expect(h.reclaim.tps.mode):to_equal("ksm")
              expect(h.reclaim.tps.pages_to_scan):to_equal(100)
              expect(h.reclaim.tps.sleep):to_equal(0.02)
              expect(h.reclaim.compression.mode):to_equal("zswap")
              expect(h.reclaim.compression.max_pool_percent):to_equal(20)
              expect(h.reclaim.balloon.max_percent):to_equal(100)
              h.reclaim.tps.pages_to_scan = 1000
              expect(function() h.reclaim.tps.salting = 1 end):to_error("the kvm profile has no such parameter")
            end)
            """#)
        for c in kvm.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }

    @Test(arguments: [
        (#"h:create_vm{ name = "a", memory = "4 GiB", mem = { reservation = "32 GiB" } }"#,
         "lab.lua:2: create_vm a: mem.reservation 32.00 GiB is above its configured memory 4.00 GiB"),
        (#"h:create_vm{ name = "a", memory = "32 GiB", mem = { reservation = "20 GiB" } }"#,
         "lab.lua:2: create_vm a: mem.reservation 20.00 GiB is more than esx01 has (16.00 GiB of machine memory)"),
        (#"h:create_vm{ name = "a", memory = "4 GiB", mem = { reservation = "2 GiB", limit = "1 GiB" } }"#,
         "lab.lua:2: create_vm a: mem.limit 1.00 GiB is below mem.reservation 2.00 GiB (a limit must be at least the reservation)"),
        (#"h:create_vm{ name = "a", memory = "4 GiB", mem = { max_balloon = "8 GiB" } }"#,
         "lab.lua:2: create_vm a: mem.max_balloon 8.00 GiB is not allowed (use 0 up to its configured memory 4.00 GiB)"),
        (#"h:create_vm{ name = "a", memory = "4 GiB", mem = { max = "8 GiB" } }"#,
         #"lab.lua:2: create_vm a: mem.max is Xen's maxmem; the esxi profile has none (use lab.profile("xen"))"#),
        (#"h:create_vm{ name = "a", memory = "4 GiB", mem = { salt = "x" } }"#,
         "lab.lua:2: create_vm: mem: unknown option 'salt' (did you mean 'share_salt'?)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" }; v:power_on(); v.guest:touch("512 MiB"); v.guest:free("1 GiB")"#,
         "lab.lua:2: guest:free: 1.00 GiB is more than the guest of VM(a) has in use (512.00 MiB)"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" }; v:power_on(); v.guest:touch("64 MiB", { zero = 2 })"#,
         "lab.lua:2: VM(a).guest:touch: zero 2 is not a fraction from 0 to 1"),
        (#"local v = h:create_vm{ name = "a", memory = "1 GiB" }; v:power_on(); v.guest:write("64 MiB", "code")"#,
         #"lab.lua:2: VM(a).guest:write: over "code" is not a page content (use "image", "zero" or "data")"#),
        (#"lab.workload.memory{ size = "1 GiB", compressible = -0.1 }"#,
         "lab.lua:2: lab.workload.memory: compressible -0.1 is not a fraction from 0 to 1"),
        (#"lab.balloon_policy{ name = "p" }"#, "lab.lua:2: lab.balloon_policy: option 'target' is required"),
    ])
    func badMemoryInput(code: String, message: String) {
        let r = runLab(host + "\n" + code)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
        // nothing half-applied: a refused VM does not exist
        #expect(!(r.scriptError ?? "").isEmpty)
    }
}
