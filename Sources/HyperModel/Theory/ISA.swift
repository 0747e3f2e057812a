/// Popek and Goldberg's machine (model-facts §5): instructions are privileged or not,
/// sensitive (control- or behaviour-sensitive) or innocuous, and a VMM can trap and
/// emulate exactly when every sensitive instruction is privileged (Theorem 1).
public struct Instruction: Sendable, Equatable {
    public enum Sensitivity: String, Sendable { case none, control, behavior }
    /// What it does to the modelled machine state.
    public enum Effect: String, CaseIterable, Sendable {
        case none
        case disableInterrupts = "disable-interrupts", enableInterrupts = "enable-interrupts"
        /// POPF: sets the interrupt flag in supervisor mode; in user mode the change is
        /// silently ignored (no trap).
        case popFlags = "pop-flags"
        /// PUSHF, SMSW: reveals the interrupt flag / the mode.
        case readFlags = "read-flags", readMode = "read-mode"
        /// SGDT/SIDT: reveals the descriptor-table base; LGDT sets it.
        case readTable = "read-table", loadTable = "load-table"
        /// PDP-10 JRST 1: return to user mode (sensitive in supervisor mode only).
        case returnToUser = "return-to-user"
    }

    public var name: String
    public var privileged: Bool
    public var sensitivity: Sensitivity
    /// Sensitive when executed in user mode (Theorem 3 needs these privileged).
    public var userSensitive: Bool
    public var effect: Effect

    public init(_ name: String, privileged: Bool, sensitivity: Sensitivity, userSensitive: Bool? = nil, effect: Effect = .none) {
        self.name = name
        self.privileged = privileged
        self.sensitivity = sensitivity
        self.userSensitive = userSensitive ?? (sensitivity != .none)
        self.effect = effect
    }

    public var sensitive: Bool { sensitivity != .none }
}

public struct ISA: Sendable {
    public let name: String
    public let instructions: [Instruction]
    /// Hardware assist (VT-x/AMD-V): in non-root mode every sensitive instruction exits
    /// to the VMM, as if privileged.
    public let hardwareAssist: Bool

    public init(name: String, instructions: [Instruction], hardwareAssist: Bool = false) throws {
        var seen = Set<String>()
        for i in instructions {
            guard !i.name.isEmpty else { throw ModelError("isa \(name): an instruction needs a name") }
            guard seen.insert(i.name).inserted else { throw ModelError("isa \(name): instruction \(i.name) is declared twice") }
        }
        self.name = name
        self.instructions = instructions
        self.hardwareAssist = hardwareAssist
    }

    public func instruction(_ name: String) -> Instruction? { instructions.first { $0.name == name } }

    /// Sensitive instructions that do not trap in user mode: what breaks trap-and-emulate.
    public var sensitiveUnprivileged: [String] { instructions.filter { $0.sensitive && !$0.privileged }.map(\.name) }
    /// Theorem 1: sensitive ⊆ privileged (or hardware assist makes them exit).
    public var virtualizable: Bool { hardwareAssist || sensitiveUnprivileged.isEmpty }
    /// Theorem 3: user-sensitive ⊆ privileged.
    public var hybridVirtualizable: Bool {
        hardwareAssist || instructions.allSatisfy { !$0.userSensitive || $0.privileged }
    }
    /// Theorem 2, with the model's machines having no timing-dependent instructions [M].
    public var recursivelyVirtualizable: Bool { virtualizable }

    /// IA-32 before VT-x: Robin & Irvine's sensitive unprivileged instructions (the list
    /// as reproduced, 18 mnemonics), and the usual privileged and innocuous ones.
    public static func x86(hardwareAssist: Bool = false) -> ISA {
        var list: [Instruction] = [
            Instruction("cli", privileged: true, sensitivity: .control, effect: .disableInterrupts),
            Instruction("sti", privileged: true, sensitivity: .control, effect: .enableInterrupts),
            Instruction("lgdt", privileged: true, sensitivity: .control, effect: .loadTable),
            Instruction("lidt", privileged: true, sensitivity: .control, effect: .loadTable),
            Instruction("hlt", privileged: true, sensitivity: .control),
            Instruction("mov-cr", privileged: true, sensitivity: .control),
            Instruction("popf", privileged: false, sensitivity: .control, effect: .popFlags),
            Instruction("pushf", privileged: false, sensitivity: .behavior, effect: .readFlags),
            Instruction("sgdt", privileged: false, sensitivity: .behavior, effect: .readTable),
            Instruction("sidt", privileged: false, sensitivity: .behavior, effect: .readTable),
            Instruction("smsw", privileged: false, sensitivity: .behavior, effect: .readMode),
        ]
        for n in ["sldt", "lar", "lsl", "verr", "verw", "pop", "push", "call", "jmp", "int", "ret", "str", "mov-seg"] {
            list.append(Instruction(n, privileged: false, sensitivity: .behavior))
        }
        for n in ["add", "mov", "nop"] { list.append(Instruction(n, privileged: false, sensitivity: .none)) }
        return try! ISA(name: hardwareAssist ? "x86-vtx" : "x86", instructions: list, hardwareAssist: hardwareAssist)
    }

    /// A machine meeting Theorem 1: every sensitive instruction privileged.
    public static var ideal: ISA {
        try! ISA(name: "ideal", instructions: [
            Instruction("cli", privileged: true, sensitivity: .control, effect: .disableInterrupts),
            Instruction("sti", privileged: true, sensitivity: .control, effect: .enableInterrupts),
            Instruction("popf", privileged: true, sensitivity: .control, effect: .popFlags),
            Instruction("pushf", privileged: true, sensitivity: .behavior, effect: .readFlags),
            Instruction("sgdt", privileged: true, sensitivity: .behavior, effect: .readTable),
            Instruction("lgdt", privileged: true, sensitivity: .control, effect: .loadTable),
            Instruction("add", privileged: false, sensitivity: .none), Instruction("nop", privileged: false, sensitivity: .none),
        ])
    }

    /// A PDP-10-like machine: JRST 1 returns to user mode without trapping; it is
    /// sensitive only in supervisor mode, so Theorem 3 holds but Theorem 1 does not.
    public static var pdp10: ISA {
        try! ISA(name: "pdp10", instructions: [
            Instruction("jrst1", privileged: false, sensitivity: .control, userSensitive: false, effect: .returnToUser),
            Instruction("cli", privileged: true, sensitivity: .control, effect: .disableInterrupts),
            Instruction("sti", privileged: true, sensitivity: .control, effect: .enableInterrupts),
            Instruction("pushf", privileged: true, sensitivity: .behavior, effect: .readFlags),
            Instruction("add", privileged: false, sensitivity: .none), Instruction("nop", privileged: false, sensitivity: .none),
        ])
    }

    public static let builtIn = ["x86", "x86-vtx", "ideal", "pdp10"]

    public static func named(_ n: String) -> ISA? {
        switch n {
        case "x86": return .x86()
        case "x86-vtx": return .x86(hardwareAssist: true)
        case "ideal": return .ideal
        case "pdp10": return .pdp10
        default: return nil
        }
    }
}
