import Testing
@testable import LabRuntime

@Suite("HA and FT from Lua")
struct HAAPITests {
    @Test(arguments: [
        (#"c:enable_ha{ admission = "magic" }"#, #"lab.lua:4: Cluster(c):enable_ha: admission "magic" is not an admission policy (use "slots", "percentage" or "none")"#),
        (#"c:enable_ha{ failures = 2 }"#, "lab.lua:4: cluster c: failures 2 is not allowed (use 1 to 1 for 2 hosts)"),
        (#"v:enable_ft()"#, "lab.lua:4: enable_ft: VM(v): FT needs its host in a cluster with HA on"),
        (#"c:enable_ha(); v:enable_ft{ legacy = true }"#, "lab.lua:4: enable_ft: VM(v): legacy FT (vLockstep) supports 1 vCPU; it has 2"),
        (#"a:fail(); a:fail()"#, "lab.lua:4: fail: Host(a) has already failed"),
        (#"a:recover()"#, "lab.lua:4: recover: Host(a) has not failed"),
    ])
    func badInput(code: String, message: String) {
        let r = runLab(#"""
            local a = lab.host{ name = "a", cpus = 4, memory = "16 GiB" }
            local b = lab.host{ name = "b", cpus = 4, memory = "16 GiB" }
            local c = lab.cluster{ name = "c", hosts = { a, b } }; local v = a:create_vm{ name = "v", vcpus = 2, memory = "2 GiB" }; v:power_on()
            """# + "\n" + code)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
    }
}
