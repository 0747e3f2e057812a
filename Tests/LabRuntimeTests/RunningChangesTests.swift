import Testing
@testable import LabRuntime

/// Shares, reservations and limits changed on a running VM take effect at once, as
/// vSphere's Edit Settings does (and SimGrid's `set_bound`); a larger reservation goes
/// through admission control; `w:stop()` stops one workload.
@Suite("Changing a running VM")
struct RunningChangesTests {
    func run(_ body: String) -> (LabRunResult, [[Double]]) {
        let r = runLab(#"""
            local h = lab.host{ name = "x", cpus = 1, mhz = "2.4 GHz", memory = "8 GiB" }
            local a = h:create_vm{ name = "a", memory = "1 GiB" }
            local b = h:create_vm{ name = "b", memory = "1 GiB" }
            for _, v in ipairs{ a, b } do v:power_on(); v:run(lab.workload.busy()) end
            local function step() lab.run_for("1 min"); print(a.cpu.used_mhz, b.cpu.used_mhz) end
            step()
            \#(body)
            """#)
        let rows = r.output.split(separator: "\n").map { $0.split(separator: "\t").compactMap { Double($0) } }.filter { $0.count == 2 }
        return (r, rows)
    }

    @Test func cpuSettingsApplyAtOnce() {
        let (r, rows) = run(#"""
            a.cpu.limit = "600 MHz"; step()
            a.cpu.limit = nil; a.cpu.shares = "high"; step()
            a.cpu.shares = "normal"; b.cpu.reservation = "2 GHz"; step()
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(rows.count == 4)
        guard rows.count == 4 else { return }
        #expect(rows[0] == [1200, 1200])
        #expect(abs(rows[1][0] - 600) < 5 && abs(rows[1][1] - 1800) < 5)            // the limit, at once
        // high shares against normal: 2:1, and the VM held back by its old limit banked no credit
        #expect(abs(rows[2][0] - 1600) < 10 && abs(rows[2][1] - 800) < 10, "\(rows[2])")
        #expect(abs(rows[3][1] - 2000) < 10 && abs(rows[3][0] - 400) < 10, "\(rows[3])")
    }

    @Test func reservationsGoThroughAdmissionControl() {
        let (r, _) = run(#"""
            b.cpu.reservation = "2 GHz"
            local ok, err = pcall(function() a.cpu.reservation = "1 GHz" end)
            print(err)
            print(a.cpu.reservation)
            """#)
        #expect(r.output.contains("VM(a).cpu: reservation 1.00 GHz is refused by admission control: x has 400 MHz unreserved for this VM"))
        #expect(r.output.hasSuffix("0.0\n"))           // nothing changed
        #expect(runLab(host + #"""

            local v = h:create_vm{ name = "v", memory = "1 GiB" }
            v:power_on()
            v.memory.reservation = "2 GiB"
            """#).scriptError?.contains("mem.reservation 2.00 GiB is above its configured memory 1.00 GiB") == true)
    }

    @Test func memorySettingsAndOneWorkloadStopped() {
        let r = runLab(host + #"""

            local v = h:create_vm{ name = "v", memory = "4 GiB" }
            v:power_on()
            local before = h.memory.reserved or 0
            v.memory.reservation = "1 GiB"
            v.memory.limit = "2 GiB"
            v.memory.shares = "high"
            print(v.memory.reservation, v.memory.limit, v.memory.shares)
            local cpu = v:run(lab.workload.busy())
            local mem = v:run(lab.workload.memory{ size = "512 MiB" })
            lab.run_for("1 min")
            cpu:stop()
            lab.run_for("1 min")
            print(v.cpu.used_mhz, mem.allocated)
            print(pcall(cpu.stop, cpu))
            print(#lab.events{ kind = "vm.config" })
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let lines = r.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "1073741824\t2147483648\t81920")
        #expect(lines.count >= 4 && lines[1] == "0.0\t536870912")
        #expect(lines.count >= 4 && lines[2].contains("has already stopped"))
        #expect(lines.last == "3")
    }

    @Test func aSubmissionCannotChangeTheLabsVM() {
        let r = runLab(host + #"""

            local v = h:create_vm{ name = "v", memory = "1 GiB" }
            v:power_on()
            local a = lab.submission("answer.lua")
            check("c", function() a.f(v) end)
            """#, submission: ["answer.lua": "return { f = function(vm) vm.cpu.limit = 100 end }"])
        #expect(r.check("c")?.message?.contains("a submission cannot change the lab's datacenter") == true, "\(r.check("c")?.message ?? "")")
    }
}
