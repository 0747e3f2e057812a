import Testing
@testable import LabRuntime

/// `vm.vcpus = n` and `vm.memory.configured = "8 GiB"` from Lua, and `lab.operate`
/// letting a submission take them.
@Suite("Reconfiguring VMs from Lua")
struct ReconfigureAPITests {
    @Test func settersFollowVSpheresRules() {
        let r = runLab(host + #"""

            local a = h:create_vm{ name = "a", vcpus = 2, memory = "2 GiB", cpu_hot_add = true, memory_hot_add = true }
            local b = h:create_vm{ name = "b", vcpus = 2, memory = "2 GiB" }
            print(a.cpu_hot_add, a.memory_hot_add, b.cpu_hot_add)
            b.vcpus = 4; b.memory.configured = "3 GiB"           -- off: free
            print(b.vcpus, b.memory.configured)
            a:power_on(); b:power_on()
            a:run(lab.workload.cpu{ threads = 4, load = 1 })
            lab.run_for("1 min")
            print(a.cpu.used_mhz)
            a.vcpus = 4; a.memory.configured = "4 GiB"           -- hot add
            lab.run_for("1 min")
            print(a.vcpus, a.memory.configured, a.memory.overhead, a.cpu.used_mhz, a.cpu:vcpu(4).run)
            print(select(2, pcall(function() a.vcpus = 2 end)))
            print(select(2, pcall(function() b.vcpus = 5 end)))
            print(select(2, pcall(function() b.memory.configured = "8 GiB" end)))
            print(select(2, pcall(function() a.vcpus = 0 end)))
            print(select(2, pcall(function() a.memory.configured = "lots" end)))
            print(a.vcpus, a.memory.configured, b.vcpus, b.memory.configured)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let out = r.output.split(separator: "\n").map(String.init)
        guard out.count == 10 else { Issue.record("\(r.output)"); return }
        #expect(out[0] == "true\ttrue\tfalse")
        #expect(out[1] == "4\t3221225472")
        #expect(out[2] == "4800.0")                                   // 2 vCPUs at 2.4 GHz for 4 threads
        // 4 GiB, 4 vCPUs: 18.4 + 7.6 × 4 + 4 × 3 = 60.8 MB of overhead
        #expect(out[3] == "4\t4294967296\t63754240\t9600.0\t100.0", "\(out[3])")
        #expect(out[4].contains("VM(a): vcpus 2 is not allowed while it is on: vSphere cannot hot-remove vCPUs"), "\(out[4])")
        #expect(out[5].contains("VM(b): vcpus 5 is not allowed while it is on (it has 4): power it off first, or create it with cpu_hot_add = true"), "\(out[5])")
        #expect(out[6].contains("VM(b): memory 8.00 GiB is not allowed while it is on (it has 3.00 GiB): power it off first, or create it with memory_hot_add = true"), "\(out[6])")
        #expect(out[7].contains("VM(a): vcpus 0 is not a whole number from 1 to 768"), "\(out[7])")
        #expect(out[8].contains(#"VM(a).memory: configured "lots" is not a size"#), "\(out[8])")
        #expect(out[9] == "4\t4294967296\t4\t3221225472")          // the refusals changed nothing
    }

    static let operateLab = OperateTests.lab(
        allow: #""VM.vcpus", "VMMemory.configured", "VM:power_off", "VM:power_on""#,
        after: #"print("vm2=" .. vms[2].vcpus .. "/" .. vms[2].memory.configured .. "/" .. vms[2].state)"#)

    @Test func operateAllowsResizingAsAnAdministratorWould() {
        let r = runLab(Self.operateLab, submission: OperateTests.answer("""
            print(pcall(function() w.vms[2].vcpus = 4 end))
            w.vms[2]:power_off()
            w.vms[2].vcpus = 4
            w.vms[2].memory.configured = "3 GiB"
            w.vms[2]:power_on()
            """))
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let out = OperateTests.lines(r.output)
        #expect(out.contains("ok=true error=nil"), "\(r.output)")
        #expect(out.contains { $0.hasPrefix("1|60|VM(vm2)|VM.vcpus|4|failed: ") && $0.contains("create it with cpu_hot_add = true") && $0.hasSuffix("|false") }, "\(r.output)")
        #expect(out.contains("3|60|VM(vm2)|VM.vcpus|4|ok|true"), "\(r.output)")
        #expect(out.contains("4|60|VMMemory(vm2)|VMMemory.configured|\"3 GiB\"|ok|true"), "\(r.output)")
        #expect(out.contains("vm2=4/3221225472/on"), "\(r.output)")
    }

    @Test func operateRefusesResizingWhenTheLabDoesNotAllowIt() {
        let r = runLab(OperateTests.lab(allow: #""VM:migrate""#, after: #"print("vm1=" .. vms[1].vcpus)"#),
                       submission: OperateTests.answer("print(select(2, pcall(function() w.vms[1].vcpus = 4 end)))"))
        #expect(r.output.contains("VM(vm1).vcpus: this lab does not allow VM.vcpus (a VM's vCPU count"), "\(r.output)")
        #expect(r.output.contains("vm1=2"))
    }
}
