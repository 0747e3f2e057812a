import Testing
@testable import LabRuntime

/// Xen credit's `sched_ratelimit_us` (xen/common/sched/credit.c, csched_schedule: a
/// running vCPU keeps its pCPU until it has run the rate limit): a waking BOOST vCPU
/// waits for it, so a rate limit above the 10 ms tick shows as ready time.
@Suite("Xen credit's rate limit")
struct CreditRatelimitTests {
    func ready(_ ratelimit: String) -> Double? {
        let r = runLab(#"""
            local h = lab.host{ name = "x", cpus = 1, memory = "8 GiB", scheduler = "credit" }
            h.scheduler.ratelimit = \#(ratelimit)
            local a = h:create_vm{ name = "busy", memory = "1 GiB" }
            local b = h:create_vm{ name = "io", memory = "1 GiB" }
            a:power_on(); b:power_on()
            a:run(lab.workload.busy())
            b:run(lab.workload.cpu{ threads = 1, load = 0.05, period = "50 ms" })
            lab.run_for("1 min")
            print(b.cpu.ready)
            """#)
        return Double(r.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func aWakingVCPUWaitsForTheRateLimit() {
        #expect(ready("0") == 0)             // BOOST preempts at once
        #expect(ready("\"1 ms\"") == 0)      // the default: below the tick, no effect
        #expect((ready("\"20 ms\"") ?? 0) > 2)
        let bad = runLab(#"local h = lab.host{ name = "x", cpus = 1, memory = "8 GiB", scheduler = "credit" } h.scheduler.ratelimit = "1 s""#)
        #expect(bad.scriptError?.contains("ratelimit: 1.00 s is not allowed (use 0 to the time slice") == true, "\(bad.scriptError ?? "")")
    }
}
