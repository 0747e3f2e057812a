import Testing
@testable import LabRuntime

/// `lab.submission(file, { simulate = false })`: a quiz's student code cannot build the
/// scenario it is asked about and return the simulator's own answer (the oracle found by
/// the review of labs 20 and 21), while the pure helpers keep working.
@Suite struct SimulateOptionTests {
    static func lab(_ options: String) -> String {
        #"""
        local a = lab.submission("answer.lua"\#(options))
        local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }
        check("the student's function", function()
          expect(a.f(h), "f"):to_equal(1)
        end)
        """#
    }

    static func answer(_ body: String) -> String {
        "local M = {}\nfunction M.f(h)\n\(body)\nreturn 1\nend\nreturn M"
    }

    @Test(arguments: [
        ("host", #"lab.host{ name = "x", cpus = 1, memory = "1 GiB" }"#, "lab.host"),
        ("datastore", #"lab.datastore{ name = "ds", capacity = "1 TiB" }"#, "lab.datastore"),
        ("cluster", #"lab.cluster{ name = "c" }"#, "lab.cluster"),
        ("time", #"lab.run_for("1 h")"#, "lab.run_for"),
        ("profile", #"lab.profile("xen")"#, "lab.profile"),
        ("alarm", #"lab.alarm{ name = "a", on = "vm", metric = "cpu.usage", warning = 75, critical = 90 }"#, "lab.alarm"),
    ])
    func buildersAreRefused(name: String, line: String, binding: String) {
        let r = runLab(Self.lab(", { simulate = false }"), submission: ["answer.lua": Self.answer(line)])
        #expect(r.scriptError == nil)
        #expect(r.checks.first?.status != .passed, "\(name)")
        let message = r.checks.first?.message ?? ""
        #expect(message.contains("answer.lua:3: \(binding): this lab does not let a submission build or run a simulation of its own"), "\(message)")
        #expect(message.contains("hyperlab run"))
    }

    @Test func refusedAtLoadTimeToo() {
        let r = runLab(Self.lab(", { simulate = false }"),
                       submission: ["answer.lua": "lab.host{ name = \"x\", cpus = 1, memory = \"1 GiB\" }\nreturn { f = function() return 1 end }"])
        #expect(r.checks.first?.status != .passed)
        #expect((r.checks.first?.message ?? "").contains("lab.host: this lab does not let a submission"))
    }

    @Test func pureHelpersAndReadsWork() {
        let body = #"""
            assert(lab.bytes("1 KiB") == 1024 and lab.seconds("2 min") == 120 and lab.mhz("2 GHz") == 2000)
            assert(lab.size_of("1 GiB") ~= nil and lab.format.bytes(1024) ~= nil and lab.hash("x") ~= nil)
            assert(lab.workload.cpu{ threads = 1 } ~= nil and #lab.hosts() == 0 and lab.now() == 0)
            local p = lab.scheduler{ name = "mine", pick = function() return {} end }
            assert(p ~= nil and h.cpus == 4)
            """#
        let r = runLab(Self.lab(", { simulate = false }"), submission: ["answer.lua": Self.answer(body)])
        #expect(r.checks.first?.status == .passed, "\(r.checks.first?.message ?? "")")
    }

    @Test func theDefaultStillSimulates() {
        let r = runLab(Self.lab(""), submission: ["answer.lua": Self.answer(#"lab.host{ name = "x", cpus = 1, memory = "1 GiB" }; lab.run_for("1 min")"#)])
        #expect(r.checks.first?.status == .passed, "\(r.checks.first?.message ?? "")")
    }

    @Test func aLaterCallMayOmitTheOptionButNotContradictIt() {
        let same = runLab(Self.lab(", { simulate = false }") + "\nlocal b = lab.submission(\"answer.lua\")\nassert(b.f(h) == 1)",
                          submission: ["answer.lua": Self.answer("")])
        #expect(same.scriptError == nil)
        let other = runLab(Self.lab(", { simulate = false }") + "\nlab.submission(\"answer.lua\", { simulate = true })",
                           submission: ["answer.lua": Self.answer("")])
        #expect((other.scriptError ?? "").contains("lab.submission: answer.lua was already run with simulate = false"), "\(other.scriptError ?? "")")
    }

    @Test func badOptionsNameTheField() {
        let r = runLab(Self.lab(", { simulate = \"no\" }"), submission: ["answer.lua": Self.answer("")])
        #expect((r.scriptError ?? "").contains("simulate"), "\(r.scriptError ?? "")")
        let k = runLab(Self.lab(", { simulated = false }"), submission: ["answer.lua": Self.answer("")])
        #expect((k.scriptError ?? "").contains("simulated"), "\(k.scriptError ?? "")")
    }
}
