import Testing
@testable import LabRuntime

/// `lab.operate`: a submission's function operates the lab's world with the
/// administrator's actions the lab allows; every write is logged with its outcome, the
/// rest refused naming the action and why, and a function that fails ends only its call.
@Suite struct OperateTests {
    /// Two hosts on a SAN, four busy 2-vCPU VMs on the first (esx02 has room), and an
    /// small host (vm1 reserves 2 GiB, so admission control refuses it there).
    static func lab(allow: String, after: String = "") -> String {
        #"""
        lab.sample_interval("20 s")
        local answer = lab.submission("answer.lua", { simulate = false })
        local san = lab.datastore{ name = "SAN1", capacity = "2 TiB", kind = "san" }
        local other = lab.datastore{ name = "local", capacity = "1 TiB" }
        local a = lab.host{ name = "esx01", cpus = 4, mhz = "2 GHz", memory = "64 GiB", datastores = { san } }
        local b = lab.host{ name = "esx02", cpus = 4, mhz = "2 GHz", memory = "64 GiB", datastores = { san } }
        local c = lab.host{ name = "esx03", cpus = 4, mhz = "2 GHz", memory = "1 GiB", datastores = { san, other } }
        local vms = {}
        for i = 1, 4 do
          local v = a:create_vm{ name = "vm" .. i, vcpus = 2, memory = "2 GiB" }
          v:power_on(); v:run(lab.workload.cpu{ threads = 2, load = 1 })
          vms[i] = v
        end
        vms[1].memory.reservation = "2 GiB"
        lab.run_for("1 min")
        local log = lab.operate(answer.fix, { hosts = { a, b, c }, vms = vms }, { allow = { \#(allow) } })
        print("ok=" .. tostring(log.ok) .. " error=" .. tostring(log.error))
        for i, e in ipairs(log.actions) do
          print(("%d|%g|%s|%s|%s|%s|%s"):format(i, e.time, e.object, e.binding, table.concat(e.arguments, ";"), e.outcome, tostring(e.ok)))
        end
        lab.run_for("2 min")
        for _, v in ipairs(vms) do print(v.name .. "@" .. v.host.name .. " limit=" .. tostring(v.cpu.limit) .. " state=" .. v.state) end
        \#(after)
        check("after", function() expect(1, "one"):to_equal(1) end)
        """#
    }

    static func answer(_ body: String) -> [String: String] {
        ["answer.lua": "local M = {}\nfunction M.fix(w)\n\(body)\nend\nfunction M.touch(vm) vm:power_off() end\nreturn M"]
    }

    static func lines(_ output: String) -> [String] { output.split(separator: "\n").map(String.init) }

    @Test func allowedActionsRunAndAreLoggedWithTheirOutcome() {
        let r = runLab(Self.lab(allow: #""VM:migrate", "VMCPU.limit""#), submission: Self.answer("""
            w.vms[3]:migrate{ host = w.hosts[2] }
            w.vms[4]:migrate{ host = w.hosts[2] }
            w.vms[1].cpu.limit = "1 GHz"
            """))
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let out = Self.lines(r.output)
        #expect(out.contains("ok=true error=nil"))
        #expect(out.contains("1|60|VM(vm3)|VM:migrate|{ host = Host(esx02) }|ok|true"), "\(r.output)")
        #expect(out.contains("2|60|VM(vm4)|VM:migrate|{ host = Host(esx02) }|ok|true"))
        #expect(out.contains("3|60|VMCPU(vm1)|VMCPU.limit|\"1 GHz\"|ok|true"))
        #expect(out.contains("vm3@esx02 limit=nil state=on") && out.contains("vm4@esx02 limit=nil state=on"))
        #expect(out.contains("vm1@esx01 limit=1000.0 state=on"))
    }

    @Test(arguments: [
        ("w.hosts[1].memory = 1", "Host(esx01).memory: a host's memory is hardware; an administrator cannot change it"),
        ("w.vms[1]:power_off()", "VM(vm1):power_off: this lab does not allow VM:power_off (powering a VM off); it allows VM:migrate"),
        (#"lab.run_for("1 h")"#, "lab.run_for: time passes only when the lab runs its world"),
        (#"lab.host{ name = "x", cpus = 1, memory = "1 GiB" }"#, "lab.host: a submission operating the lab's world cannot build"),
        (#"w.hosts[1]:create_vm{ name = "x", vcpus = 1, memory = "1 GiB" }"#, "Host(esx01):create_vm: a new VM adds load"),
        (#"w.hosts[1].scheduler = "credit""#, "Host(esx01).scheduler: a host's CPU scheduler is the hypervisor's code"),
        ("w.hosts[1]:fail()", "Host(esx01):fail: a hardware failure is not an administrator's action"),
        ("w.vms[1].guest:touch(1024)", "Guest(vm1):touch: a guest's workload is what its users run"),
        ("w.hosts[1].reclaim.idle_tax = 0", "Reclaim(esx01).idle_tax: idle_tax is a host's advanced setting"),
    ])
    func refusedActionsNameTheActionAndChangeNothing(line: String, message: String) {
        let body = "local ok, e = pcall(function() \(line) end)\nprint('refused: ' .. tostring(e))\nassert(not ok)"
        let r = runLab(Self.lab(allow: #""VM:migrate""#), submission: Self.answer(body))
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.output.contains("refused: answer.lua:3: \(message)"), "\(r.output)")
        #expect(r.output.contains("|refused: "), "the refusal is in the action log: \(r.output)")
        #expect(r.output.contains("ok=true"))
        for i in 1...4 { #expect(r.output.contains("vm\(i)@esx01 limit=nil state=on")) }
    }

    @Test func aRefusalOfTheModelIsLoggedAndHalfAppliesNothing() {
        // esx03 cannot admit a 2 GiB VM; a reservation larger than the VM can use is
        // refused: both leave the VM as it was
        let r = runLab(Self.lab(allow: #""VM:migrate", "VMCPU.reservation""#, after: #"print("res=" .. vms[2].cpu.reservation)"#),
                       submission: Self.answer("""
            print(pcall(w.vms[1].migrate, w.vms[1], { host = w.hosts[3] }))
            print(pcall(function() w.vms[2].cpu.reservation = "100 GHz" end))
            """))
        let out = Self.lines(r.output)
        #expect(out.contains { $0.hasPrefix("1|60|VM(vm1)|VM:migrate|{ host = Host(esx03) }|failed: ") && $0.hasSuffix("|false") }, "\(r.output)")
        #expect(out.contains { $0.hasPrefix("2|60|VMCPU(vm2)|VMCPU.reservation|\"100 GHz\"|failed: ") }, "\(r.output)")
        #expect(out.contains("vm1@esx01 limit=nil state=on"))
        #expect(out.contains("res=0.0"), "\(r.output)")
    }

    @Test(arguments: [("while true do end", "instruction limit"), (#"error("no idea")"#, "no idea")])
    func aFunctionThatLoopsOrErrorsEndsOnlyItsCall(body: String, reason: String) {
        let r = runLab(Self.lab(allow: #""VM:migrate""#), submission: Self.answer("w.vms[4]:migrate{ host = w.hosts[2] }\n" + body))
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let first = Self.lines(r.output).first { $0.hasPrefix("ok=") } ?? ""
        #expect(first.hasPrefix("ok=false error=") && first.contains(reason), "\(first)")
        #expect(r.output.contains("1|60|VM(vm4)|VM:migrate|{ host = Host(esx02) }|ok|true"), "what it did before stays done")
        #expect(r.output.contains("vm4@esx02"))
        #expect(r.checks.first?.status == .passed)
    }

    @Test func theLabsObjectsAreReadOnlyAgainAfterOperating() {
        let r = runLab(Self.lab(allow: #""VM:power_off""#, after: #"print("later: " .. select(2, pcall(answer.touch, vms[1])))"#),
                       submission: Self.answer(""))
        #expect(r.output.contains("later: answer.lua:5: VM(vm1):power_off: a submission cannot change the lab's datacenter"), "\(r.output)")
    }

    @Test func theAllowListAndTheLoadOptionAreChecked() {
        let r = runLab(Self.lab(allow: #""Host.memory""#), submission: Self.answer(""))
        #expect((r.scriptError ?? "").contains(#"lab.operate: allow: "Host.memory" is not an administrator's action lab.operate can allow"#), "\(r.scriptError ?? "")")
        let open = Self.lab(allow: #""VM:migrate""#).replacingOccurrences(of: #", { simulate = false }"#, with: "")
        let r2 = runLab(open, submission: Self.answer(""))
        #expect((r2.scriptError ?? "").contains(#"lab.operate: load answer.lua with lab.submission("answer.lua", { simulate = false })"#), "\(r2.scriptError ?? "")")
    }

    @Test func theSameSeedGivesTheSameActionLogAndEventLog() {
        let body = """
            for _, v in ipairs(w.vms) do if v.name ~= "vm1" then pcall(v.migrate, v, { host = w.hosts[2] }) end end
            w.vms[1].cpu.limit = 1500
            pcall(function() w.vms[2]:power_off() end)
            """
        let runs = (0..<2).map { _ in runLab(Self.lab(allow: #""VM:migrate", "VMCPU.limit""#), submission: Self.answer(body), seed: 7) }
        #expect(runs[0].output == runs[1].output)
        #expect(runs[0].eventLogDigest == runs[1].eventLogDigest)
        #expect(runs[0].output.contains("|refused: "))
    }

    @Test func aControllerIsCalledEveryIntervalWhileTheWorldRuns() {
        let lab = #"""
            local answer = lab.submission("answer.lua", { simulate = false })
            local a = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }
            local v = a:create_vm{ name = "vm1", vcpus = 1, memory = "1 GiB" }
            v:power_on()
            local log = lab.operate(answer.fix, { vm = v }, { allow = { "VMCPU.shares" }, every = "1 min", run = "150 s" })
            print("calls=" .. log.calls .. " now=" .. lab.now() .. " ok=" .. tostring(log.ok))
            for _, e in ipairs(log.actions) do print(e.time .. "|" .. e.arguments[1] .. "|" .. e.outcome) end
            """#
        let r = runLab(lab, submission: ["answer.lua": "local n = 0\nreturn { fix = function(w) n = n + 1; w.vm.cpu.shares = 1000 * n end }"])
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.output.contains("calls=3 now=150.0 ok=true"), "\(r.output)")
        #expect(r.output.contains("0.0|1000|ok\n60.0|2000|ok\n120.0|3000|ok"), "\(r.output)")
        let bad = runLab(lab.replacingOccurrences(of: "run = \"150 s\"", with: ""), submission: ["answer.lua": "return { fix = function() end }"])
        #expect((bad.scriptError ?? "").contains("lab.operate: every needs run"), "\(bad.scriptError ?? "")")
    }
}
