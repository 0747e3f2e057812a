import LuaKit

/// The engine's Lua library (stdlib-lua/), embedded in the binary at build time. Each
/// file is a chunk named "=hyperlab/<file>", called with the internal table and whether
/// the state is a lab script's (checks and expectations exist only there).
enum Stdlib {
    static var files: [(name: String, source: String)] { EmbeddedStdlib.files }

    static func load(into state: LuaState, internals: LuaModuleDecl, lab: Bool) throws {
        let top = state.top
        defer { state.setTop(top) }
        state.pushModule(internals)
        let table = state.top
        for (name, source) in files {
            let loaded = state.load(source, chunkname: "=hyperlab/\(name)")
            guard loaded.isOK else { throw LuaError("engine library \(name) does not load: \(loaded.message ?? "")") }
            state.pushCopy(at: table)
            state.push(lab)
            let outcome = state.protectedCall(nargs: 2, nresults: 0)
            guard outcome.isOK else { throw LuaError("engine library \(name) failed: \(outcome.message ?? "")") }
        }
    }
}
