import Testing
import LuaKit
@testable import LabRuntime

@Suite("Shell completion")
struct ShellCompletionTests {
    @Test func theWordBeforeTheCursor() {
        #expect(ShellCompletion.word("x = lab.ru") == ("lab", ".", "ru"))
        #expect(ShellCompletion.word("print(h:po") == ("h", ":", "po"))
        #expect(ShellCompletion.word("vm.memory.") == ("vm.memory", ".", ""))
        #expect(ShellCompletion.word("whi") == ("", nil, "whi"))
    }

    @Test func moduleFunctionsComeFromTheDeclarations() throws {
        let (s, _) = try freshShell()
        let lab = try #require(s.api.modules.first { $0.name == "lab" })
        #expect(s.complete("lab.ru").matches == ["run_for", "run_until"])
        #expect(s.complete("lab.ru").replace == 2)
        let all = s.complete("lab.").matches
        #expect(Set(lab.functions.map(\.name)).isSubset(of: Set(all)))
        #expect(all.contains("workload"))  // a submodule
        #expect(s.complete("lab.workload.me").matches == ["memory"])
    }

    @Test func methodsAfterAColonPropertiesAfterADot() throws {
        let (s, _) = try freshShell()
        for l in buildVM { _ = s.evaluate(l) }
        let host = try #require(s.api.classes.first { $0.name == "Host" })
        #expect(s.complete("h:").matches == Set(host.methods.map(\.name)).sorted())
        #expect(s.complete("h:create_v").matches == ["create_vm"])
        #expect(s.complete("h.").matches == Set(host.properties.map(\.name)).sorted())
        #expect(s.complete("vm.memory.consu").matches == ["consumed"])
        #expect(s.complete("vm.cpu.rea").matches == ["ready", "ready_ms"])
        #expect(s.complete("nosuch:").matches == [])
    }

    @Test func bareWordsAreGlobalsAndKeywords() throws {
        let (s, _) = try freshShell()
        _ = s.evaluate("my_value = 1")
        #expect(s.complete("my_").matches == ["my_value"])
        #expect(s.complete("whi").matches == ["while"])
        #expect(s.complete("pri").matches.contains("print"))
        #expect(s.complete("x = la").matches.contains("lab"))
        _ = s.evaluate("t = { alpha = 1, beta = 2 }")
        #expect(s.complete("t.al").matches == ["alpha"])
        #expect(ShellCompletion.commonPrefix(["run_for", "run_until"]) == "run_")
    }
}
