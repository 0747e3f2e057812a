import HyperModel
import LabRuntime

/// The terminal rendering: one line per check with its points, why it did not pass and
/// a hint, the printed output, and the total. The author's view (`run`) shows every
/// message and all output; the student's view (`check`) shows what `StudentView` allows.
public struct PrettyReport {
    public var color: Bool
    /// Show tracebacks of lab script errors (the author's loop).
    public var tracebacks: Bool
    /// The student's view: messages by the checks' reveal settings, the student's output.
    public var student: Bool

    public init(color: Bool, tracebacks: Bool = true, student: Bool = false) {
        self.color = color
        self.tracebacks = tracebacks && !student
        self.student = student
    }

    private func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    private func green(_ s: String) -> String { paint(s, "32") }
    private func red(_ s: String) -> String { paint(s, "31") }
    private func yellow(_ s: String) -> String { paint(s, "33") }
    private func dim(_ s: String) -> String { paint(s, "2") }
    private func bold(_ s: String) -> String { paint(s, "1") }

    public func render(_ result: GradeResult) -> String {
        let r = TerminalSafe.result(student ? StudentView.redacted(result) : result)
        var out = bold("\(r.lab)") + dim("  seed \(r.run.seed)" + (r.submission.map { " · submission \($0)/" } ?? "") + " · \(r.engine)") + "\n\n"
        if let problem = StudentView.submissionProblems(r) {
            out += "  " + red("Your submission could not be used:") + "\n" + indentPlain(problem, by: "    ")
            out += dim("  The checks that need it were not run.") + "\n\n"
        }
        let width = min(max(r.run.checks.map { ($0.number.map { $0 + " " } ?? "").count + $0.name.count }.max() ?? 20, 20), 64)
        for c in r.run.checks {
            let (mark, tint): (String, (String) -> String) = {
                switch c.status {
                case .passed: return ("✓", green)
                case .failed: return ("✗", red)
                case .error: return ("!", red)
                case .timeout: return ("⏱", red)
                case .skipped: return ("-", yellow)
                }
            }()
            let title = (c.number.map { $0 + " " } ?? "") + c.name
            let padded = title.count < width ? title + String(repeating: " ", count: width - title.count) : title
            out += "  \(tint(mark)) \(padded)  \(points(c.score))/\(points(c.points))"
            if c.visibility != .visible { out += dim("  [\(c.visibility.rawValue)]") }
            out += "\n"
            if c.status != .passed {
                if let m = c.message { out += indent(m, tint) }
                if let h = c.hint, c.status != .skipped { out += "      " + yellow("hint: ") + h + "\n" }
            }
            if !c.output.isEmpty && c.status != .skipped && (c.status != .passed || student) {
                out += dim(indentPlain("output:\n" + c.output))
            }
        }
        if let e = r.run.scriptError {
            out += "\n  " + red("lab script error: ") + e + "\n"
            if tracebacks, let t = r.run.scriptTraceback, !t.isEmpty { out += dim(indentPlain(t)) }
        }
        if let charts = r.run.charts, !charts.panels.isEmpty {
            out += "\n" + panels(charts.panels)
            if charts.panelsOmitted > 0 { out += dim("  … and \(charts.panelsOmitted) more VM\(charts.panelsOmitted == 1 ? "" : "s") the lab is about") + "\n" }
        }
        if !r.run.output.isEmpty {
            out += "\n" + dim("  output:") + "\n" + indentPlain(r.run.output, by: "    ")
        }
        let passed = r.run.checks.filter { $0.status == .passed }.count
        let summary = "Score: \(points(r.score))/\(points(r.maxScore)) — \(passed) of \(r.run.checks.count) checks passed"
        var repro = "seed \(r.run.seed)"
        if let b = r.bundleHash { repro += " · lab \(b.prefix(19))…" }
        if !r.run.eventLogDigest.isEmpty { repro += " · event log \(r.run.eventLogDigest.prefix(19))…" }
        out += "\n" + dim("  " + repro) + "\n"
        out += "\n" + (r.status == .passed ? green(bold(summary)) : r.status == .error ? red(bold(summary + " (the lab script failed)")) : bold(summary)) + "\n"
        return TerminalSafe.lines(out)
    }

    /// vSphere's Summary tab of each VM the lab is about (those its checks read, or that
    /// `lab.report` named), as the lecture shows it: Resources and storage.
    func panels(_ panels: [RunCharts.Panel]) -> String {
        var out = ""
        for p in panels {
            func b(_ k: String) -> String { Units.formatBytes(p.memory[k] ?? 0) }
            out += "  " + bold("┌ \(p.name)") + dim(" on \(p.host) · \(p.state) · \(p.guest)") + "\n"
            out += "  │ " + dim("CPU      ") + "\(p.vcpus) vCPU\(p.vcpus == 1 ? "" : "s") · \(Units.formatMHz(p.cpuUsedMHz)) used"
                + (p.cpuReservationMHz > 0 ? " · \(Units.formatMHz(p.cpuReservationMHz)) reserved" : "") + "\n"
            out += "  │ " + dim("Memory   ") + "\(b("configured")) provisioned · \(b("consumed")) consumed · \(b("active")) active"
                + (p.memory["overhead"] ?? 0 > 0 ? " · \(b("overhead")) overhead" : "") + "\n"
            let reclaimed = ["shared", "ballooned", "compressed", "swapped"].filter { (p.memory[$0] ?? 0) > 0 }
            if !reclaimed.isEmpty {
                out += "  │ " + dim("Reclaimed ") + reclaimed.map { "\(b($0)) \($0)" }.joined(separator: " · ") + "\n"
            }
            out += "  └ " + dim("Storage  ") + "\(Units.formatBytes(p.storageProvisioned)) provisioned · \(Units.formatBytes(p.storageUsed)) used\n"
        }
        return out
    }

    private func points(_ d: Double) -> String { JSON.number((d * 100).rounded() / 100) }

    private func indent(_ text: String, _ tint: (String) -> String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + tint(String($0)) }.joined(separator: "\n") + "\n"
    }

    private func indentPlain(_ text: String, by pad: String = "      ") -> String {
        var t = text
        if t.hasSuffix("\n") { t.removeLast() }
        return t.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n") + "\n"
    }
}
