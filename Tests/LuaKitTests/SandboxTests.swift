import Testing
@testable import LuaKit

@Suite("The sandboxed standard library")
struct SandboxTests {
    @Test(arguments: ["io", "os", "debug", "package", "dofile", "loadfile", "rawset", "warn"])
    func unsafeGlobalsAreAbsent(name: String) throws {
        let s = try makeState()
        #expect(s.eval("return type(\(name))").1 == "nil")
    }

    @Test func stringDumpAndCoroutineCloseAreAbsent() throws {
        let s = try makeState()
        #expect(s.eval("return type(string.dump)").1 == "nil")
        #expect(s.eval("return type(coroutine.close)").1 == "nil")
    }

    @Test func loadRefusesBytecode() throws {
        let s = try makeState()
        let r = s.eval(#"local f, err = load("\27Lua\84\0\25\147\13\10\26\10") return err"#)
        #expect(r.1?.contains("attempt to load a binary chunk") == true)
        let mode = s.eval(#"return select(2, pcall(load, "return 1", "x", "b"))"#)
        #expect(mode.1?.contains("only text chunks") == true)
    }

    @Test func loadUsesTheSandboxEnvironment() throws {
        let s = try makeState()
        #expect(s.eval(#"return load("return type(io)")()"#).1 == "nil")
        #expect(s.eval(#"return load("return x", "c", "t", { x = 42 })()"#).1 == "42")
        #expect(s.eval(#"return select(2, pcall(load, function() return nil end))"#).1?.contains("only source text") == true)
    }

    @Test func stringRepIsCapped() throws {
        let s = try makeState()
        let r = s.eval(#"return select(2, pcall(string.rep, "x", 1 << 30))"#)
        #expect(r.1?.contains("string.rep: the result would be 1073741824 bytes, more than the limit") == true)
        let m = s.eval(#"return select(2, pcall(function() return ("ab"):rep(1 << 29) end))"#)
        #expect(m.1?.contains("string.rep") == true)
        #expect(s.eval(#"return #string.rep("ab", 10, ",")"#).1 == "29")
    }

    @Test func stringMetatableIsLocked() throws {
        let s = try makeState()
        #expect(s.eval(#"return getmetatable("")"#).1 == "locked")
        let r = s.eval(#"return select(2, pcall(setmetatable, "", {}))"#)
        #expect(r.1?.contains("table expected") == true)
    }

    @Test func collectgarbageAllowsOnlyCount() throws {
        let s = try makeState()
        #expect(s.eval(#"return type(collectgarbage("count"))"#).1 == "number")
        let r = s.eval(#"return select(2, pcall(collectgarbage, "stop"))"#)
        #expect(r.1?.contains(#"only "count" is allowed"#) == true)
        #expect(s.eval(#"return select(2, pcall(collectgarbage))"#).1?.contains("only") == true)
    }

    @Test func gcMetamethodsAreRefused() throws {
        let s = try makeState()
        let r = s.eval(#"return select(2, pcall(setmetatable, {}, { __gc = function() while true do end end }))"#)
        #expect(r.1?.contains("__gc metamethods are not allowed") == true)
        #expect(s.eval(#"return getmetatable(setmetatable({}, { __index = {} })) ~= nil"#).1 == "true")
    }

    @Test func requireKnowsOnlyHyperlab() throws {
        let s = try makeState()
        let r = s.eval(#"return select(2, pcall(require, "os"))"#)
        #expect(r.1?.contains("module 'os' is not available") == true)
    }

    @Test func printIsCapturedAndAddressesNeverShow() throws {
        let s = try makeState()
        _ = s.eval(#"print("hello", 1, {}, print, nil)"#)
        #expect(s.output.text == "hello\t1\t<table>\t<function>\tnil\n")
        #expect(s.eval("return tostring({})").1 == "<table>")
        #expect(s.eval(#"return string.format("%s|%5s", {}, "ab")"#).1 == "<table>|   ab")
        let p = s.eval(#"return select(2, pcall(string.format, "%p", {}))"#)
        #expect(p.1?.contains("%p is not available") == true)
    }

    @Test func printOutputIsCapped() throws {
        var config = LuaConfig()
        config.outputLimit = 100
        let s = try LuaState(config: config)
        _ = s.run("for i = 1, 100 do print('line', i) end", chunkname: "@t.lua", limits: LuaLimits(instructions: 1_000_000))
        #expect(s.output.text.utf8.count <= 100)
        #expect(s.output.rendered.contains("more bytes of output dropped"))
    }

    @Test func pairsIsSorted() throws {
        let s = try makeState()
        let r = s.eval("""
            local t = { zeta = 1, alpha = 2, [3] = 'c', [1] = 'a', mid = 3, [2.5] = 'x', [true] = 1 }
            local out = {}
            for k in pairs(t) do out[#out + 1] = tostring(k) end
            return table.concat(out, ',')
            """)
        #expect(r.1 == "1,2.5,3,alpha,mid,zeta,true")
    }

    @Test func mathRandomIsSeeded() throws {
        var config = LuaConfig()
        config.randomSeed = 42
        let a = try LuaState(config: config)
        let b = try LuaState(config: config)
        let code = "return math.random(1, 1000000) .. ',' .. math.random(1, 1000000)"
        #expect(a.eval(code).1 == b.eval(code).1)
        let r = a.eval("return select(2, pcall(math.randomseed))")
        #expect(r.1?.contains("give a seed") == true)
    }
}
