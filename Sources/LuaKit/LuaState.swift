import CLua
import CLuaShim
import Foundation

/// Settings of one sandboxed state.
public struct LuaConfig: Sendable {
    /// Bytes the state may allocate; 0 = unlimited.
    public var memoryLimit: Int = 256 << 20
    /// The largest string `string.rep` may build.
    public var stringLimit: Int = 16 << 20
    public var hookInterval: Int32 = 1000
    /// `math.random` is seeded from this, so scripts are deterministic.
    public var randomSeed: Int64 = 1
    /// Chunks whose source starts with this are the engine's own; error positions skip them.
    public var internalPrefix: String = "=hyperlab/"
    /// Bytes of `print` output kept; the rest is counted and dropped.
    public var outputLimit: Int = 256 << 10
    /// Prefixed to captured output lines, e.g. "[answer.lua] ".
    public var outputPrefix: String = ""

    public init() {}
}

/// One Lua state: a fresh, sandboxed `lua_State` with its own limits and its own wrappers
/// around host objects. Not thread-safe: use it from one thread. Only `interruptHandle`
/// may be used from another thread.
public final class LuaState {
    public let L: OpaquePointer
    public let config: LuaConfig
    // Dispatch tables: read on every call from Lua. They only grow, from this state's
    // thread, so the dynamic exclusivity checks are skipped.
    @exclusivity(unchecked) var functions: [LuaBody] = []
    @exclusivity(unchecked) var functionNames: [String] = []
    /// What each function may do with foreign objects, by function id.
    @exclusivity(unchecked) var functionAccess: [LuaAccess] = []
    /// When set, objects that reach this state from another one (arguments a lab passes
    /// to a submission's functions), and every object read from them, are read-only here:
    /// properties and queries work, setters, mutating methods and module functions that
    /// receive them are refused with this reason ("a submission cannot change the lab's
    /// datacenter"). The state's own objects are unrestricted.
    public var foreignObjectsReadOnly: String? {
        didSet { guardsForeign = foreignObjectsReadOnly != nil }
    }
    /// Whether `foreignObjectsReadOnly` is set, read on every call from Lua: a plain Bool
    /// without exclusivity checks, so a state that holds no foreign objects (the lab's)
    /// pays one load per property read instead of a checked access to an optional String.
    @exclusivity(unchecked) private var guardsForeign = false
    /// While a binding of a foreign object runs, the objects it pushes are foreign too.
    @exclusivity(unchecked) var pushingForeign = false
    /// Getters and setters by property id (closures only, so a dispatch copies one reference).
    @exclusivity(unchecked) var getters: [(AnyObject, LuaCall) throws -> Void] = []
    @exclusivity(unchecked) var setters: [((AnyObject, LuaCall) throws -> Void)?] = []
    /// "Class.property" of each getter/setter id, for the mutation guard's messages.
    @exclusivity(unchecked) var propertyNames: [String] = []
    /// Called before every bound function and property assignment with its name
    /// ("lab.host", "VM:power_on", "VM.name"); when it throws, the binding does not run.
    /// The host freezes its model through it while it runs code it must not be changed
    /// under (a policy called from inside the model); property reads never pass here.
    /// Set once, before code runs; read on every call, so not checked for exclusivity.
    @exclusivity(unchecked) public var mutationGuard: ((String) throws -> Void)?
    /// When set, in a state that holds foreign objects read-only, each write to a foreign
    /// object (a setter, a mutating method, an assignment to a property without a setter)
    /// is put to this gate instead of being refused: it throws to refuse (the binding does
    /// not run), or returns a closure told the binding's outcome. A lab sets it while it
    /// lets a submission operate its world (`lab.operate`); module functions handed a
    /// foreign object stay refused.
    @exclusivity(unchecked) public var foreignWriteGate: ((LuaForeignWrite) throws -> LuaForeignWriteDone)?
    @exclusivity(unchecked) public internal(set) var classes: [any LuaClassDecl] = []
    var typeIDs: [ObjectIdentifier: Int32] = [:]
    @exclusivity(unchecked) var metatableRefs: [Int32] = []
    @exclusivity(unchecked) var cacheRefs: [Int32] = []
    var sharedFunctions: [String: Int32] = [:]
    /// Captured `print` output.
    public internal(set) var output = LuaOutput()
    /// When set, `print` lines go here (with the configured prefix) instead of `output`,
    /// so several states can share one ordered log.
    public var outputSink: ((String) -> Void)?

