import Foundation
import Testing
@testable import LabRuntime

/// What a run's report draws: the objects the lab's code read (and the side it read), or
/// what `lab.report` names; unchanged values listed rather than drawn; nothing only
/// hidden/ read or created in the students' view.
@Suite("What reports are about")
struct ReportFocusTests {
    /// Two busy VMs share one pCPU, a third idles; the check reads only the busy VMs' ready time.
    static let cpuLab = """
        local h = lab.host{ name = "esx01", cpus = 1, memory = "16 GiB" }
        local vms = {}
        for i = 1, 3 do
          vms[i] = h:create_vm{ name = "vm" .. i, memory = "1 GiB" }
          vms[i]:power_on()
        end
        vms[1]:run(lab.workload.cpu{ load = 1 })
        lab.run_for("2 min")
        vms[2]:run(lab.workload.cpu{ load = 1 })
        lab.run_for("3 min")
        check("contention", function()
          expect(vms[1].cpu.ready):to_be_at_least(10)
          expect(lab.series(vms[2], "cpu.ready"):mean()):to_be_at_least(10)
        end)
        """

    @Test func aCPULabDrawsTheCPUOfWhatItsChecksRead() throws {
        let r = runLab(Self.cpuLab, charts: true)
        #expect(r.allPassed, "\(r.checks)")
        let c = try #require(r.charts)
        #expect(c.vmCPU.map(\.name) == ["vm1", "vm2"])
        #expect(c.vmMemory.isEmpty && c.hostMemory.isEmpty && c.datastores.isEmpty, "a CPU lab draws no memory or storage")
        #expect(c.hostCPU.isEmpty && c.gantts.isEmpty, "the host's CPU was not read")
        #expect(c.vmCPU.allSatisfy { $0.views == [.author, .student] })
        // %CSTP never happened on 1-vCPU VMs: that series is left out
        #expect(c.vmCPU[0].series.map(\.name) == ["cpu.run", "cpu.ready", "cpu.wait"] || c.vmCPU[0].series.map(\.name) == ["cpu.run", "cpu.ready"])
        #expect(c.notes("selection", .author) == [ReportFocus.Rule.read.rawValue])
        #expect(c.panels.map(\.name) == ["vm1", "vm2"], "run's panels show the VMs the lab is about")
    }

    @Test func unchangedValuesAreListedNotDrawn() throws {
        let r = runLab("""
            local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }
            local idle = h:create_vm{ name = "idle", memory = "1 GiB" }
            idle:power_on()
            lab.run_for("5 min")
            check("idle", function() expect(idle.cpu.wait):to_be_at_least(99) end)
            """, charts: true)
        let c = try #require(r.charts)
        #expect(c.vmCPU.isEmpty)
        let steady = try #require(c.steady.first)
        #expect(steady.name == "idle" && steady.section == "vm cpu" && steady.host == "esx01")
        #expect(steady.values == [0, 0, 0, 100])
    }

    @Test func labReportNamesWhatIsDrawnEvenWhenUnchanged() throws {
        let r = runLab("""
            local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }
            local a = h:create_vm{ name = "a", memory = "1 GiB" }
            local b = h:create_vm{ name = "b", memory = "1 GiB" }
            a:power_on(); b:power_on()
            lab.report{ vms = { b }, charts = { "cpu" } }
            lab.run_for("5 min")
            check("reads a", function() expect(a.memory.consumed):to_be_at_least(0) end)
            """, charts: true)
        let c = try #require(r.charts)
        #expect(c.vmCPU.map(\.name) == ["b"], "named, so drawn although idle throughout")
        #expect(c.vmCPU.first?.series.count == 4, "a named chart keeps every series")
        #expect(c.vmMemory.isEmpty, "charts = { \"cpu\" }: no memory, and a (read, not named) is not drawn")
        #expect(c.notes("selection", .student) == [ReportFocus.Rule.named.rawValue])
    }

    @Test func labReportRefusesWhatItCannotDraw() {
        let bad: [(String, String)] = [
            ("lab.report{ vms = { h } }", "lab.report: vms a Host is not a VM"),
            ("lab.report{ hosts = { h }, charts = { \"disk\" } }", "is not a chart kind (use \"cpu\", \"memory\" or \"storage\")"),
            ("lab.report{}", "lab.report: name at least one of hosts, vms or datastores"),
            ("lab.report{ host = { h } }", "unknown option 'host'"),
        ]
        for (line, message) in bad {
            let r = runLab(#"local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }"# + "\n" + line, charts: true)
            #expect(r.scriptError?.contains(message) == true, "\(line): \(r.scriptError ?? "no error")")
        }
    }

    @Test func studentsSeeNothingOnlyHiddenChecksReadOrCreated() throws {
        let hidden = """
            local h2 = lab.host{ name = "secret-host", cpus = 1, memory = "8 GiB" }
            local s = h2:create_vm{ name = "secret-vm", memory = "1 GiB" }
            s:power_on(); s:run(lab.workload.cpu{ load = 1 })
            local x = h2:create_vm{ name = "secret-x", memory = "1 GiB" }
            x:power_on(); x:run(lab.workload.cpu{ load = 1 })
            lab.run_for("2 min")
            check("hidden one", function() expect(s.cpu.ready):to_be_at_least(1) end)
            """
        let r = runLab(Self.cpuLab, charts: true, hidden: ["a.lua": hidden])
        let c = try #require(r.charts)
        func vms(_ view: RunCharts.Views) -> [String] {
            RunCharts.visible(c.vmCPU, view, \.views).map(\.name) + RunCharts.visible(c.steady, view, \.views).map(\.name)
        }
        #expect(vms(.author).contains("secret-vm"))
        #expect(vms(.student) == ["vm1", "vm2"])
        #expect(!RunCharts.visible(c.events, .student, \.views).contains { $0.subject.contains("secret") })
        #expect(RunCharts.visible(c.events, .author, \.views).contains { $0.subject.contains("secret") })
    }

    /// Reading a VM's ballooned memory reads its host's memory too: the host's
    /// free-memory state decides it, and the host's chart shows why.
    @Test func reclaimedVMMemoryBringsItsHost() throws {
        let r = runLab("""
            local h = lab.host{ name = "esx01", cpus = 4, memory = "8 GiB" }
            local v = h:create_vm{ name = "v", memory = "4 GiB" }
            v:power_on(); v.guest:touch("2 GiB")
            lab.run_for("2 min")
            check("balloon", function() expect(v.memory.ballooned):to_be_at_least(0) end)
            """, charts: true)
        let c = try #require(r.charts)
        #expect(c.vmMemory.map(\.name) == ["v"])
        #expect(c.hostMemory.map(\.name) + c.steady.filter { $0.section == "host memory" }.map(\.name) == ["esx01"])
        #expect(c.vmCPU.isEmpty)
    }
}
