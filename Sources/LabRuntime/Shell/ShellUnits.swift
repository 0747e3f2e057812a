import LuaKit

/// The unit of a declared property, from what its declaration says: the API documents
/// units in prose ("% of …", "MHz …", "Bytes/s …"), and sizes are integers of memory
/// or bytes. A unit is only used to show a number; nothing is computed with it.
enum ShellUnits {
    static func isScalar(_ type: String) -> Bool {
        let t = type.hasSuffix("?") ? String(type.dropLast()) : type
        return ["integer", "number", "string", "boolean"].contains(t) || t.hasPrefix("\"")
    }

    static func unit(of p: LuaPropertyDecl) -> String? {
        let type = p.type.hasSuffix("?") ? String(p.type.dropLast()) : p.type
        guard type == "integer" || type == "number" else { return nil }
        let doc = p.doc
        let lower = doc.lowercased()
        let name = p.name.lowercased()
        if name.contains("shares") || name.contains("count") || lower.hasPrefix("how many") { return nil }
        if name.contains("percent") { return "%" }
        if doc.contains("Bytes/s") || doc.contains("bytes/s") || name.hasSuffix("_rate") && lower.contains("byte") { return "bytes/s" }
        if type == "integer", ["bytes", "memory", " size", " gb", " mb", " kb"].contains(where: lower.contains) || name == "size" {
            return "bytes"
        }
        if doc.hasPrefix("%") || lower.contains("% of") || doc.contains(" %") { return "%" }
        if doc.contains("MHz") || name.hasSuffix("_mhz") || name == "mhz" { return "MHz" }
        if lower.hasPrefix("seconds") || lower.contains("in seconds") { return "seconds" }
        return nil
    }
}