    public init(config: LuaConfig = LuaConfig()) throws {
        self.config = config
        var cfg = hl_config()
        cfg.memory_limit = 0  // applied after the libraries are open
        cfg.string_limit = config.stringLimit
        cfg.hook_interval = config.hookInterval
        cfg.random_seed = lua_Integer(config.randomSeed)
        let prefix = strdup(config.internalPrefix)
        defer { free(prefix) }
        cfg.internal_prefix = UnsafePointer(prefix)
        guard let L = hl_newstate(&cfg, luaKitDispatch, luaKitRelease, nil) else {
            throw LuaError("cannot create a Lua state")
        }
        self.L = L
        output.limit = config.outputLimit
        output.prefix = config.outputPrefix
        // The controller needs this object: it is set now that self is initialised.
        hl_set_host(L, Unmanaged.passUnretained(self).toOpaque())
        if hl_opensandbox(L) != LUA_OK {
            let message = LuaStack.string(L, -1)
            hl_close(L)
            throw LuaError("cannot open the Lua sandbox: \(message)")
        }
        hl_set_memory_limit(L, config.memoryLimit)
    }

    deinit { hl_close(L) }

    /// A handle another thread may use to stop running code.
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(L) }

    public var memoryUsed: Int { hl_memory_used(L) }
    public var memoryPeak: Int { hl_memory_peak(L) }
    public var instructionsExecuted: Int64 { hl_instructions(L) }
    public var isKilled: Bool { hl_killed(L) != 0 }
    public var killReason: String { String(cString: hl_kill_reason(L)) }

    /// Stops the state: the error raised next carries `reason` and cannot be caught by Lua.
    public func kill(_ reason: String) { hl_kill(L, reason) }

    /// Lets the state run again after an interrupt stopped it (an interactive prompt whose
    /// user pressed Ctrl-C keeps its state); a kill for any other reason stays.
    public func recoverFromInterrupt() {
        if hl_interrupted(L) != 0 { hl_clear_kill(L) }
    }

    /// For host loops that run long without Lua: true when a deadline or an interrupt has
    /// stopped the state (it is then killed).
    public func limitReached() -> Bool { hl_poll_limits(L) != 0 }

    /// Runs `body` with the memory cap lifted for host-built values in this state.
    public func relaxed<R>(_ body: () throws -> R) rethrows -> R {
        hl_relax(L, 1)
        defer { hl_relax(L, -1) }
        return try body()
    }

    // MARK: dispatch from the trampolines

    func dispatch(_ L: OpaquePointer, _ kind: Int32, _ id: Int32) -> Int32 {
        guardsForeign ? dispatchGuarded(L, kind, id) : dispatchChecked(L, kind, id)
    }

    /// A call in a state that holds foreign objects read-only: refused when it would
    /// change one; what it pushes is foreign when its object is.
    @inline(never)
    private func dispatchGuarded(_ L: OpaquePointer, _ kind: Int32, _ id: Int32) -> Int32 {
        guard let reason = foreignObjectsReadOnly else { return dispatchChecked(L, kind, id) }
        let outer = pushingForeign
        defer { pushingForeign = outer }
        if let gate = foreignWriteGate, let write = foreignWrite(L, kind: kind, id: id) {
            return dispatchGated(L, kind, id, write, gate)
        }
        do {
            pushingForeign = try guardForeign(L, kind: kind, id: id, reason: reason)
        } catch let error as LuaError {
            LuaStack.push(L, error.message)
            return HL_ERROR
        } catch {
            LuaStack.push(L, String(describing: error))
            return HL_ERROR
        }
        return dispatchChecked(L, kind, id)
    }

    /// A write to a foreign object put to the gate: refused with the gate's reason, or run
    /// (what it pushes is foreign, as its object is) and its outcome told to the gate.
    private func dispatchGated(_ L: OpaquePointer, _ kind: Int32, _ id: Int32, _ write: LuaForeignWrite,
                               _ gate: (LuaForeignWrite) throws -> LuaForeignWriteDone) -> Int32 {
        let done: LuaForeignWriteDone
        do {
            done = try gate(write)
        } catch let error as LuaError {
            LuaStack.push(L, error.message)
            return HL_ERROR
        } catch {
            LuaStack.push(L, String(describing: error))
            return HL_ERROR
        }
        pushingForeign = Int(kind) == Int(HL_CALL)
        let result = dispatchChecked(L, kind, id)
        done(result < 0 ? LuaStack.string(L, -1) : nil)
        return result
    }

    // inlined into dispatch: the lab state's reads take one call from C to the getter
    @inline(__always)
    private func dispatchChecked(_ L: OpaquePointer, _ kind: Int32, _ id: Int32) -> Int32 {
        let call = LuaCall(L, self, id)
        do {
            switch Int(kind) {
            case Int(HL_CALL):
                if let guardCall = mutationGuard { try guardCall(functionNames[Int(id)]) }
                return try functions[Int(id)](call)
            case Int(HL_GET):
                try getters[Int(id)](objectAtOne(L), call)
                return 1
            case Int(HL_SET):
                if let guardCall = mutationGuard { try guardCall(propertyNames[Int(id)]) }
                try setters[Int(id)]!(objectAtOne(L), call)
                return 0
            case Int(HL_TOSTRING):
                LuaStack.push(L, classes[Int(id)].describe(objectAtOne(L)))
                return 1
            case Int(HL_NOFIELD):
                let cls = classes[Int(id)]
                if let fallback = cls.fallback, lua_tointegerx(L, -1, nil) == 3 {
                    try fallback(objectAtOne(L), LuaValue.read(L, 2), call)
                    return 1
                }
                throw noField(L, classIndex: id)
            case Int(HL_LEN):
                let cls = classes[Int(id)]
                guard let n = cls.length?(objectAtOne(L)) else { throw LuaError("attempt to get length of a \(cls.name) value") }
                lua_pushinteger(L, lua_Integer(n))
                return 1
            case Int(HL_PRINT):
                let line = LuaStack.string(L, -1)
                if let sink = outputSink { sink(config.outputPrefix + line) } else { output.append(line) }
                return 0
            default:
                throw LuaError("internal error: unknown dispatch kind \(kind)")
            }
        } catch let error as LuaError {
            // bounded: a message quoting a submission's value never grows with it
            LuaStack.push(L, LuaValue.bounded(error.message))
            return error.addsPosition ? HL_ERROR : HL_ERROR_RAW
        } catch {
            LuaStack.push(L, String(describing: error))
            return HL_ERROR
        }
    }

    private func objectAtOne(_ L: OpaquePointer) -> AnyObject {
        let o = hl_to_object(L, 1)!
        return Unmanaged<AnyObject>.fromOpaque(o.pointee.object!).takeUnretainedValue()
    }

    private func noField(_ L: OpaquePointer, classIndex: Int32) -> LuaError {
        let cls = classes[Int(classIndex)]
        let writing = lua_tointegerx(L, -1, nil) == 4
        let key = LuaValue.read(L, 2)
        let who = hl_to_object(L, 1).flatMap { $0.pointee.object }.map {
            cls.describe(Unmanaged<AnyObject>.fromOpaque($0).takeUnretainedValue())
        } ?? cls.name
        guard case .string(let name) = key else {
            return LuaError("\(who) has no member \(key.describe()) (members are named by strings)")
        }
        let members = cls.properties.map(\.name) + cls.methods.map(\.name)
        if writing {
            if cls.properties.contains(where: { $0.name == name }) || cls.methods.contains(where: { $0.name == name }) {
                let writable = cls.properties.filter { $0.set != nil }.map(\.name)
                let list = writable.isEmpty ? "none of its properties can be changed" : "writable: \(writable.joined(separator: ", "))"
                return LuaError("\(who).\(name) is read-only (\(list))")
            }
            return LuaError("\(who) has no property '\(name)' to set\(Suggest.didYouMean(name, members))")
        }
        return LuaError("\(who) has no property or method '\(name)'\(Suggest.didYouMean(name, members))")
    }
}

/// Captured `print` output, capped so that a chatty script cannot exhaust memory.
public struct LuaOutput: Sendable {
    public var text = ""
    public var dropped = 0
    var limit = 256 << 10
    var prefix = ""

    mutating func append(_ line: String) {
        let entry = prefix + line + "\n"
        if text.utf8.count + entry.utf8.count > limit {
            dropped += entry.utf8.count
            return
        }
        text += entry
    }

    /// The output with a note of what was dropped.
    public var rendered: String {
        dropped == 0 ? text : text + "... (\(dropped) more bytes of output dropped)\n"
    }
}

/// Stops running Lua code from another thread (the only cross-thread operation).
public final class LuaInterruptHandle: @unchecked Sendable {
    private let L: OpaquePointer
    init(_ L: OpaquePointer) { self.L = L }
    public func interrupt() { hl_interrupt(L) }
}

private let luaKitDispatch: hl_dispatch_fn = { L, host, kind, id in
    let state = Unmanaged<LuaState>.fromOpaque(host!).takeUnretainedValue()
    return state.dispatch(L!, kind, id)
}

private let luaKitRelease: hl_release_fn = { object in
    Unmanaged<AnyObject>.fromOpaque(object!).release()
}
