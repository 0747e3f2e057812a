import LabRuntime

/// Text a run produced (check names, messages, values, printed output) made safe for a
/// terminal or a CI log. A submission controls much of that text: raw control characters
/// would let it move the cursor, rewrite lines (CR), set the window title or the
/// clipboard (OSC), ring the bell or cut the log (NUL), and a line that starts with `::`
/// — even indented — is a workflow command to GitHub's runner (`::notice title=…::Points
/// 5/5`). Every human-readable format renders results through this.
public enum TerminalSafe {
    /// Control characters other than newline and tab (C0, DEL, C1) and the invisible
    /// characters that reorder or hide text (bidirectional overrides and isolates,
    /// zero-width joiners) become visible escapes: ESC is `\x1b`, U+202E is `\u{202E}`.
    public static func text(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if !needsEscape(u) {
                out.append(u)
                continue
            }
            let hex = String(u.value, radix: 16)
            let escaped = u.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex.uppercased())}"
            out.append(contentsOf: escaped.unicodeScalars)
        }
        return String(out)
    }

    static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// A rendered report with every line that a CI runner would read as a workflow
    /// command (`::cmd`, or the older `##[cmd]`, after any indentation) escaped with a
    /// backslash. Reports never start their own lines so, only quoted text can.
    public static func lines(_ rendered: String) -> String {
        guard rendered.contains("::") || rendered.contains("##[") else { return rendered }
        return rendered.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.drop { $0 == " " || $0 == "\t" }
            guard body.hasPrefix("::") || body.hasPrefix("##[") else { return String(line) }
            return line.prefix(line.count - body.count) + "\\" + body
        }.joined(separator: "\n")
    }

    /// The result with every text that came from the run escaped with `text`.
    public static func result(_ r: GradeResult) -> GradeResult {
        var r = r
        r.lab = text(r.lab)
        r.submission = r.submission.map(text)
        r.run.checks = r.run.checks.map { c in
            var c = c
            c.name = text(c.name)
            c.number = c.number.map(text)
            c.message = c.message.map(text)
            c.expected = c.expected.map(text)
            c.actual = c.actual.map(text)
            c.hint = c.hint.map(text)
            c.hideErrors = c.hideErrors.map(text)
            c.studentMessage = c.studentMessage.map(text)
            c.location = c.location.map(text)
            c.tags = c.tags.map(text)
            c.output = text(c.output)
            c.studentOutput = text(c.studentOutput)
            return c
        }
        r.run.scriptError = r.run.scriptError.map(text)
        r.run.scriptTraceback = r.run.scriptTraceback.map(text)
        r.run.output = text(r.run.output)
        r.run.studentOutput = text(r.run.studentOutput)
        r.run.submissionProblems = r.run.submissionProblems.map(text)
        r.run.stoppedBySubmission = r.run.stoppedBySubmission.map(text)
        return r
    }
}
