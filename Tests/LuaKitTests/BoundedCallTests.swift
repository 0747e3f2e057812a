import CLua
import Foundation
import Testing
@testable import LuaKit

/// The sandbox's string and table functions: every long C loop is charged to the
/// instruction budget (issue 12, defect 3), results are those of the stock library, and
/// `print` builds long lines correctly (defect 1). `make test-asan` runs the same kinds
/// of tests on the C shim alone under the sanitizers (Tests/CShim).
@Suite("Bounded string and table functions")
struct BoundedCallTests {
    static let attacks: [String] = [
        "table.move({}, 1, 1 << 60, 1, {})",
        "return string.find(string.rep('(', 1 << 20), '%b()')",
        "return string.find(string.rep('a', 5000), 'a*a*a*a*c')",
        "return string.find(string.rep('a', 300), '.-.-.-.-b')",
        "return string.match(string.rep('ab ', 3000), '%f[%w].-%f[%W].-%f[%w].-%f[%W]x')",
        "for w in string.gmatch(string.rep('a', 3000), 'a-a-a-b') do end",
        "return string.match(string.rep('x', 2000), '(.*)(.*)(.*)(.*)(.*)(.*)y')",
        "return string.gsub(string.rep('a', 2000), '.-.-.-x', '')",
        "local s, p = string.rep('a', 1 << 20), string.rep('a', 1 << 19) .. 'b' for i = 1, 1e6 do s:find(p, 1, true) end",
        "table.insert(setmetatable({}, {__len = function() return 1 << 62 end}), 1, 'x')",
        "table.remove(setmetatable({}, {__len = function() return 1 << 62 end}), 1)",
        "return table.concat(setmetatable({}, {__index = rawlen}), '', 1, 1 << 50)",
        "table.sort(setmetatable({}, {__len = function() return (1 << 31) - 2 end, __index = rawlen, __newindex = rawequal}))",
        "local it = string.gmatch(string.rep('a', 3000), 'a-a-a-b') return coroutine.wrap(function() return it() end)()",
    ]

    /// Each held a worker for the whole run timeout with the stock library.
    @Test(arguments: attacks)
    func singleCallsEndAtTheInstructionLimit(source: String) throws {
        let s = try makeState(memory: 32 << 20)
        let started = Date()
        let (o, _) = s.eval(source, limits: LuaLimits(instructions: 20_000_000, wallSeconds: 30))
        #expect(Date().timeIntervalSince(started) < 5)
        guard case .limit(let reason) = o else { Issue.record("expected a limit, got \(o)"); return }
        #expect(reason.hasPrefix("test.lua:1: instruction limit exceeded"), "\(reason)")
        #expect(s.eval("return ('ok'):rep(2)").1 == "okok")
    }

    @Test func theDeadlineStopsAMatchWithoutABudget() throws {
        let s = try makeState()
        let started = Date()
        let (o, _) = s.eval("return string.find(string.rep('a', 5000), 'a*a*a*a*c')", limits: LuaLimits(wallSeconds: 0.3))
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(o.message?.contains("time limit of 0.30 s exceeded") == true, "\(o)")
    }

    @Test func pcallCannotCatchALimitInsideAMatch() throws {
        let s = try makeState()
        let (o, _) = s.eval("while true do pcall(string.find, string.rep('a', 300), '.-.-.-.-b') end",
                            limits: LuaLimits(instructions: 5_000_000, wallSeconds: 10))
        if case .limit = o {} else { Issue.record("pcall swallowed the kill: \(o)") }
    }

    @Test(arguments: [
        ("return '[' .. string.rep('', math.maxinteger) .. ']'", "[]"),
        ("return '[' .. string.rep('', math.maxinteger, '') .. ']'", "[]"),
        ("return select(2, pcall(string.rep, '', math.maxinteger, 'x'))", "more than the limit of 1048576 bytes"),
        ("return select(2, pcall(table.unpack, {}, 1, 1e8))", "too many results to unpack"),
        ("return select(2, pcall(table.move, {}, math.mininteger, -1, 1, {}))", "too many elements to move"),
    ])
    func emptyOrImpossibleWorkEndsAtOnce(source: String, expected: String) throws {
        let s = try makeState()
        let started = Date()
        let (o, text) = s.eval(source, limits: LuaLimits(instructions: 1_000_000, wallSeconds: 10))
        #expect(o == .ok)
        #expect(text?.contains(expected) == true, "\(text ?? "nil")")
        #expect(Date().timeIntervalSince(started) < 0.5)
    }

