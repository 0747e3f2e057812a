import Foundation
import LabRuntime

/// JUnit XML for CI (GitLab, Jenkins, action-junit-report): instructor-facing, so it
/// shows everything. Points go in properties; a partial score is a failure of type
/// "partial", a timeout a failure of type "timeout", an error an <error>.
public enum JUnitReport {
    public static func render(_ r: GradeResult) -> String {
        let checks = r.run.checks
        let failures = checks.filter { $0.status == .failed || $0.status == .timeout }.count
        let errors = checks.filter { $0.status == .error }.count + (r.run.scriptError != nil ? 1 : 0)
        let skipped = checks.filter { $0.status == .skipped }.count
        let suite = xml(r.lab)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"hyperlab\" tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
        out += "  <testsuite name=\"\(suite)\" tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
        out += "    <properties>\n"
        var props = Reproducibility.fields(r)
        props["score"] = JSON.number(r.score)
        props["max_score"] = JSON.number(r.maxScore)
        for (k, v) in props.sorted(by: { $0.key < $1.key }) { out += "      <property name=\"\(k)\" value=\"\(xml(v))\"/>\n" }
        out += "    </properties>\n"
        for c in checks {
            out += "    <testcase classname=\"\(suite)\" name=\"\(xml((c.number.map { $0 + " " } ?? "") + c.name))\""
            if let l = c.location, let colon = l.lastIndex(of: ":") {
                out += " file=\"\(xml(String(l[..<colon])))\" line=\"\(l[l.index(after: colon)...])\""
            }
            out += ">\n"
            out += "      <properties><property name=\"score\" value=\"\(JSON.number(c.score))\"/><property name=\"max_score\" value=\"\(JSON.number(c.points))\"/><property name=\"visibility\" value=\"\(c.visibility.rawValue)\"/></properties>\n"
            let text = xml(detail(c))
            switch c.status {
            case .passed: break
            case .failed:
                let type = c.score > 0 ? "partial" : "assertion"
                out += "      <failure type=\"\(type)\" message=\"\(xml(c.message ?? "failed"))\">\(text)</failure>\n"
            case .timeout: out += "      <failure type=\"timeout\" message=\"\(xml(c.message ?? "timed out"))\">\(text)</failure>\n"
            case .error: out += "      <error type=\"error\" message=\"\(xml(c.message ?? "error"))\">\(text)</error>\n"
            case .skipped: out += "      <skipped message=\"\(xml(c.message ?? "skipped"))\"/>\n"
            }
            if !c.output.isEmpty { out += "      <system-out>\(xml(Truncate.text(c.output, limit: 65536)))</system-out>\n" }
            out += "    </testcase>\n"
        }
        if let e = r.run.scriptError {
            out += "    <testcase classname=\"\(suite)\" name=\"lab script\">\n      <error type=\"script\" message=\"\(xml(e))\">\(xml(r.run.scriptTraceback ?? e))</error>\n    </testcase>\n"
        }
        if !r.run.output.isEmpty { out += "    <system-out>\(xml(Truncate.text(r.run.output, limit: 65536)))</system-out>\n" }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func detail(_ c: CheckOutcome) -> String {
        var lines: [String] = []
        if let m = c.message { lines.append(m) }
        if let e = c.expected, let a = c.actual { lines.append("expected: \(e)\nactual:   \(a)") }
        if let h = c.hint { lines.append("hint: \(h)") }
        if let l = c.location { lines.append("at \(l)") }
        return lines.joined(separator: "\n")
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(u)
            default:
                // XML 1.0 forbids other control characters
                if u.value < 0x20 || (0xD800...0xDFFF).contains(u.value) || u.value == 0xFFFE || u.value == 0xFFFF {
                    out += "?"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// TAP version 14: a plan first, one test point per check, YAML diagnostics.
public enum TAPReport {
    public static func render(_ result: GradeResult) -> String {
        let r = TerminalSafe.result(result)
        var out = "TAP version 14\n"
        let checks = r.run.checks
        out += "1..\(checks.count + (r.run.scriptError != nil ? 1 : 0))\n"
        for (k, v) in Reproducibility.fields(r).sorted(by: { $0.key < $1.key }) { out += "# \(k): \(v)\n" }
        for (i, c) in checks.enumerated() {
            let ok = c.status == .passed || c.status == .skipped
            out += "\(ok ? "ok" : "not ok") \(i + 1) - \(escape(c.name))"
            if c.status == .skipped { out += " # SKIP \(escape(c.message ?? "skipped"))" }
            out += "\n"
            var yaml: [(String, String)] = [("score", JSON.number(c.score)), ("max_score", JSON.number(c.points))]
            if c.status != .passed && c.status != .skipped {
                yaml.append(("severity", c.status.rawValue))
                if let m = c.message { yaml.append(("message", m)) }
                if let e = c.expected { yaml.append(("wanted", e)) }
                if let a = c.actual { yaml.append(("found", a)) }
                if let l = c.location { yaml.append(("at", l)) }
            }
            out += "  ---\n"
            for (k, v) in yaml { out += "  \(k): \(k.hasSuffix("score") ? v : quote(v))\n" }
            out += "  ...\n"
        }
        if let e = r.run.scriptError {
            out += "not ok \(checks.count + 1) - lab script\n  ---\n  severity: error\n  message: \(quote(e))\n  ...\n"
        }
        return TerminalSafe.lines(out)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "#", with: "\\#")
            .replacingOccurrences(of: "\n", with: " ")
    }

    /// A YAML double-quoted scalar (JSON strings are valid YAML).
    static func quote(_ s: String) -> String {
        var out = ""
        JSON.quote(s, into: &out)
        return out
    }
}

/// GitHub Actions: an ::error annotation per check that did not pass, a notice with the
/// points, and a markdown table appended to $GITHUB_STEP_SUMMARY when it is set.
public enum GitHubReport {
    public static func render(_ r: GradeResult) -> String {
        var out = ""
        for c in r.run.checks where c.status != .passed {
            // students read these (GitHub Classroom): hidden checks name no check and no file
            var props = "title=\(property(c.hidden ? "hidden check" : c.name))"
            if !c.hidden, let l = c.location, let colon = l.lastIndex(of: ":") {
                props = "file=\(property(String(l[..<colon]))),line=\(l[l.index(after: colon)...])," + props
            }
            let kind = c.status == .skipped ? "warning" : "error"
            out += "::\(kind) \(props)::\(data(StudentView.message(c) ?? c.status.rawValue))\n"
        }
        for p in r.run.submissionProblems { out += "::error title=submission::\(data(p))\n" }
        if let e = r.run.scriptError { out += "::error title=lab script::\(data(e))\n" }
        out += "::notice title=Autograding complete::Points \(JSON.number(r.score))/\(JSON.number(r.maxScore))\n"
        out += "::notice title=Reproducibility::\(data(Reproducibility.fields(r).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " · ")))\n"
        return out
    }

    public static func summary(_ r: GradeResult) -> String {
        var md = "### \(r.lab): \(JSON.number(r.score)) / \(JSON.number(r.maxScore)) points\n\n| | Check | Points | Message |\n|---|---|---|---|\n"
        for c in r.run.checks {
            let mark = c.status == .passed ? "✅" : c.status == .skipped ? "⏭️" : "❌"
            let msg = (StudentView.message(c) ?? "").replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            md += "| \(mark) | \((c.hidden ? "hidden check" : c.name).replacingOccurrences(of: "|", with: "\\|")) | \(JSON.number(c.score))/\(JSON.number(c.points)) | \(msg) |\n"
        }
        md += "\nseed \(r.run.seed) · \(r.engine)\(r.bundleHash.map { " · lab \($0.prefix(19))…" } ?? "")\n"
        return md
    }

    static func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
