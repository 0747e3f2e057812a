/// The JSON rendering of a result: keys sorted, numbers written the same way on every
/// machine, no wall-clock times — the same lab and seed give byte-identical output.
public enum JSONReport {
    public static func render(_ r: GradeResult) -> String {
        var checks: [JSON] = []
        for c in r.run.checks {
            var o: [String: JSON] = [
                "name": .string(c.name), "points": .number(c.points), "score": .number(c.score),
                "status": .string(c.status.rawValue), "visibility": .string(c.visibility.rawValue),
                "tags": .array(c.tags.map { .string($0) }),
            ]
            o["number"] = c.number.map { .string($0) }
            o["message"] = c.message.map { .string($0) }
            o["expected"] = c.expected.map { .string($0) }
            o["actual"] = c.actual.map { .string($0) }
            o["hint"] = c.hint.map { .string($0) }
            o["hide_errors"] = c.hideErrors.map { .string($0) }
            o["location"] = c.location.map { .string($0) }
            if !c.output.isEmpty { o["output"] = .string(c.output) }
            checks.append(.object(o))
        }
        var root: [String: JSON] = [
            "lab": .string(r.lab), "engine": .string(r.engine), "seed": .unsigned(r.run.seed),
            "status": .string(r.status.rawValue), "score": .number(r.score), "max_score": .number(r.maxScore),
            "checks": .array(checks), "output": .string(r.run.output),
            "event_log": .object(["sha256": .string(r.run.eventLogDigest), "events": .number(Double(r.run.events))]),
            "simulated_seconds": .number(r.run.simulatedSeconds),
            "params": .object(r.run.params.mapValues { .string($0) }),
        ]
        root["submission"] = r.submission.map { .string($0) }
        root["bundle"] = r.bundleHash.map { .string($0) }
        root["not_graded"] = r.notGraded.map { .string($0) }
        if !r.run.submissionProblems.isEmpty { root["submission_problems"] = .array(r.run.submissionProblems.map { .string($0) }) }
        if let e = r.run.scriptError {
            var err: [String: JSON] = ["message": .string(e)]
            if let t = r.run.scriptTraceback, !t.isEmpty { err["traceback"] = .string(t) }
            root["error"] = .object(err)
        }
        var out = ""
        JSON.object(root).write(into: &out, indent: 0)
        return out + "\n"
    }
}

/// A minimal JSON value with a deterministic writer.
public indirect enum JSON: Sendable {
    case string(String)
    case number(Double)
    /// Written digit for digit: a Double holds integers exactly only up to 2^53, seeds go to 2^64.
    case unsigned(UInt64)
    case bool(Bool)
    case null
    case array([JSON])
    case object([String: JSON])

    public func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .string(let s): JSON.quote(s, into: &out)
        case .number(let d): out += JSON.number(d)
        case .unsigned(let u): out += String(u)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += inner
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += pad + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            let keys = fields.keys.sorted()
            for (i, k) in keys.enumerated() {
                out += inner
                JSON.quote(k, into: &out)
                out += ": "
                fields[k]!.write(into: &out, indent: indent + 1)
                out += i + 1 < keys.count ? ",\n" : "\n"
            }
            out += pad + "}"
        }
    }

    /// Integers without a fraction; others in Swift's shortest round-trip form.
    public static func number(_ d: Double) -> String {
        if !d.isFinite { return "null" }
        if d == d.rounded(), abs(d) < 9e15 { return String(Int64(d)) }
        return String(d)
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
