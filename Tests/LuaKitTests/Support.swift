import LuaKit

/// Reads of the stable `name` property that reached Swift (the rest were served from the
/// per-object cache in C). Tests that look at it run serialized.
nonisolated(unsafe) var reads = 0

/// A small host object for the tests.
final class Thing {
    let name: String
    var level: Int64 = 0
    init(_ name: String) { self.name = name }
}

/// A test API: `things.make(name)`, `thing.name` (read-only), `thing.level` (writable),
/// `thing:add(n)`.
func thingAPI() -> (LuaAPI, LuaClass<Thing>) {
    let cls = LuaClass<Thing>("Thing", doc: "A test object.", tostring: { "Thing(\($0.name))" })
    cls.property("name", "string", "Its name.", stable: true) { t, call in
        reads += 1
        call.push(t.name)
    }
    cls.property("level", "integer", "A writable level.", get: { t, call in call.push(t.level) }) { t, call in
        let v = try call.integer(3, "level")
        guard v >= 0 else { throw LuaError("Thing(\(t.name)).level: \(v) is negative (use 0 or more)") }
        t.level = v
    }
    cls.method("add", doc: "Adds n to the level.", params: [LuaParam("n", "integer")]) { t, call in
        t.level += try call.integer(2, "n")
        call.push(t.level)
        return 1
    }
    let module = LuaModuleDecl(
        "things", doc: "Test module.",
        functions: [
            LuaFunctionDecl("make", doc: "Makes a thing.", params: [LuaParam("name", "string")]) { call in
                call.push(Thing(try call.string(1, "name")), cls)
                return 1
            }
        ])
    return (LuaAPI(modules: [module], classes: [cls], records: []), cls)
}

/// A state with the test API, small limits and helpers to run snippets.
func makeState(memory: Int = 8 << 20, instructions: Int64? = nil) throws -> LuaState {
    var config = LuaConfig()
    config.memoryLimit = memory
    config.stringLimit = 1 << 20
    let state = try LuaState(config: config)
    state.install(thingAPI().0)
    return state
}

extension LuaState {
    /// Runs `source` as chunk "test.lua" and returns the outcome and the first result as text.
    func eval(_ source: String, limits: LuaLimits = LuaLimits(instructions: 50_000_000, wallSeconds: 10)) -> (LuaOutcome, String?) {
        let saved = top
        let outcome = run(source, chunkname: "@test.lua", limits: limits, nresults: 1)
        defer { setTop(saved) }
        guard outcome.isOK else { return (outcome, nil) }
        return (outcome, text(at: -1))
    }
}
