/// Runs a guest program on an ISA natively and under a VMM strategy, and compares them:
/// equivalence (the same final state and the same values observed), and efficiency (the
/// share of instructions executed directly) — behaviours 39 and 40.
public enum VMMStrategy: String, CaseIterable, Sendable {
    case native
    case trapAndEmulate = "trap-and-emulate"
    case binaryTranslation = "binary-translation"
    case hardwareAssist = "hardware-assist"
    /// Theorem 3's hybrid VMM: every instruction in virtual supervisor mode is interpreted.
    case hybrid
}

public struct GuestStep: Sendable, Equatable {
    public enum Mode: String, Sendable { case kernel, user }
    public var mode: Mode
    public var instruction: String
    /// For pop-flags: the interrupt flag to set; for load-table: the table base.
    public var value: Int64

    public init(_ mode: Mode, _ instruction: String, value: Int64 = 0) {
        self.mode = mode
        self.instruction = instruction
        self.value = value
    }
}

/// The guest's view of the machine.
public struct GuestMachine: Sendable, Equatable {
    public var interrupts = true
    /// The guest's current privilege level (a return-to-user switches it).
    public var mode = GuestStep.Mode.kernel
    public var table: Int64 = 0x1000
    /// What the guest read: flags, mode, table base, faults.
    public var observations: [String] = []
}

public struct VMMRun: Sendable {
    public var strategy: VMMStrategy
    public var equivalent: Bool
    public var differences: [String]
    public var state: GuestMachine
    public var native: GuestMachine
    public var traps = 0, direct = 0, emulated = 0, translated = 0, interpreted = 0
    public var directShare: Double { Double(direct) / Double(max(1, direct + emulated + translated + interpreted)) }
}

extension ISA {
    /// The VMM's own descriptor table, which a leaking instruction reveals [M].
    static let hostTable: Int64 = 0x9000

    public func run(_ program: [GuestStep], under strategy: VMMStrategy) throws -> VMMRun {
        for (i, s) in program.enumerated() where instruction(s.instruction) == nil {
            throw ModelError("isa \(name): step \(i + 1) runs \"\(s.instruction)\", which is not one of its instructions (\(instructions.map(\.name).joined(separator: ", ")))")
        }
        let native = execute(program, strategy: .native).state
        var r = execute(program, strategy: strategy)
        r.native = native
        var diffs: [String] = []
        if r.state.interrupts != native.interrupts { diffs.append("interrupts \(r.state.interrupts ? "enabled" : "disabled"), natively \(native.interrupts ? "enabled" : "disabled")") }
        if r.state.mode != native.mode { diffs.append("the guest is in \(r.state.mode.rawValue) mode, natively \(native.mode.rawValue)") }
        if r.state.table != native.table { diffs.append("table base \(r.state.table), natively \(native.table)") }
        for (i, pair) in zip(r.state.observations, native.observations).enumerated() where pair.0 != pair.1 {
            diffs.append("read \(i + 1): \(pair.0), natively \(pair.1)")
        }
        r.differences = diffs
        r.equivalent = diffs.isEmpty
        return r
    }

    private func execute(_ program: [GuestStep], strategy: VMMStrategy) -> VMMRun {
        var g = GuestMachine()
        var run = VMMRun(strategy: strategy, equivalent: true, differences: [], state: g, native: g)
        for step in program {
            let ins = instruction(step.instruction)!
            let kernel = step.mode == .kernel && g.mode == .kernel
            /// The VMM sees it (a trap or an exit) and applies it to the guest's view.
            func emulate() {
                run.traps += 1
                run.emulated += 1
                apply(ins, step, &g, realKernel: kernel, correct: true)
            }
            /// It runs on the hardware: right only if innocuous (or, with `realKernel`,
            /// where the guest really has supervisor mode).
            func direct(realKernel: Bool, correct: Bool) {
                run.direct += 1
                apply(ins, step, &g, realKernel: realKernel, correct: correct)
            }
            switch strategy {
            case .native:
                direct(realKernel: kernel, correct: true)
            case .trapAndEmulate:
                // the guest kernel runs deprivileged: privileged instructions trap, the
                // rest run directly with user-mode semantics on the real machine
                if ins.privileged { emulate() } else { direct(realKernel: false, correct: !ins.sensitive) }
            case .binaryTranslation:
                if kernel && ins.sensitive {
                    run.translated += 1
                    apply(ins, step, &g, realKernel: true, correct: true)
                } else if ins.privileged {
                    emulate()
                } else {
                    direct(realKernel: kernel && !ins.sensitive, correct: !ins.sensitive)
                }
            case .hardwareAssist:
                if ins.sensitive && (hardwareAssist || ins.privileged) { emulate() } else {
                    direct(realKernel: kernel, correct: !ins.sensitive)
                }
            case .hybrid:
                if kernel {
                    run.interpreted += 1
                    apply(ins, step, &g, realKernel: true, correct: true)
                } else if ins.privileged {
                    emulate()
                } else {
                    direct(realKernel: false, correct: !ins.userSensitive)
                }
            }
        }
        run.state = g
        return run
    }

    /// One instruction's effect on the guest's view. `realKernel`: it runs with
    /// supervisor semantics; `correct`: the VMM sees it (emulated, translated or
    /// interpreted) or it is innocuous; otherwise it acts on the real machine, where the
    /// guest kernel is really in user mode.
    private func apply(_ ins: Instruction, _ s: GuestStep, _ g: inout GuestMachine, realKernel: Bool, correct: Bool) {
        let guestKernel = s.mode == .kernel && g.mode == .kernel
        switch ins.effect {
        case .none:
            if ins.privileged && !guestKernel { g.observations.append("fault:\(ins.name)") }
        case .disableInterrupts, .enableInterrupts, .loadTable:
            guard guestKernel else { g.observations.append("fault:\(ins.name)"); return }
            if ins.effect == .loadTable { g.table = s.value } else { g.interrupts = ins.effect == .enableInterrupts }
        case .popFlags:
            // silently ignored outside supervisor mode: the real mode when run directly
            if correct ? guestKernel : realKernel { g.interrupts = s.value != 0 }
        case .readFlags:
            g.observations.append("IF=\(correct ? g.interrupts : true)")   // the real IF stays on under a VMM
        case .readMode:
            g.observations.append("mode=\(correct ? (guestKernel ? "kernel" : "user") : (realKernel ? "kernel" : "user"))")
        case .readTable:
            g.observations.append("table=\(correct ? g.table : ISA.hostTable)")
        case .returnToUser:
            if correct ? guestKernel : realKernel { g.mode = .user }
        }
    }
}
