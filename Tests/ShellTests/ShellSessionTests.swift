import Foundation
import Testing
import LuaKit
@testable import LabRuntime

/// A fresh shell, its `print` output collected.
func freshShell() throws -> (ShellSession, () -> String) {
    let shell = try ShellSession(options: LabOptions(labFile: "", labDirectory: FileManager.default.currentDirectoryPath), runLab: false)
    let box = Box()
    shell.write = { box.text += $0 }
    return (shell, { box.text })
}

final class Box: @unchecked Sendable { var text = "" }

extension ShellSession.Reply {
    var text: String {
        switch self {
        case .output(let t), .error(let t): return t
        case .incomplete: return "(incomplete)"
        }
    }
}

let buildVM = [
    "h = lab.host{ name = \"esx01\", cpus = 4, mhz = \"2.4 GHz\", memory = \"16 GiB\" }",
    "vm = h:create_vm{ name = \"web\", vcpus = 2, memory = \"4 GiB\", guest = \"linux\" }",
    "vm:power_on()",
]

@Suite("Shell values")
struct ShellValueTests {
    @Test func scalarsAndSeveralResults() throws {
        let (s, _) = try freshShell()
        #expect(s.evaluate("1 + 1") == .output("2"))
        #expect(s.evaluate("return 1.5, 'a', nil, true") == .output("1.5\n\"a\"\nnil\ntrue"))
        #expect(s.evaluate("x = 3") == .output(""))
        #expect(s.evaluate("=x * 2") == .output("6"))
    }

    @Test func localsAndGlobalsPersistBetweenLines() throws {
        let (s, _) = try freshShell()
        _ = s.evaluate("local y = 20")
        _ = s.evaluate("local function twice(n) return 2 * n end")
        #expect(s.evaluate("twice(y)") == .output("40"))
    }

    @Test func tablesAreShownShallowlyAndBounded() throws {
        let (s, _) = try freshShell()
        #expect(s.evaluate("{ 1, 2, name = 'x', inner = { 1 } }") == .output("{ 1, 2, inner = {…}, name = \"x\" }"))
        #expect(s.evaluate("{}") == .output("{}"))
        let big = s.evaluate("local t = {} for i = 1, 50 do t[i] = i end return t").text
        #expect(big.hasPrefix("{ 1, 2, 3"))
        #expect(big.hasSuffix("20, … (30 more) }"))
    }

    @Test func errorsReadAsInScriptsAndOpenChunksContinue() throws {
        let (s, _) = try freshShell()
        #expect(s.evaluate("nosuch()") == .error("stdin:1: attempt to call a nil value (global 'nosuch')"))
        #expect(s.evaluate("error('boom')") == .error("stdin:1: boom"))
        #expect(s.evaluate("function f()") == .incomplete)
        #expect(s.evaluate("function f()\n return 42\nend") == .output(""))
        #expect(s.evaluate("f()") == .output("42"))
        #expect(s.evaluate("lab.host{ cpus = 'many' }").text.hasPrefix("stdin:1: "))
    }

    @Test func printGoesToTheShellsOutput() throws {
        let (s, out) = try freshShell()
        _ = s.evaluate("print('hi', 1)")
        #expect(out() == "hi\t1\n")
    }

    @Test func aVMIsShownAsItsSummaryPanel() throws {
        let (s, _) = try freshShell()
        for l in buildVM { #expect(s.evaluate(l) == .output("")) }
        let panel = s.evaluate("vm").text
        #expect(panel.hasPrefix("┌ VM web on esx01 · on · linux"))
        #expect(panel.contains("2 vCPUs"))
        #expect(panel.contains("%RDY 0.0"))
        #expect(panel.contains("4.00 GiB provisioned"))
        #expect(panel.contains("└ Storage"))
    }

    @Test func otherObjectsShowTheirDeclaredProperties() throws {
        let (s, _) = try freshShell()
        _ = s.evaluate(buildVM[0])
        let host = s.evaluate("h").text
        #expect(host.hasPrefix("┌ Host(esx01)"))
        #expect(host.contains("│ cpus "))
        #expect(host.contains("mhz                   2.4 GHz"))
        #expect(host.contains("capacity 16 GiB"))  // the memory view on one line
        #expect(s.evaluate("h.memory").text.contains("capacity      16 GiB  (17179869184)"))
    }

    @Test func panelRowsAreCutToTheTerminalsWidth() throws {
        let (s, _) = try freshShell()
        _ = s.evaluate(buildVM[0])
        #expect(s.evaluate("h").text.split(separator: "\n").contains { $0.count > 40 })
        s.panelWidth = 40
        let rows = s.evaluate("h").text.split(separator: "\n")
        #expect(rows.allSatisfy { $0.count <= 40 })
        #expect(rows.contains { $0.hasSuffix("…") })
    }

    @Test func numbersTakeTheUnitThePropertyDeclares() throws {
        let (s, _) = try freshShell()
        for l in buildVM { _ = s.evaluate(l) }
        #expect(s.evaluate("vm.memory.configured") == .output("4 GiB  (4294967296)"))
        #expect(s.evaluate("vm.cpu.ready") == .output("0 %"))
        #expect(s.evaluate("h.mhz") == .output("2.4 GHz"))
        #expect(s.evaluate("vm.vcpus") == .output("2"))
        #expect(s.evaluate("vm.memory.configured + 0") == .output("4294967296"))  // an expression: no unit known
        let ready = try #require(s.api.classes.first { $0.name == "VMCPU" }?.properties.first { $0.name == "ready" })
        #expect(ShellUnits.unit(of: ready) == "%")
    }

    @Test func runAdvancesSimulatedTime() throws {
        let (s, _) = try freshShell()
        for l in buildVM { _ = s.evaluate(l) }
        _ = s.evaluate("vm:run(lab.workload.cpu{})")
        #expect(s.runFor("5 min") == .output("simulated time is now 5 min"))
        #expect(s.evaluate("lab.now()") == .output("300.0"))
        #expect(s.runFor("30") == .output("simulated time is now 5.5 min"))
        #expect(s.runFor("soon").text.hasPrefix(":run:1: "))
        #expect(s.evaluate("vm.cpu.run").text == "50 %")
    }

    @Test func anInterruptStopsTheLineAndTheNextOneRuns() throws {
        let (s, _) = try freshShell()
        s.interruptHandle.interrupt()
        #expect(s.evaluate("while true do end").text.contains("interrupted"))
        #expect(s.evaluate("1 + 1") == .output("2"))
    }

    @Test func metaCommandsParse() {
        #expect(ShellMeta.parse(":run 5 min") == .run("5 min"))
        #expect(ShellMeta.parse("  :top") == .top)
        #expect(ShellMeta.parse(":q") == .quit)
        #expect(ShellMeta.parse(":frob x") == .unknown("frob"))
        #expect(ShellMeta.parse("x = 1") == nil)
    }

    @Test func aLabRunsFirstAndThePromptContinuesInItsState() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("labs/01-lazy-allocation").path
        let options = LabOptions(labFile: dir + "/lab.lua", labDirectory: dir, submissionDirectory: dir + "/solution")
        let s = try ShellSession(options: options, runLab: true)
        let run = try #require(s.labRun)
        #expect(run.scriptError == nil)
        #expect(!run.checks.isEmpty)
        #expect(run.checks.allSatisfy { $0.status == .passed })
        #expect(s.evaluate("#lab.vms() >= 1") == .output("true"))
        #expect(s.now > 0)
    }
}