    /// Lines longer than the buffer's first block once came out of freed memory.
    @Test func printBuildsLongLinesExactly() throws {
        let s = try makeState(memory: 32 << 20)
        _ = s.eval("print(string.rep('x', 1500))")
        #expect(s.output.text == String(repeating: "x", count: 1500) + "\n")
        var expected = ""
        for i in 1...15 {
            let piece = String(repeating: Character(UnicodeScalar(UInt8(97 + i % 26))), count: 64 * (16 + 5 * i))
            expected += "\(piece)\t\(i)\t\(piece)\n"
        }
        let s2 = try makeState(memory: 32 << 20)
        _ = s2.eval("for i = 1, 15 do local p = string.rep(string.char(97 + i % 26), 64 * (16 + 5 * i)) print(p, i, p) end")
        #expect(s2.output.text == expected)
        let s3 = try makeState()
        _ = s3.eval("print(setmetatable({}, {__name = 5}), setmetatable({}, {__name = 'Box'}), 1)")
        #expect(s3.output.text == "<table>\t<Box>\t1\n")
    }

    /// Tests/CShim/corpus.lua in a plain Lua state (the stock library) and in the
    /// sandbox: about 9,500 calls of find, match, gmatch, gsub, rep and the table
    /// functions, with their errors, give byte-identical results.
    @Test func resultsAreThoseOfTheStockLibrary() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../CShim/corpus.lua").standardizedFileURL
        let source = try String(contentsOf: url, encoding: .utf8)
        let stock = try Self.runStock(source)
        let s = try makeState(memory: 64 << 20)
        let o = s.run(source, chunkname: "=corpus", limits: LuaLimits(instructions: 2_000_000_000, wallSeconds: 60), nresults: 1)
        #expect(o == .ok, "\(o)")
        let mine = Self.bytes(s.L, -1)
        let a = stock.split(separator: UInt8(ascii: "\n")), b = mine.split(separator: UInt8(ascii: "\n"))
        #expect(a.count > 9000)
        #expect(a.count == b.count)
        for (i, (x, y)) in zip(a, b).enumerated() where x != y {
            Issue.record("line \(i + 1): stock \(String(decoding: x, as: UTF8.self)) | sandbox \(String(decoding: y, as: UTF8.self))")
            break
        }
    }

    static func bytes(_ L: OpaquePointer, _ index: Int32) -> [UInt8] {
        var len = 0
        guard let p = lua_tolstring(L, index, &len) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: len))
    }

    static func runStock(_ source: String) throws -> [UInt8] {
        guard let L = luaL_newstate() else { throw LuaError("no plain state") }
        defer { lua_close(L) }
        luaL_openlibs(L)
        let code = Array(source.utf8)
        let loaded = code.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, "=corpus", "t") }
        }
        guard loaded == LUA_OK, lua_pcallk(L, 0, 1, 0, 0, nil) == LUA_OK else {
            throw LuaError("the corpus fails with the stock library: \(String(decoding: bytes(L, -1), as: UTF8.self))")
        }
        return bytes(L, -1)
    }
}

/// The stock table.sort picks the pivots of ranges over 100 elements from clock() and
/// time(), so elements that compare equal came out in a different order from run to run;
/// the sandbox's sort is a stable merge sort (results must be byte-identical).
@Suite("table.sort is deterministic")
struct DeterministicSortTests {
    static let tied = """
        local t = {}
        for i = 1, 400 do t[i] = { key = i % 7, id = i } end
        table.sort(t, function(a, b) return a.key < b.key end)
        local out = {}
        for i = 1, #t do out[i] = t[i].id end
        return table.concat(out, ",")
        """

    @Test func tiesKeepTheirOrder() throws {
        let s = try makeState(memory: 32 << 20)
        let (_, first) = s.eval(Self.tied)
        // stable: key 0 first (7, 14, …), each key's ids ascending
        let ids = (first ?? "").split(separator: ",").compactMap { Int($0) }
        #expect(ids.count == 400)
        let expected = (0..<7).flatMap { k in (1...400).filter { $0 % 7 == k } }
        #expect(ids == expected)
        for _ in 0..<3 { #expect(s.eval(Self.tied).1 == first) }
    }

    @Test func errorsAndTypesAsLua() throws {
        let s = try makeState(memory: 32 << 20)
        #expect(s.eval("local t = {3, 1, 2} table.sort(t, function(a, b) return a > b end) return table.concat(t, ' ')").1 == "3 2 1")
        let (bad, _) = s.eval("table.sort({1, 2}, 5)")
        guard case .error(let m, _) = bad else { Issue.record("expected an error, got \(bad)"); return }
        #expect(m.contains("bad argument #2 to 'sort'"), "\(m)")
    }
}
