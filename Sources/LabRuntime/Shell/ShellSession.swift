import Foundation
import HyperModel
import LuaKit

/// `hyperlab shell`'s Lua side: the lab state of a session (fresh, or after a lab script
/// ran in it), where each entered line runs as a chunk named `stdin`, its results shown
/// as `ShellFormat` draws them. Globals persist from line to line; so do top-level
/// `local`s, which the shell turns into globals (a prompt line is its own chunk).
public final class ShellSession {
    let session: LabSession
    /// The lab script's run, when the shell started from a lab.
    public let labRun: LabRunResult?
    /// Where `print` output goes (standard output in the command; a buffer in tests).
    public var write: (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }
    /// Panel rows longer than this are cut (the terminal's width at a prompt; nil in a script).
    public var panelWidth: Int?
    /// Stack slots of the helper functions (`fields`, `entries`, `count`).
    private var helpers: Int32 = 0

    public enum Reply: Equatable, Sendable {
        /// What the line's results look like ("" when it returned nothing).
        case output(String)
        /// As a script's error: "stdin:1: message".
        case error(String)
        /// The chunk is not finished yet (an open `function`, `{`, string): read on.
        case incomplete
    }

    /// A fresh datacenter (`lab` is nil) or the world `lab`'s script builds; the lab runs
    /// to its end here, its checks recorded in `labRun`.
    public init(options: LabOptions, runLab: Bool) throws {
        session = try LabSession(options: options)
        labRun = runLab ? session.run() : nil
        let outcome = state.run(ShellSession.helperSource, chunkname: "=hyperlab/shell", nresults: 3)
        guard outcome.isOK else { throw LuaError("the shell's helpers did not load: \(outcome.message ?? "")") }
        helpers = state.top - 2
        state.outputSink = { [unowned(unsafe) self] line in self.write(line + "\n") }
    }

    var state: LuaState { session.labState }
    var classes: [any LuaClassDecl] { state.classes }
    /// The API the prompt completes from: the lab state's declarations.
    public var api: LuaAPI { session.api.labAPI }
    /// Simulated seconds so far (0 before the world exists).
    public var now: Double { session.worldExists ? session.world.now.seconds : 0 }

    /// Stops the running line (Ctrl-C while it runs); the next line runs normally.
    public var interruptHandle: LuaInterruptHandle { state.interruptHandle }

    private var limits: LuaLimits {
        LuaLimits(instructions: session.options.limits.labInstructions, wallSeconds: session.options.limits.labWallSeconds)
    }

    /// Runs one entered chunk: first as an expression (`return <line>`, as lua.c does), else
    /// as statements.
    public func evaluate(_ source: String) -> Reply {
        let code = ShellSession.persistLocals(source.hasPrefix("=") ? String(source.dropFirst()) : source)
        let base = state.top
        defer { state.setTop(base) }
        var loaded = state.load("return " + code, chunkname: "=stdin")
        if !loaded.isOK {
            state.setTop(base)
            loaded = state.load(code, chunkname: "=stdin")
        }
        if case .error(let m, _) = loaded {
            return m.hasSuffix("<eof>") ? .incomplete : .error(m)
        }
        if case .limit(let m) = loaded { return .error(m) }
        let unit = unitHint(code)
        switch state.protectedCall(nargs: 0, nresults: -1, limits: limits) {
        case .ok: break
        case .error(let m, _), .limit(let m):
            state.recoverFromInterrupt()
            return .error(m)
        }
        var lines: [String] = []
        if base + 1 <= state.top {
            for i in (base + 1)...state.top { lines.append(format(at: i, unit: unit)) }
        }
        return .output(lines.joined(separator: "\n"))
    }

    /// `:run 5 min`: advances simulated time as `lab.run_for` does, then says the time.
    public func runFor(_ duration: String) -> Reply {
        let base = state.top
        defer { state.setTop(base) }
        guard case .ok = state.load("lab.run_for(...)", chunkname: "=:run") else { return .error(":run: cannot load") }
        let d = duration.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(d) { LuaStack.push(state.L, seconds) } else { LuaStack.push(state.L, d) }
        switch state.protectedCall(nargs: 1, nresults: 0, limits: limits) {
        case .ok: return .output("simulated time is now \(ValueText.show(now, unit: "seconds"))")
        case .error(let m, _), .limit(let m):
            state.recoverFromInterrupt()
            return .error(m + " (simulated time is \(ValueText.show(now, unit: "seconds")))")
        }
    }

    // MARK: reading values through Lua, never raising

    /// Calls helper `k` (0 fields, 1 entries, 2 count) with the value at `index` and `args`;
    /// the results are left on the stack from the returned index (the caller resets the top).
    func callHelper(_ k: Int32, on index: Int32, _ args: [LuaValueArg]) -> Int32 {
        let start = state.top + 1
        state.pushCopy(at: helpers + k)
        state.pushCopy(at: index)
        for a in args {
            switch a {
            case .string(let s): LuaStack.push(state.L, s)
            case .integer(let i): LuaStack.push(state.L, i)
            }
        }
        if !state.protectedCall(nargs: Int32(1 + args.count), nresults: -1, limits: LuaLimits(instructions: 10_000_000)).isOK {
            state.setTop(start - 1)
        }
        return start
    }

    enum LuaValueArg {
        case string(String)
        case integer(Int64)
    }

    /// The value of `path` (a chain of names such as `vm.memory`) when reading it is all it
    /// does; nil for anything else. Leaves the value on the stack at the returned index.
    func resolve(_ path: String) -> Int32? {
        guard ShellSession.isNamePath(path) else { return nil }
        guard case .ok = state.load("return " + path, chunkname: "=hyperlab/complete") else { return nil }
        let at = state.top
        guard state.protectedCall(nargs: 0, nresults: 1, limits: LuaLimits(instructions: 1_000_000)).isOK else { return nil }
        return at
    }

    /// `a.b.c` with Lua names only: safe to evaluate, it only reads.
    static func isNamePath(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { p in
            guard let f = p.first, f == "_" || f.isLetter, f.isASCII else { return false }
            return p.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
        }
    }

    /// Top-level `local x = …` and `local function f` become globals, so the next line sees them.
    static func persistLocals(_ s: String) -> String {
        let t = s.drop { $0 == " " || $0 == "\t" }
        guard t.hasPrefix("local ") else { return s }
        return String(t.dropFirst("local ".count))
    }

    static let helperSource = """
        local pcall, next = pcall, next
        local function get(o, k) local ok, v = pcall(function() return o[k] end) if ok then return v end return nil end
        local function fields(o, k, ...) if k == nil then return end return get(o, k), fields(o, ...) end
        local function entries(t, n, k)
          if n == 0 then return end
          local nk, nv = next(t, k)
          if nk == nil then return end
          return nk, nv, entries(t, n - 1, nk)
        end
        local function count(t) local c = 0 for _ in next, t do c = c + 1 end return c end
        return fields, entries, count
        """
}
