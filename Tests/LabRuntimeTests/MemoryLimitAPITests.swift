import Testing
@testable import LabRuntime

/// A run over the memory limit is a Lua error at the script's line, like every other
/// refusal of the model, and `lab.memory_limit` sets or lifts the limit.
@Suite("lab.memory_limit and refused runs")
struct MemoryLimitAPITests {
    let world = """
        lab.statistics_level(1)
        for h = 1, 2 do
          local host = lab.host{ name = "esx0" .. h, cpus = 8, memory = "64 GiB" }
          for v = 1, 5 do host:create_vm{ name = "vm" .. h .. v, vcpus = 2, memory = "1 GiB" }:power_on() end
        end

        """

    @Test func aRunOverTheLimitFailsAtItsLine() {
        let r = runLab(world + """
            lab.memory_limit("1 MiB")
            lab.run_for("1 h")
            """)
        let e = r.scriptError ?? ""
        #expect(e.hasPrefix("lab.lua:7: this run needs at least "), "\(e)")
        #expect(e.contains("(10 VMs × 25 series × 180 samples of 20 s, and model state; up to "), "\(e)")
        #expect(e.contains(" if every sample differs from the one before), more than the 1 MiB available (set by lab.memory_limit): use lab.statistics_level(0)"), "\(e)")
        #expect(r.simulatedSeconds == 0)
    }

    /// pcall catches it, time has not moved, and a run within the limit goes on.
    @Test func itIsAnOrdinaryErrorAndChangesNothing() {
        let r = runLab(world + """
            lab.memory_limit("1 MiB")
            local ok, err = pcall(lab.run_for, "1 h")
            print(ok, lab.now(), #lab.series(lab.vms()[1], "cpu.run"))
            lab.memory_limit("auto")
            lab.run_for("1 h")
            print(lab.now())
            """)
        #expect(r.scriptError == nil)
        #expect(r.output == "false\t0.0\t0\n3600.0\n")
    }

    /// run_until is checked for its whole limit before the predicate is first called.
    @Test func runUntilIsRefusedBeforeItsFirstStep() {
        let r = runLab(world + """
            calls = 0
            lab.memory_limit("1 MiB")
            local ok, err = pcall(lab.run_until, function() calls = calls + 1 return false end, "1 h")
            print(ok, calls, lab.now(), err:match("this run needs at least") ~= nil)
            """)
        #expect(r.scriptError == nil)
        #expect(r.output == "false\t0\t0.0\ttrue\n")
    }

    @Test func noneLiftsTheCheck() {
        let r = runLab(world + """
            lab.memory_limit("1 MiB")
            lab.memory_limit("none")
            lab.run_for("10 min")
            print(lab.now())
            """)
        #expect(r.scriptError == nil)
        #expect(r.output == "600.0\n")
    }

    @Test(arguments: [
        (#"lab.memory_limit("lots")"#, #"lab.lua:1: lab.memory_limit: limit "lots" is not a size"#),
        (#"lab.memory_limit(0)"#, "lab.lua:1: lab.memory_limit: limit 0 is not a size of more than 0 bytes"),
    ])
    func badLimits(code: String, prefix: String) {
        let r = runLab(code)
        #expect(r.scriptError?.hasPrefix(prefix) == true, "\(r.scriptError ?? "no error")")
    }
}
