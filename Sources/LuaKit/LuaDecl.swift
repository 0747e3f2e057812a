/// Declarations of the Lua-facing API. A binding is a thin declaration — a name, its
/// arguments with their types and units, its documentation — over one Swift closure. The
/// same declarations register metatables in a state and generate the API reference and
/// the LuaCATS type files, so the three cannot drift apart.

public typealias LuaBody = (LuaCall) throws -> Int32

/// A parameter, an option-table field or a return value, as documented.
public struct LuaParam: Sendable {
    public var name: String
    /// A LuaCATS type expression: `integer`, `string|integer`, `lab.VM`, `"on"|"off"`.
    public var type: String
    public var doc: String
    public var optional: Bool

    public init(_ name: String, _ type: String, _ doc: String = "", optional: Bool = false) {
        self.name = name
        self.type = type
        self.doc = doc
        self.optional = optional
    }
}

public struct LuaFunctionDecl {
    public var name: String
    public var doc: String
    public var params: [LuaParam]
    public var returns: [LuaParam]
    /// nil when the function is written in the engine's Lua library (documentation only).
    public var body: LuaBody?
    /// How a state that holds foreign objects read-only guards this function (see
    /// `LuaState.foreignObjectsReadOnly`).
    public var access: LuaAccess

    public init(
        _ name: String, doc: String, params: [LuaParam] = [], returns: [LuaParam] = [], access: LuaAccess = .world,
        body: LuaBody?
    ) {
        self.name = name
        self.doc = doc
        self.params = params
        self.returns = returns
        self.access = access
        self.body = body
    }
}

public struct LuaPropertyDecl {
    public var name: String
    public var type: String
    public var doc: String
    /// The value never changes for a given object (a name, a view such as `vm.memory`):
    /// it is cached per object after the first read.
    public var stable = false
    public var get: (AnyObject, LuaCall) throws -> Void
    public var set: ((AnyObject, LuaCall) throws -> Void)?
}

/// A class of host objects exposed as userdata.
public protocol LuaClassDecl: AnyObject {
    var name: String { get }
    var doc: String { get }
    var properties: [LuaPropertyDecl] { get }
    var methods: [LuaFunctionDecl] { get }
    func describe(_ object: AnyObject) -> String
    /// `#object`, when the class has a length.
    var length: ((AnyObject) -> Int)? { get }
    /// Answers reads of keys that are neither properties nor methods (pushes one value);
    /// without it such reads are errors.
    var fallback: ((AnyObject, LuaValue, LuaCall) throws -> Void)? { get }
    /// Its index in the API that lists it (set by `LuaAPI`), a fast path to its type id.
    var apiIndex: Int { get set }
    /// The getter a state being set up installs for property `p`.
    func installedGetter(_ p: LuaPropertyDecl) -> (AnyObject, LuaCall) throws -> Void
}

extension LuaClassDecl {
    public func installedGetter(_ p: LuaPropertyDecl) -> (AnyObject, LuaCall) throws -> Void { p.get }
}

public final class LuaClass<T: AnyObject>: LuaClassDecl {
    public let name: String
    public let doc: String
    public private(set) var properties: [LuaPropertyDecl] = []
    public private(set) var methods: [LuaFunctionDecl] = []
    public private(set) var length: ((AnyObject) -> Int)?
    public private(set) var fallback: ((AnyObject, LuaValue, LuaCall) throws -> Void)?
    @exclusivity(unchecked) public var apiIndex = -1
    private let tostring: (T) -> String
    /// Told of every read of a changing property and every method call, with its name,
    /// before the body runs (an embedder noting what code looks at). Stable properties are
    /// cached by Lua after their first read, so they are not reported. Set it before any
    /// state installs the class: getters are chosen then, so that a class nobody tracks
    /// reads its properties with no test on this per read.
    @exclusivity(unchecked) public var onRead: ((T, String) -> Void)? {
        didSet { precondition(!installed, "\(name).onRead set after a state installed the class") }
    }
    @exclusivity(unchecked) private var installed = false

    /// `tostring` gives the short form Lua prints, such as `VM(web01)`.
    public init(_ name: String, doc: String, tostring: @escaping (T) -> String) {
        self.name = name
        self.doc = doc
        self.tostring = tostring
    }

    public func describe(_ object: AnyObject) -> String { tostring(unsafeDowncast(object, to: T.self)) }

    /// Answers reads of any other key.
    @discardableResult
    public func fallback(_ get: @escaping (T, LuaValue, LuaCall) throws -> Void) -> Self {
        fallback = { try get(unsafeDowncast($0, to: T.self), $1, $2) }
        return self
    }

    /// Gives the class a length (`#object`).
    @discardableResult
    public func length(_ count: @escaping (T) -> Int) -> Self {
        length = { count(unsafeDowncast($0, to: T.self)) }
        return self
    }

