import Testing
@testable import HyperModel

@Suite("Popek and Goldberg: behaviours 39 and 40 of model-facts §7")
struct PopekGoldbergTests {
    /// Behaviour 39: POPF is sensitive but unprivileged on x86: a deprivileged guest kernel
    /// clearing IF with it gets no trap and interrupts stay enabled, so trap-and-emulate
    /// breaks equivalence; with VT-x or binary translation the VMM sees it.
    @Test func popfBreaksTrapAndEmulate() throws {
        let x86 = ISA.x86()
        #expect(!x86.virtualizable)
        #expect(x86.sensitiveUnprivileged.contains("popf") && x86.sensitiveUnprivileged.count == 18)
        let program = [GuestStep(.kernel, "popf", value: 0), GuestStep(.kernel, "pushf"), GuestStep(.kernel, "add")]
        let te = try x86.run(program, under: .trapAndEmulate)
        #expect(!te.equivalent && te.traps == 0)
        #expect(te.state.interrupts && !te.native.interrupts)
        #expect(te.differences.first == "interrupts enabled, natively disabled")
        let vtx = ISA.x86(hardwareAssist: true)
        #expect(vtx.virtualizable)
        let hw = try vtx.run(program, under: .hardwareAssist)
        #expect(hw.equivalent && hw.traps == 2)
        let bt = try x86.run(program, under: .binaryTranslation)
        #expect(bt.equivalent && bt.translated == 2 && bt.direct == 1)
        // a machine meeting Theorem 1: trap-and-emulate is enough
        #expect(ISA.ideal.virtualizable)
        #expect(try ISA.ideal.run(program, under: .trapAndEmulate).equivalent)
    }

    /// Behaviour 40: every user-sensitive instruction privileged, a supervisor-sensitive
    /// one not (PDP-10 JRST 1): a hybrid VMM keeps equivalence by interpreting the guest
    /// kernel, at the cost of a lower share of directly executed instructions.
    @Test func hybridVMM() throws {
        let pdp = ISA.pdp10
        #expect(!pdp.virtualizable && pdp.hybridVirtualizable)
        let program = [GuestStep(.kernel, "add"), GuestStep(.kernel, "add"), GuestStep(.kernel, "jrst1"),
                       GuestStep(.user, "add"), GuestStep(.user, "add"), GuestStep(.user, "pushf")]
        let te = try pdp.run(program, under: .trapAndEmulate)
        #expect(!te.equivalent)   // JRST 1 ran without a trap: the VMM still thinks the guest is in supervisor mode
        let hybrid = try pdp.run(program, under: .hybrid)
        #expect(hybrid.equivalent)
        #expect(hybrid.interpreted == 3 && hybrid.traps == 1)
        #expect(hybrid.directShare < te.directShare)
        // x86 is not hybrid-virtualizable: SGDT in user mode leaks the host's table
        let leak = try ISA.x86().run([GuestStep(.user, "sgdt")], under: .hybrid)
        #expect(!leak.equivalent)
        #expect(throws: ModelError.self) { _ = try pdp.run([GuestStep(.kernel, "sgdt")], under: .native) }
    }
}
