import HyperModel
import LuaKit

/// Popek and Goldberg's theorems on modelled instruction sets.
final class ISABox {
    let isa: ISA
    init(_ isa: ISA) { self.isa = isa }
}

extension LabAPI {
    static let isaOptions = LuaRecord(
        "lab.ISAOptions", doc: "Options of `lab.isa{...}`: an instruction set of your own.",
        fields: [
            LuaParam("name", "string", "Its name."),
            LuaParam("instructions", "lab.InstructionOptions[]", "Its instructions."),
            LuaParam("hardware_assist", "boolean", "A root/non-root mode makes every sensitive instruction exit to the VMM (default false).", optional: true),
        ])

    static let instructionOptions = LuaRecord(
        "lab.InstructionOptions", doc: "One instruction of `lab.isa{ instructions = { ... } }`.",
        fields: [
            LuaParam("name", "string", "Its mnemonic."),
            LuaParam("privileged", "boolean", "Traps in user mode, not in supervisor mode."),
            LuaParam("sensitive", "\"none\"|\"control\"|\"behavior\"", "Control-sensitive (changes configuration or mode), behaviour-sensitive (its result depends on them), or innocuous."),
            LuaParam("user_sensitive", "boolean", "Sensitive when run in user mode (default: sensitive at all).", optional: true),
            LuaParam("effect", "string", "What it does in the model: " + Instruction.Effect.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + " (default \"none\").", optional: true),
        ])

    static let isaRunOptions = LuaRecord(
        "lab.ISARunOptions", doc: "Options of `isa:run{...}`.",
        fields: [
            LuaParam("program", "{ mode: \"kernel\"|\"user\", op: string, value: integer? }[]", "The guest's instructions in order."),
            LuaParam("vmm", "\"native\"|\"trap-and-emulate\"|\"binary-translation\"|\"hardware-assist\"|\"hybrid\"", "How it is virtualized."),
        ])

    func defineISA() {
        isa.property("name", "string", "Its name.", stable: true) { b, c in c.push(b.isa.name) }
            .property("virtualizable", "boolean", "Theorem 1: every sensitive instruction is privileged (trap-and-emulate works).", stable: true) { b, c in
                c.push(b.isa.virtualizable)
            }
            .property("hybrid_virtualizable", "boolean", "Theorem 3: every user-sensitive instruction is privileged (a hybrid VMM works).", stable: true) { b, c in
                c.push(b.isa.hybridVirtualizable)
            }
            .property("recursively_virtualizable", "boolean", "Theorem 2 (the model's machines have no timing dependencies).", stable: true) { b, c in
                c.push(b.isa.recursivelyVirtualizable)
            }
            .property("sensitive_unprivileged", "string[]", "Sensitive instructions that do not trap in user mode.", stable: true) { b, c in
                c.pushArray(b.isa.sensitiveUnprivileged) { c.push($0) }
            }
            .method("run", doc: "Runs a guest program natively and under a VMM and compares them: { equivalent, differences, traps, direct, emulated, translated, interpreted, direct_share, interrupts, mode, table, observations }.",
                    params: [LuaParam("options", "lab.ISARunOptions")], returns: [LuaParam("", "table")], mutates: false) { b, call in
                let ctx = "\(b.isa.name):run"
                let o = try call.options(2, LabAPI.isaRunOptions, context: ctx)
                let vmmName = try o.string("vmm")!
                guard let vmm = VMMStrategy(rawValue: vmmName) else {
                    throw o.bad("vmm", o["vmm"], expected: "a VMM strategy", hint: "use " + VMMStrategy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                }
                let steps: [GuestStep] = try (o.array("program") ?? []).enumerated().map { i, item in
                    guard case .table(let t) = item else { throw o.bad("program", item, expected: "a list of steps such as { mode = \"kernel\", op = \"popf\" }") }
                    let mode = call.rawString(t, "mode") ?? "kernel"
                    guard let m = GuestStep.Mode(rawValue: mode) else { throw LuaError("\(ctx): program[\(i + 1)].mode \"\(mode)\" is not a mode (use \"kernel\" or \"user\")") }
                    guard let op = call.rawString(t, "op") else { throw LuaError("\(ctx): program[\(i + 1)] needs op = an instruction's name") }
                    return GuestStep(m, op, value: call.rawInteger(t, "value"))
                }
                let isa = b.isa
                let r = try model { try isa.run(steps, under: vmm) }
                call.pushTable { t in
                    t.set("equivalent", r.equivalent)
                    t.set("differences") { call.pushArray(r.differences) { call.push($0) } }
                    t.set("traps", Int64(r.traps))
                    t.set("direct", Int64(r.direct))
                    t.set("emulated", Int64(r.emulated))
                    t.set("translated", Int64(r.translated))
                    t.set("interpreted", Int64(r.interpreted))
                    t.set("direct_share", r.directShare)
                    t.set("interrupts", r.state.interrupts)
                    t.set("mode", r.state.mode.rawValue)
                    t.set("table", r.state.table)
                    t.set("observations") { call.pushArray(r.state.observations) { call.push($0) } }
                }
                return 1
            }
    }

    func isaFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "isa",
            doc: "An instruction set for Popek and Goldberg's theorems: a built-in one by name (\"x86\", \"x86-vtx\", \"ideal\", \"pdp10\") or your own from a table of instructions.",
            params: [LuaParam("spec", "string|lab.ISAOptions")], returns: [LuaParam("", "lab.ISA")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.isa"
            if case .string(let n) = call.value(1) {
                guard let isa = ISA.named(n) else {
                    throw LuaError("\(ctx): \"\(n)\" is not a built-in instruction set (use \(ISA.builtIn.map { "\"\($0)\"" }.joined(separator: ", ")) or a table)")
                }
                call.push(ISABox(isa), self.isa)
                return 1
            }
            let o = try call.options(1, LabAPI.isaOptions, context: ctx)
            let name = try o.string("name")!
            let list: [Instruction] = try (o.array("instructions") ?? []).enumerated().map { i, item in
                guard case .table(let t) = item else { throw o.bad("instructions", item, expected: "a list of instruction tables") }
                let d = try call.options(t, LabAPI.instructionOptions, context: "\(ctx): instructions[\(i + 1)]")
                let s = try d.string("sensitive")!
                guard let sens = Instruction.Sensitivity(rawValue: s) else {
                    throw d.bad("sensitive", d["sensitive"], expected: "a sensitivity", hint: "use \"none\", \"control\" or \"behavior\"")
                }
                var effect = Instruction.Effect.none
                if let e = try d.string("effect") {
                    guard let k = Instruction.Effect(rawValue: e) else {
                        throw d.bad("effect", d["effect"], expected: "an effect", hint: "use " + Instruction.Effect.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                    }
                    effect = k
                }
                return Instruction(try d.string("name")!, privileged: try d.boolean("privileged")!, sensitivity: sens,
                                   userSensitive: try d.boolean("user_sensitive"), effect: effect)
            }
            let assist = try o.boolean("hardware_assist") ?? false
            let isa = try model { try ISA(name: name, instructions: list, hardwareAssist: assist) }
            call.push(ISABox(isa), self.isa)
            return 1
        }
    }
}