    /// A read-only property. The getter pushes exactly one value. A `stable` property's
    /// value never changes for an object (a name, a view object) and is cached per object.
    @discardableResult
    public func property(
        _ name: String, _ type: String, _ doc: String, stable: Bool = false, get: @escaping (T, LuaCall) throws -> Void
    ) -> Self {
        properties.append(
            LuaPropertyDecl(
                name: name, type: type, doc: doc, stable: stable, get: { try get(unsafeDowncast($0, to: T.self), $1) },
                set: nil))
        return self
    }

    /// A writable property. The setter reads the new value at index 3.
    @discardableResult
    public func property(
        _ name: String, _ type: String, _ doc: String, get: @escaping (T, LuaCall) throws -> Void,
        set: @escaping (T, LuaCall) throws -> Void
    ) -> Self {
        properties.append(
            LuaPropertyDecl(
                name: name, type: type, doc: doc,
                get: { try get(unsafeDowncast($0, to: T.self), $1) },
                set: { try set(unsafeDowncast($0, to: T.self), $1) }))
        return self
    }

    /// A changing property's getter reports the read to `onRead` first when it is set;
    /// otherwise the declared getter is installed as it is.
    public func installedGetter(_ p: LuaPropertyDecl) -> (AnyObject, LuaCall) throws -> Void {
        installed = true
        guard !p.stable, onRead != nil else { return p.get }
        let (get, name) = (p.get, p.name)
        return { [unowned(unsafe) self] o, c in
            self.onRead?(unsafeDowncast(o, to: T.self), name)
            try get(o, c)
        }
    }

    /// A method called with `:`; the body receives the object, its arguments start at index 2.
    /// A method changes its object unless declared `mutates: false` (a query): in a state
    /// that holds foreign objects read-only, only queries may be called on them, so a
    /// forgotten declaration refuses too much rather than too little.
    @discardableResult
    public func method(
        _ name: String, doc: String, params: [LuaParam] = [], returns: [LuaParam] = [], mutates: Bool = true,
        _ body: @escaping (T, LuaCall) throws -> Int32
    ) -> Self {
        let className = self.name
        methods.append(
            LuaFunctionDecl(
                name, doc: doc, params: params, returns: returns, access: mutates ? .mutates : .query,
                body: { [unowned(unsafe) self] call in
                    let object = try call.selfObject(self, method: name, className: className)
                    self.onRead?(object, name)
                    return try body(object, call)
                }))
        return self
    }
}

/// An option table accepted by a constructor, such as `lab.host{...}`.
public struct LuaRecord: Sendable {
    public var name: String
    public var doc: String
    public var fields: [LuaParam]

    public init(_ name: String, doc: String, fields: [LuaParam]) {
        self.name = name
        self.doc = doc
        self.fields = fields
    }

    public var fieldNames: [String] { fields.map(\.name) }
}

/// A table of functions: `lab`, `lab.workload`, or the globals (`name` == "_G").
public final class LuaModuleDecl {
    public let name: String
    public let doc: String
    public var functions: [LuaFunctionDecl]
    public var submodules: [LuaModuleDecl]

    public init(_ name: String, doc: String, functions: [LuaFunctionDecl] = [], submodules: [LuaModuleDecl] = []) {
        self.name = name
        self.doc = doc
        self.functions = functions
        self.submodules = submodules
    }

    /// The last component of the name, under which it is stored in its parent.
    public var key: String { String(name.split(separator: ".").last ?? Substring(name)) }
}

/// Everything one API consists of, for registration and for documentation.
public struct LuaAPI {
    public var modules: [LuaModuleDecl]
    public var classes: [any LuaClassDecl]
    public var records: [LuaRecord]

    public init(modules: [LuaModuleDecl], classes: [any LuaClassDecl], records: [LuaRecord]) {
        self.modules = modules
        self.classes = classes
        self.records = records
        for (i, cls) in classes.enumerated() where cls.apiIndex < 0 { cls.apiIndex = i }
    }
}

/// A class documented for editors and the reference but implemented in Lua (such as
/// the expectations of checks). It is never registered in a state.
public final class LuaDocClass: LuaClassDecl {
    public let name: String
    public let doc: String
    public let properties: [LuaPropertyDecl] = []
    public let methods: [LuaFunctionDecl]
    public let length: ((AnyObject) -> Int)? = nil
    public let fallback: ((AnyObject, LuaValue, LuaCall) throws -> Void)? = nil
    public var apiIndex = -1

    public init(_ name: String, doc: String, methods: [LuaFunctionDecl]) {
        self.name = name
        self.doc = doc
        self.methods = methods
    }

    public func describe(_ object: AnyObject) -> String { name }
}
