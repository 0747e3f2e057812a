import LuaKit

/// Tab completion of the word before the cursor, from the API's declarations: module
/// functions after `lab.`, a class's properties after `x.` and its methods after `x:` when
/// `x` names an object, a table's keys, and globals and Lua keywords for a bare word.
public enum ShellCompletion {
    /// What a name path (`lab`, `h`, `vm.memory`) turned out to be.
    public enum Target {
        case module(LuaModuleDecl)
        case object(any LuaClassDecl)
        case table([String])
        case unknown
    }

    public static let keywords = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    /// The word before the cursor: the name path before its last `.` or `:`, that
    /// separator, and the partial name after it.
    public static func word(_ text: String) -> (path: String, separator: Character?, partial: String) {
        var start = text.endIndex
        while start > text.startIndex {
            let c = text[text.index(before: start)]
            guard c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "." || c == ":" else { break }
            start = text.index(before: start)
        }
        let word = text[start...]
        guard let sep = word.lastIndex(where: { $0 == "." || $0 == ":" }) else { return ("", nil, String(word)) }
        return (String(word[..<sep]), word[sep], String(word[word.index(after: sep)...]))
    }

    /// The names that complete `text` (sorted, unique) and how many characters before the
    /// cursor they replace.
    public static func complete(_ text: String, globals: [String], resolve: (String) -> Target) -> (replace: Int, matches: [String]) {
        let (path, sep, partial) = word(text)
        var names: [String]
        if let sep {
            switch resolve(path) {
            case .module(let m):
                names = sep == "." ? m.functions.map(\.name) + m.submodules.map(\.key) : []
            case .object(let cls):
                names = sep == ":" ? cls.methods.map(\.name) : cls.properties.map(\.name)
            case .table(let keys): names = sep == "." ? keys : []
            case .unknown: names = []
            }
        } else {
            names = globals + keywords
        }
        let matches = Set(names.filter { $0.hasPrefix(partial) && !$0.hasPrefix("__") }).sorted()
        return (partial.count, matches)
    }

    /// The longest prefix the matches share.
    public static func commonPrefix(_ names: [String]) -> String {
        guard var prefix = names.first else { return "" }
        for n in names.dropFirst() {
            while !n.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// The module of the API named `path` (`lab`, `lab.workload`), if any.
    public static func module(_ path: String, in api: LuaAPI) -> LuaModuleDecl? {
        func find(_ ms: [LuaModuleDecl]) -> LuaModuleDecl? {
            for m in ms {
                if m.name == path { return m }
                if let s = find(m.submodules) { return s }
            }
            return nil
        }
        return find(api.modules)
    }
}

extension ShellSession {
    /// Completes the text before the cursor against the declarations and the values the
    /// session holds now.
    public func complete(_ textBeforeCursor: String) -> (replace: Int, matches: [String]) {
        ShellCompletion.complete(textBeforeCursor, globals: globalNames(), resolve: target)
    }

    func target(_ path: String) -> ShellCompletion.Target {
        if let m = ShellCompletion.module(path, in: api) { return .module(m) }
        let top = state.top
        defer { state.setTop(top) }
        guard let at = resolve(path) else { return .unknown }
        switch state.value(at: at) {
        case .object(_, let t) where t >= 0 && Int(t) < classes.count: return .object(classes[Int(t)])
        case .table: return .table(stringKeys(at: at))
        default: return .unknown
        }
    }

    /// The global names defined now: the API's globals and what the student assigned.
    func globalNames() -> [String] {
        let top = state.top
        defer { state.setTop(top) }
        guard let at = resolve("_G") else { return [] }
        return stringKeys(at: at)
    }

    private func stringKeys(at index: Int32) -> [String] {
        let start = callHelper(1, on: index, [.integer(500)])
        var keys: [String] = []
        var i = start
        while i + 1 <= state.top {
            if case .string(let k) = state.value(at: i) { keys.append(k) }
            i += 2
        }
        return keys
    }
}
