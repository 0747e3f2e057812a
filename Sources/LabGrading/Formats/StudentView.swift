import LabRuntime

/// What a student may read of a check. A check from `hidden/` never shows its message,
/// expected/actual values, output or source location — only its `hide_errors` text or a
/// generic line — and any check with `hide_errors` shows that text instead of its
/// failure. Instructor-facing formats (JSON, JUnit, TAP, pretty) show everything.
public enum StudentView {
    public static func message(_ c: CheckOutcome) -> String? {
        guard c.status != .passed else { return nil }
        if let h = c.hideErrors { return h }
        if c.hidden {
            switch c.status {
            case .timeout: return "This check timed out."
            case .skipped: return "This check was skipped because a check it depends on did not pass."
            default: return "This check did not pass."
            }
        }
        return c.message
    }

    /// The text shown under a check: the message, expected/actual, the hint and output.
    public static func details(_ c: CheckOutcome) -> String {
        var lines: [String] = []
        if let m = message(c) { lines.append(m) }
        if !c.hidden && c.hideErrors == nil {
            if let e = c.expected, let a = c.actual, c.status == .failed { lines.append("expected: \(e)\nactual:   \(a)") }
        }
        if c.status != .passed, let h = c.hint { lines.append("hint: \(h)") }
        if !c.hidden && !c.output.isEmpty { lines.append("output:\n" + Truncate.text(c.output, limit: 8192)) }
        return lines.joined(separator: "\n")
    }

    /// The run's error as a student may read it: an error in a hidden script names no file.
    public static func scriptError(_ r: GradeResult) -> String? {
        guard let e = r.run.scriptError else { return nil }
        if e.contains("hidden/") { return "an instructor check could not run; the checks after it were not graded" }
        return e
    }
}

/// Deterministic truncation: head and tail with a marker (graders cap result sizes).
public enum Truncate {
    public static func text(_ s: String, limit: Int) -> String {
        let bytes = Array(s.utf8)
        guard bytes.count > limit else { return s }
        let keep = limit / 2
        let head = String(decoding: bytes[..<keep], as: UTF8.self)
        let tail = String(decoding: bytes[(bytes.count - keep)...], as: UTF8.self)
        return head + "\n…[\(bytes.count - 2 * keep) bytes elided]…\n" + tail
    }
}
