import Foundation
import Testing
@testable import LuaKit

@Suite("Instruction, memory and wall-time limits")
struct LimitTests {
    let small = LuaLimits(instructions: 2_000_000, wallSeconds: 10)

    @Test func infiniteLoopIsKilled() throws {
        let s = try makeState()
        let (o, _) = s.eval("local x = 0\nwhile true do x = x + 1 end", limits: small)
        guard case .limit(let reason) = o else { Issue.record("expected a limit, got \(o)"); return }
        #expect(reason.hasPrefix("test.lua:2: instruction limit exceeded"))
    }

    /// The message names the call's own limit: the state's count runs across calls, so a
    /// later call's kill used to report more than its limit ("120001000 instructions").
    @Test func theMessageNamesThisCallsLimit() throws {
        let s = try makeState()
        for _ in 0..<3 { _ = s.eval("local x = 0\nfor i = 1, 300000 do x = x + i end", limits: small) }
        let (o, _) = s.eval("while true do end", limits: small)
        guard case .limit(let reason) = o else { Issue.record("expected a limit, got \(o)"); return }
        #expect(reason == "test.lua:1: instruction limit exceeded (this call may run 2,000,000 instructions)", "\(reason)")
    }

    @Test func pcallCannotSwallowTheKill() throws {
        let s = try makeState()
        let (o, _) = s.eval("while true do pcall(function() while true do end end) end", limits: small)
        #expect(o.message?.contains("instruction limit exceeded") == true)
        if case .limit = o {} else { Issue.record("expected a limit") }
        let (x, _) = s.eval("while true do xpcall(function() while true do end end, function(m) return m end) end", limits: small)
        if case .limit = x {} else { Issue.record("xpcall swallowed the kill: \(x)") }
    }

    @Test func coroutinesInheritTheHook() throws {
        let s = try makeState()
        let (w, _) = s.eval("coroutine.wrap(function() while true do end end)()", limits: small)
        if case .limit = w {} else { Issue.record("wrap: \(w)") }
        let (r, _) = s.eval("""
            while true do
              local co = coroutine.create(function() while true do end end)
              coroutine.resume(co)
            end
            """, limits: small)
        if case .limit = r {} else { Issue.record("resume swallowed the kill: \(r)") }
    }

    @Test func theStateIsUsableAfterAScopedKill() throws {
        let s = try makeState()
        _ = s.eval("while true do end", limits: small)
        #expect(!s.isKilled)
        #expect(s.eval("return 1 + 1").1 == "2")
    }

    @Test func innerScopeKillDoesNotKillTheOuterScope() throws {
        let s = try makeState()
        // `things.make` is used as a marker; the inner scope is a nested protected call
        // made by the host through a binding.
        let api = LuaModuleDecl(
            "host", doc: "",
            functions: [
                LuaFunctionDecl("guarded", doc: "", params: []) { call in
                    let fn = try call.function(1, "fn")
                    call.pushValue(fn)
                    let outcome = call.state.protectedCall(nargs: 0, nresults: 0, limits: LuaLimits(instructions: 100_000), on: call.L)
                    call.push(outcome.message ?? "ok")
                    return 1
                }
            ])
        s.install(LuaAPI(modules: [api], classes: [], records: []))
        let r = s.eval("local m = host.guarded(function() while true do end end) return m .. ' / after'")
        #expect(r.1?.contains("instruction limit exceeded") == true)
        #expect(r.1?.hasSuffix(" / after") == true)
    }

    @Test(arguments: [
        "local s = 'x' while true do s = s .. s end",
        "local t = {} local i = 0 while true do i = i + 1 t[i] = {i} end",
        "local function f(n) return 1 + f(n + 1) end return f(1)",
        "local t = {} for i = 1, 1e9 do t[i] = ('y'):rep(1000) .. i end",
    ])
    func memoryBombsHitTheCap(source: String) throws {
        let s = try makeState(memory: 8 << 20)
        let (o, _) = s.eval(source, limits: LuaLimits(instructions: 500_000_000, wallSeconds: 20))
        #expect(o.isOK == false)
        let text = o.message ?? ""
        #expect(text.contains("memory") || text.contains("stack overflow"), "\(text)")
        #expect(s.memoryPeak <= (8 << 20) + (1 << 20))
        #expect(s.eval("return 40 + 2").1 == "42")
    }

    @Test func pcallCannotSwallowOutOfMemory() throws {
        let s = try makeState(memory: 4 << 20)
        let (o, _) = s.eval("local ok = pcall(function() local s = 'x' while true do s = s .. s end end) return ok",
                            limits: LuaLimits(instructions: 100_000_000))
        #expect(o.message?.contains("memory limit of 4 MiB exceeded") == true)
    }

    @Test func wallTimeDeadlineStopsALoop() throws {
        let s = try makeState()
        let start = Date()
        let (o, _) = s.eval("while true do end", limits: LuaLimits(instructions: nil, wallSeconds: 0.2))
        #expect(o.message?.contains("time limit of 0.20 s exceeded") == true)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func interruptFromAnotherThread() throws {
        let s = try makeState()
        let handle = s.interruptHandle
        let thread = Thread { Thread.sleep(forTimeInterval: 0.1); handle.interrupt() }
        thread.start()
        let start = Date()
        let (o, _) = s.eval("while true do end", limits: LuaLimits())
        #expect(o.message?.contains("interrupted") == true)
        #expect(Date().timeIntervalSince(start) < 2)
    }
}
