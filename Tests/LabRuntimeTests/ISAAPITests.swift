import Testing
@testable import LabRuntime

@Suite("Instruction sets from Lua")
struct ISAAPITests {
    @Test(arguments: [
        (#"lab.isa("arm")"#, #"lab.lua:1: lab.isa: "arm" is not a built-in instruction set"#),
        (#"lab.isa{ name = "t", instructions = { { name = "x", privileged = true, sensitive = "maybe" } } }"#,
         #"lab.lua:1: lab.isa: instructions[1]: sensitive "maybe" is not a sensitivity (use "none", "control" or "behavior")"#),
        (#"lab.isa{ name = "t", instructions = { { name = "x", privileged = true, sensitive = "none" }, { name = "x", privileged = false, sensitive = "none" } } }"#,
         "lab.lua:1: isa t: instruction x is declared twice"),
        (#"lab.isa("x86"):run{ program = {}, vmm = "magic" }"#, #"lab.lua:1: x86:run: vmm "magic" is not a VMM strategy"#),
        (#"lab.isa("x86"):run{ program = { { mode = "hyper", op = "nop" } }, vmm = "native" }"#,
         #"lab.lua:1: x86:run: program[1].mode "hyper" is not a mode (use "kernel" or "user")"#),
    ])
    func badInput(code: String, message: String) {
        let r = runLab(code)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
    }
}
