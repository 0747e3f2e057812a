import CLua
import CLuaShim
import Foundation

/// Limits of one protected call. They nest: an inner scope never gets more than the
/// outer one has left, and what it uses is charged to the outer one.
public struct LuaLimits: Sendable {
    public var instructions: Int64?
    public var wallSeconds: Double?

    public init(instructions: Int64? = nil, wallSeconds: Double? = nil) {
        self.instructions = instructions
        self.wallSeconds = wallSeconds
    }
}

/// How a protected call ended.
public enum LuaOutcome: Equatable, Sendable {
    case ok
    /// A Lua error: the message (with the user-code position) and a traceback.
    case error(String, traceback: String)
    /// A limit stopped it: instructions, wall time, memory, or an interrupt.
    case limit(String)

    public var isOK: Bool { self == .ok }
    public var message: String? {
        switch self {
        case .ok: return nil
        case .error(let m, _), .limit(let m): return m
        }
    }
}

struct ScopeFrame {
    var deadline: Int64
    var message: String
}

extension LuaState {
    /// Loads a text chunk and pushes it as a function. Binary chunks are refused.
    public func load(_ source: String, chunkname: String) -> LuaOutcome {
        var source = source
        let status = relaxed {
            source.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { hl_load(L, $0.baseAddress, $0.count, chunkname) }
            }
        }
        if status == LUA_OK { return .ok }
        let message = LuaStack.string(L, -1)
        clua_pop(L, 1)
        return status == LUA_ERRMEM ? .limit("memory limit exceeded while loading \(chunkname)") : .error(message, traceback: "")
    }

    /// Loads a text chunk given as bytes, exactly as they are (a student's file need not
    /// be UTF-8: `"\xff"` in it is one byte, and so is a Latin-1 `é` in a string literal).
    public func load(bytes source: [UInt8], chunkname: String) -> LuaOutcome {
        let status = relaxed {
            source.withUnsafeBufferPointer { buf in
                buf.withMemoryRebound(to: CChar.self) { hl_load(L, $0.baseAddress, $0.count, chunkname) }
            }
        }
        if status == LUA_OK { return .ok }
        let message = LuaStack.string(L, -1)
        clua_pop(L, 1)
        return status == LUA_ERRMEM ? .limit("memory limit exceeded while loading \(chunkname)") : .error(message, traceback: "")
    }

    /// Loads and runs a chunk given as bytes; its results are left on the stack when ok.
    public func run(bytes source: [UInt8], chunkname: String, limits: LuaLimits = LuaLimits(), nresults: Int32 = 0) -> LuaOutcome {
        let loaded = load(bytes: source, chunkname: chunkname)
        guard loaded.isOK else { return loaded }
        return protectedCall(nargs: 0, nresults: nresults, limits: limits)
    }

    /// Loads and runs a chunk; its results (up to `nresults`) are left on the stack when ok.
    public func run(_ source: String, chunkname: String, limits: LuaLimits = LuaLimits(), nresults: Int32 = 0) -> LuaOutcome {
        let loaded = load(source, chunkname: chunkname)
        guard loaded.isOK else { return loaded }
        return protectedCall(nargs: 0, nresults: nresults, limits: limits)
    }

    /// Calls the function below `nargs` arguments on the stack of `thread` (the main thread
    /// by default) with the memory cap in force and within `limits`.
    public func protectedCall(
        nargs: Int32, nresults: Int32, limits: LuaLimits = LuaLimits(), on thread: OpaquePointer? = nil
    ) -> LuaOutcome {
        let L = thread ?? self.L
        let budgetBefore = hl_budget(L)
        let scopeBudget = min(budgetBefore, limits.instructions ?? Int64.max)
        hl_set_budget(L, scopeBudget)
        let limitBefore = hl_limit(L)
        hl_set_limit(L, scopeBudget)
        let outer = ScopeFrame(deadline: hl_deadline(L), message: String(cString: hl_deadline_message(L)))
        if let wall = limits.wallSeconds {
            let mine = hl_now_ns() + Int64(wall * 1e9)
            if outer.deadline == 0 || mine < outer.deadline {
                hl_set_deadline(L, mine, "time limit of \(LuaState.seconds(wall)) exceeded")
            }
        }
        let base = lua_gettop(L) - nargs - 1
        let status = hl_pcall(L, nargs, nresults)
        let used = scopeBudget - max(hl_budget(L), 0)
        hl_set_budget(L, budgetBefore == Int64.max ? Int64.max : budgetBefore - used)
        hl_set_limit(L, limitBefore)
        hl_set_deadline(L, outer.deadline, outer.message)
        if status == LUA_OK { return .ok }

        let raw = errorText(L, -1)
        lua_settop(L, base)
        if hl_killed(L) != 0 {
            let reason = killReason.isEmpty ? raw.message : killReason
            let outerHasBudget = budgetBefore == Int64.max || budgetBefore - used > 0
            let outerHasTime = outer.deadline == 0 || hl_now_ns() < outer.deadline
            if outerHasBudget && outerHasTime && hl_interrupted(L) == 0 {
                hl_clear_kill(L)  // the limit was this scope's own
            }
            return .limit(reason)
        }
        if status == LUA_ERRMEM {
            let limit = hl_memory_limit(L)
            return .limit("memory limit of \(LuaState.bytes(limit)) exceeded")
        }
        return .error(raw.message, traceback: raw.traceback)
    }

    /// The error value at `index` as text, without running any metamethod of it.
    func errorText(_ L: OpaquePointer, _ index: Int32) -> (message: String, traceback: String) {
        let v = LuaValue.read(L, index)
        let text: String
        switch v {
        case .string(let s): text = s
        case .integer, .number: text = v.describe()
        case .nil, .none: text = "error (no message)"
        default: text = "error object is \(v.describe(classes: classes)), not a message"
        }
        if let r = text.range(of: "\nstack traceback:\n") {
            return (String(text[..<r.lowerBound]), String(text[r.upperBound...]))
        }
        return (text, "")
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.2f s", s)
    }

    static func bytes(_ b: Int) -> String {
        b % (1 << 20) == 0 ? "\(b >> 20) MiB" : "\(b) bytes"
    }
}
