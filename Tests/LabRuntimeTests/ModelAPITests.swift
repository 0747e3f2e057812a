import Foundation
import Testing
@testable import LabRuntime

@Suite("The lab API over the model")
struct ModelAPITests {
    @Test func lazyAllocationThroughLua() {
        let r = runLab(host + #"""

            local vm = h:create_vm{ name = "web01", vcpus = 2, memory = "4 GiB" }
            vm:power_on()
            vm.guest:touch("1 GiB")
            check("behaviour 13", function()
              expect(vm.memory.consumed):to_equal(lab.bytes("1 GiB"))
              expect(vm.memory.provisioned):to_equal(lab.bytes("4 GiB"))
              expect(vm.memory.overhead):to_be_between("40 MiB", "70 MiB")
              expect(h.memory.consumed):to_equal(vm.memory.consumed + vm.memory.overhead)
            end)
            vm.guest:free("512 MiB")
            check("freed memory stays consumed", function()
              expect(vm.memory.consumed):to_equal(lab.bytes("1 GiB"))
              expect(vm.guest.free_list):to_equal(lab.bytes("512 MiB"))
            end)
            """#)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test func overcommitReadyThroughLua() {
        let r = runLab(#"""
            local h = lab.host{ name = "esx01", cpus = 2, memory = "16 GiB" }
            local vms = {}
            for i = 1, 6 do
              vms[i] = h:create_vm{ name = "vm" .. i, memory = "1 GiB" }
              vms[i]:power_on()
              vms[i]:run(lab.workload.busy())
            end
            lab.run_for("5 min")
            check("3:1 gives 67 % ready", function()
              expect(h.cpu.overcommit):to_equal(3)
              for _, vm in ipairs(vms) do
                expect(lab.series(vm, "cpu.ready"):mean(), "ready"):to_be_near(66.7, 1.5)
                expect(vm.cpu.run + vm.cpu.ready + vm.cpu.costop + vm.cpu.wait):to_be_near(100, 1e-9)
                expect(vm.cpu.ready_ms / 20000 * 100):to_be_near(vm.cpu.ready, 1e-9)
              end
              expect(h.cpu.used, "host used %"):to_be_near(100, 1e-9)
            end)
            """#)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test func seriesEventsAndRunUntil() {
        let r = runLab(host + #"""

            local vm = h:create_vm{ name = "db", memory = "8 GiB" }
            vm:power_on()
            local w = vm:run(lab.workload.memory{ size = "4 GiB", active = "2 GiB", rate = "64 MiB/s" })
            local met = lab.run_until(function() return vm.memory.consumed >= lab.bytes("2 GiB") end, "1 h")
            check("run_until stops when met", function()
              expect(met):to_be_true()
              expect(lab.now(), "time"):to_equal(32)
              expect(w.allocated):to_equal(lab.bytes("2 GiB"))
            end)
            local never = lab.run_until(function() return false end, "2 min", "30 s")
            lab.run_for("10 min")
            local s = lab.series(vm, "memory.consumed")
            check("series", function()
              expect(never):to_be_false()
              expect(#s):to_be_at_least(30)
              expect(s:last()):to_equal(vm.memory.consumed)
              expect(s:max()):to_equal(lab.bytes("4 GiB"))
              expect(s:at(40)):to_equal(s:at(59))
              local n = 0
              for t, v in s:points() do n = n + 1; expect(t % 20):to_equal(0) end
              expect(n):to_equal(#s)
              expect(s.unit):to_equal("bytes")
            end)
            check("events", function()
              local power = lab.events{ kind = "vm.power", subject = vm }
              expect(#power):to_equal(1)
              expect(power[1].message):to_match("powered on")
              expect(#lab.events{ subject = "VM(db)" }):to_be_at_least(2)
            end)
            check("unknown series", function()
              expect(function() lab.series(vm, "memory.consumd") end):to_error("did you mean 'memory.consumed'")
            end)
            """#)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" }) \(r.scriptError ?? "")")
    }

    @Test func unitsAndFormatting() {
        let r = runLab(#"""
            check("units", function()
              expect(lab.bytes("4 GiB")):to_equal(4294967296)
              expect(lab.bytes("4GB")):to_equal(4294967296)
              expect(lab.seconds("5 min")):to_equal(300)
              expect(lab.mhz("2.4 GHz")):to_equal(2400)
              expect(lab.format.bytes(4294967296)):to_equal("4.00 GiB")
              expect(lab.format.seconds(0.05)):to_equal("50 ms")
              expect(lab.format.mhz(2400)):to_equal("2.40 GHz")
              expect(lab.format.percent(66.666)):to_equal("66.7 %")
              expect(require("hyperlab")):to_equal(lab)
            end)
            """#)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test func sameSeedSameResultsOtherSeedOtherPhases() {
        let script = #"""
            local h = lab.host{ name = "esx01", cpus = 2, memory = "16 GiB" }
            for i = 1, 9 do
              local vm = h:create_vm{ name = "vm" .. i, memory = "1 GiB" }
              vm:power_on()
              vm:run(lab.workload.cpu{ load = 0.2 + 0.01 * i })
            end
            lab.run_for("10 min")
            local t = {}
            for _, vm in ipairs(h.vms) do t[#t + 1] = string.format("%.6f", lab.series(vm, "cpu.ready"):mean()) end
            print(table.concat(t, " "), math.random(1000000))
            """#
        let a = runLab(script), b = runLab(script), c = runLab(script, seed: 99)
        #expect(a.output == b.output)
        #expect(a.eventLogDigest == b.eventLogDigest)
        #expect(a.output != c.output)
    }

    @Test func theDocsAreUpToDate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (markdown, files) = try APIDocs.generate()
        let committedDocs = try String(contentsOf: root.appendingPathComponent("docs/api.md"), encoding: .utf8)
        let committedTypes = try files.map { try String(contentsOf: root.appendingPathComponent($0.file), encoding: .utf8) }.joined()
        let types = files.map(\.text).joined()
        #expect(committedDocs == markdown, "docs/api.md is out of date: run `hyperlab docs`")
        #expect(committedTypes == types, "stdlib-lua/types/*.lua are out of date: run `hyperlab docs`")
        for fn in ["check", "expect", "partial"] { #expect(types.contains("function \(fn)(")) }
        #expect(types.contains("---@class lab.VM"))
        #expect(markdown.contains("### `lab.host(options)`"))
    }

    @Test func statisticsLevelDecidesPerVCPUSeries() {
        let r = runLab(#"""
            lab.statistics_level(1)
            lab.sample_interval("5 s")
            local h = lab.host{ name = "esx01", cpus = 2, memory = "16 GiB" }
            local vm = h:create_vm{ name = "web01", vcpus = 2, memory = "1 GiB" }
            vm:power_on()
            vm:run(lab.workload.busy())
            lab.run_for("1 min")
            check("VM series", function() expect(#lab.series(vm, "cpu.run")):to_equal(12) end)
            check("no per-vCPU series", function() lab.series(vm, "cpu.run.vcpu1") end)
            check("too late", function() lab.statistics_level(3) end)
            check("not a level", function() lab.statistics_level(7) end)
            """#)
        #expect(r.check("VM series")?.status == .passed, "\(r.checks.map { $0.message ?? "" })")
        #expect(r.check("no per-vCPU series")?.message?.contains("statistics level 3 and above, and this lab uses level 1") == true)
        #expect(r.check("too late")?.message?.contains("before building hosts") == true)
        #expect(r.check("not a level")?.message?.contains("use 1 to 4") == true)
    }
}
