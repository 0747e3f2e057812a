import Testing
@testable import LabRuntime

/// A memory limit or reservation changed while the VM runs is what the host's reclaim
/// enforces from then on (it once kept the values the VM was created with).
@Suite struct RunningMemoryLimitTests {
    @Test func aLimitSetOrRemovedWhileRunningIsEnforcedFromThen() {
        let r = runLab(#"""
            lab.sample_interval("20 s")
            local h = lab.host{ name = "esx01", cpus = 4, memory = "32 GiB" }
            local v = h:create_vm{ name = "app", vcpus = 1, memory = "4 GiB", tools = false }
            v:power_on()
            v:run(lab.workload.memory{ size = "3 GiB", dirty = "20 MB/s" })
            lab.run_for("1 min")
            print("free:" .. v.memory.swapped)
            v.memory.limit = "1 GiB"
            lab.run_for("1 min")
            print("limited:" .. v.memory.swapped)
            local swapped = v.memory.swapped
            v.memory.limit = nil
            lab.run_for("5 min")
            print("lifted:" .. tostring(v.memory.swapped < swapped) .. ":" .. v.memory.swap_out_rate)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.output.contains("free:0\n"), "\(r.output)")
        let limited = r.output.split(separator: "\n").first { $0.hasPrefix("limited:") }.flatMap { Int64($0.dropFirst(8)) } ?? 0
        #expect(limited > 1 << 30, "a 1 GiB limit on 3 GiB in use swaps out about 2 GiB: \(r.output)")
        #expect(r.output.contains("lifted:true:0.0"), "\(r.output)")
    }
}
