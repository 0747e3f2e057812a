import LabRuntime

/// What a student may read of a check. A failed expectation shows the student's own
/// value and the hint — the expected value only when the check's `reveal` says "value",
/// and whether it is too high or too low when it says "direction". Output is what the
/// student's code printed and `lab.feedback`, never the lab script's `print`. A check
/// from `hidden/` never shows its message, values, output or source location — only its
/// `hide_errors` text or a generic line — and any check with `hide_errors` shows that
/// text instead of its failure. Instructor-facing formats (JSON, JUnit, TAP, `run`'s
/// pretty view) show everything.
public enum StudentView {
    public static func message(_ c: CheckOutcome) -> String? {
        guard c.status != .passed else { return nil }
        // a skipped check did not fail: its hide_errors text would say it did
        if let h = c.hideErrors, c.status != .skipped { return h }
        if c.hidden {
            switch c.status {
            case .timeout: return "This check timed out."
            case .skipped: return c.studentMessage ?? "This check was skipped because a check it depends on did not pass."
            default: return "This check did not pass."
            }
        }
        return c.studentMessage ?? c.message
    }

    /// The text shown under a check: the message (which holds the expected value when
    /// the check reveals it), the hint and the student's output.
    public static func details(_ c: CheckOutcome) -> String {
        var lines: [String] = []
        if let m = message(c) { lines.append(m) }
        if c.status != .passed && c.status != .skipped, let h = c.hint { lines.append("hint: \(h)") }
        if !c.hidden && !c.studentOutput.isEmpty { lines.append("output:\n" + Truncate.text(c.studentOutput, limit: 8192)) }
        return lines.joined(separator: "\n")
    }

    /// The result as a student may read it, for any format: messages and output through
    /// this view, expected values only where revealed, hidden checks without sources.
    public static func redacted(_ r: GradeResult) -> GradeResult {
        var out = r
        out.run.checks = r.run.checks.map { c in
            var s = c
            s.message = message(c)
            s.studentMessage = s.message
            if c.reveal != .value || c.hidden || c.hideErrors != nil { s.expected = nil }
            if c.hidden || c.hideErrors != nil { s.actual = nil }
            s.output = c.hidden ? "" : c.studentOutput
            if c.hidden { s.location = nil }
            return s
        }
        out.run.output = r.run.studentOutput
        out.run.scriptError = scriptError(r)
        out.run.scriptTraceback = nil
        return out
    }

    /// Said once for the whole run: why a submission file could not be used.
    public static func submissionProblems(_ r: GradeResult) -> String? {
        r.run.submissionProblems.isEmpty ? nil : r.run.submissionProblems.joined(separator: "\n")
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
