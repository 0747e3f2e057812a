import HyperModel
import LuaKit

/// How the shell shows a returned value: scalars as Lua writes them (numbers also in the
/// unit the API declares for the property read), tables shallowly, objects as a panel of
/// their declared properties — a VM as `hyperlab run`'s summary panel.
extension ShellSession {
    /// Most entries of a table shown.
    static let tableEntries = 20

    func format(at index: Int32, unit: String?) -> String {
        let v = state.value(at: index)
        switch v {
        case .object(let o, let t):
            guard t >= 0, Int(t) < classes.count else { return "an object" }
            if let vm = o as? VM { return ShellPanels.vm(vm, in: session.worldExists ? session.world : nil) }
            return panel(classes[Int(t)], object: o, at: index)
        case .table: return table(at: index)
        default: return scalar(v, unit: unit)
        }
    }

    /// A value inside a table or panel: one short line.
    func short(_ v: LuaValue, unit: String? = nil, raw: Bool = true) -> String {
        switch v {
        case .object(let o, let t):
            guard t >= 0, Int(t) < classes.count else { return "object" }
            return classes[Int(t)].describe(o)
        case .table: return "{…}"
        case .function: return "function"
        default: return scalar(v, unit: unit, raw: raw)
        }
    }

    func scalar(_ v: LuaValue, unit: String?, raw: Bool = true) -> String {
        switch v {
        case .none, .nil: return "nil"
        case .string(let s): return "\"" + s + "\""
        case .integer, .number:
            let text = v.describe()
            guard let unit, let d = v.number else { return text }
            // sizes also as the integer a check compares; other units read well alone
            let shown = ValueText.show(d, unit: unit)
            return raw && unit == "bytes" && shown != text ? "\(shown)  (\(text))" : shown
        case .function: return "function"
        default: return v.describe(classes: classes)
        }
    }

    /// `{ 1, 2, name = "x", … }`: keys sorted (numbers first), values one level deep.
    func table(at index: Int32) -> String {
        let top = state.top
        defer { state.setTop(top) }
        let countAt = callHelper(2, on: index, [])
        let total = state.top >= countAt ? Int(state.value(at: countAt).number ?? 0) : 0
        if total == 0 { return "{}" }
        // read a bounded number of entries: a huge table costs no more than a small one
        let start = callHelper(1, on: index, [.integer(Int64(min(total, 200)))])
        var pairs: [(key: LuaValue, value: LuaValue)] = []
        var i = start
        while i + 1 <= state.top {
            pairs.append((state.value(at: i), state.value(at: i + 1)))
            i += 2
        }
        pairs.sort { ShellSession.keyOrder($0.key, $1.key) }
        var items: [String] = []
        var nextIndex: Int64 = 1
        for p in pairs.prefix(ShellSession.tableEntries) {
            let value = short(p.value)
            if case .integer(let k) = p.key, k == nextIndex {
                items.append(value)
                nextIndex += 1
            } else if case .string(let k) = p.key, ShellSession.isNamePath(k), !k.contains(".") {
                items.append("\(k) = \(value)")
            } else {
                items.append("[\(short(p.key))] = \(value)")
            }
        }
        if total > ShellSession.tableEntries { items.append("… (\(total - ShellSession.tableEntries) more)") }
        return "{ " + items.joined(separator: ", ") + " }"
    }

    static func keyOrder(_ a: LuaValue, _ b: LuaValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y
        case (.integer, _), (.number, .string): return true
        case (.number(let x), .number(let y)): return x < y
        case (.string(let x), .string(let y)): return x < y
        case (_, .integer): return false
        default: return a.describe() < b.describe()
        }
    }

    /// An object's declared properties: scalars with their units, view objects (`cpu`,
    /// `memory`) on one line each, lists by count and first names.
    func panel(_ cls: any LuaClassDecl, object: AnyObject, at index: Int32) -> String {
        let top = state.top
        defer { state.setTop(top) }
        let shown = cls.properties.filter { ShellUnits.isScalar($0.type) || isClassType($0.type) || $0.type.hasSuffix("[]") }
        let start = callHelper(0, on: index, shown.map { .string($0.name) })
        let width = shown.map(\.name.count).max() ?? 0
        var rows: [String] = []
        for (k, p) in shown.enumerated() where start + Int32(k) <= state.top {
            let at = start + Int32(k)
            let v = state.value(at: at)
            let text: String
            if case .object(_, let t) = v, t >= 0, Int(t) < classes.count, isClassType(p.type), !p.type.hasSuffix("[]") {
                text = p.stable ? inline(classes[Int(t)], at: at) : short(v)
            } else if case .table = v {
                text = list(at: at)
            } else {
                text = short(v, unit: ShellUnits.unit(of: p))
            }
            rows.append(p.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + text)
        }
        var out = "┌ " + cls.describe(object)
        for (i, r) in rows.enumerated() { out += "\n" + ShellSession.clip((i == rows.count - 1 ? "└ " : "│ ") + r, to: panelWidth) }
        return out
    }

    /// `line` cut to `width` characters with an ellipsis (nil: as it is).
    static func clip(_ line: String, to width: Int?) -> String {
        guard let width, width > 1, line.count > width else { return line }
        return String(line.prefix(width - 1)) + "…"
    }

    /// A view object on one line: `pcpus 4 · capacity 9.6 GHz · used 12.0 %`.
    private func inline(_ cls: any LuaClassDecl, at index: Int32) -> String {
        let props = cls.properties.filter { ShellUnits.isScalar($0.type) }.prefix(8)
        let start = callHelper(0, on: index, props.map { .string($0.name) })
        var parts: [String] = []
        for (k, p) in props.enumerated() where start + Int32(k) <= state.top {
            parts.append("\(p.name) \(short(state.value(at: start + Int32(k)), unit: ShellUnits.unit(of: p), raw: false))")
        }
        return parts.joined(separator: " · ")
    }

    /// A list property: its length and first items.
    private func list(at index: Int32) -> String {
        let start = callHelper(1, on: index, [.integer(6)])
        var items: [String] = []
        var i = start
        while i + 1 <= state.top {
            items.append(short(state.value(at: i + 1)))
            i += 2
        }
        let count = callHelper(2, on: index, [])
        let n = Int(state.value(at: count).number ?? 0)
        if n == 0 { return "none" }
        return "\(n): " + items.prefix(5).joined(separator: ", ") + (n > 5 ? ", …" : "")
    }

    private func isClassType(_ type: String) -> Bool {
        let name = type.hasSuffix("[]") ? String(type.dropLast(2)) : type
        return classes.contains { $0.name == name || "lab." + $0.name == name }
    }

    /// The unit of the property a line such as `vm.memory.consumed` reads, when it is one.
    func unitHint(_ code: String) -> String? {
        let expr = code.trimmingCharacters(in: .whitespaces)
        guard ShellSession.isNamePath(expr), let dot = expr.lastIndex(of: ".") else { return nil }
        let top = state.top
        defer { state.setTop(top) }
        guard let at = resolve(String(expr[..<dot])), case .object(_, let t) = state.value(at: at),
              t >= 0, Int(t) < classes.count else { return nil }
        let name = String(expr[expr.index(after: dot)...])
        return classes[Int(t)].properties.first { $0.name == name }.flatMap(ShellUnits.unit(of:))
    }
}
