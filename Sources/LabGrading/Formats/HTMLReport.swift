import Foundation
import HyperModel
import LabRuntime

/// One self-contained HTML page per run: the score and its reproducibility data, the
/// checks, charts of what the lab is about (`HTMLCharts`) and the event log. No script,
/// no external resource, byte-identical for the same lab, submission and seed.
///
/// Two views. The student view (`grade --format html`, `--report html:` of grading
/// commands) shows checks as `StudentView` allows, leaves out checks that are hidden or
/// not yet visible (only their count and points), and draws nothing that only hidden/
/// read, named or created. The author's view (`run --report html:`) shows everything:
/// every check with expected values and output, the lab's own output and tracebacks.
public enum HTMLReport {
    public enum View: Sendable { case student, author }

    public static func render(_ r: GradeResult, view: View = .student) -> String {
        let esc = SVGChart.esc
        let student = view == .student
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(esc(r.lab)) — HyperLab report</title>
            <style>\(css)</style></head><body>
            <h1>\(esc(r.lab))\(r.submission.map { " · " + esc($0) } ?? "")</h1>
            <p class="score \(r.status.rawValue)">\(JSON.number(r.score)) / \(JSON.number(r.maxScore)) points · \(r.status.rawValue)</p>
            <p class="meta">\(student ? "student view" : "author's view: hidden checks and expected values included") · \(Reproducibility.fields(r).sorted { $0.key < $1.key }.map { "\(esc($0.key)) <code>\(esc($0.value))</code>" }.joined(separator: " · "))</p>

            """
        if let p = StudentView.submissionProblems(r) { h += "<p class=\"error\">Your submission could not be used: \(esc(p))</p>\n" }
        if let e = student ? StudentView.scriptError(r) : r.run.scriptError { h += "<p class=\"error\">The lab stopped early: \(esc(e))</p>\n" }
        if !student, let t = r.run.scriptTraceback, !t.isEmpty { h += "<pre class=\"error\">\(esc(Truncate.text(t, limit: 8192)))</pre>\n" }
        h += checks(r, student: student)
        if let charts = r.run.charts { h += HTMLCharts.render(charts, view: student ? .student : .author) }
        let output = student ? r.run.studentOutput : r.run.output
        if !output.isEmpty { h += "<h2>Output</h2>\n<pre>\(esc(Truncate.text(output, limit: 16384)))</pre>\n" }
        h += "</body></html>\n"
        return h
    }

    private static func checks(_ r: GradeResult, student: Bool) -> String {
        let esc = SVGChart.esc
        var h = "<h2>Checks</h2>\n<table class=\"checks\"><tr><th></th><th>Check</th><th>Points</th><th>Details</th></tr>\n"
        var unseen = (count: 0, points: 0.0)
        for c in r.run.checks {
            if student && (c.hidden || c.visibility != .visible) {
                unseen.count += 1
                unseen.points += c.points
                continue
            }
            let mark = c.status == .passed ? "✓" : c.status == .skipped ? "–" : "✗"
            let details = student ? StudentView.details(c)
                : c.status == .passed ? (c.output.isEmpty ? "" : "output:\n" + c.output)
                : JUnitReport.detail(c) + (c.output.isEmpty ? "" : "\noutput:\n" + c.output)
            let tag = !student && c.visibility != .visible ? " <span class=\"tag\">\(esc(c.visibility.rawValue))</span>" : ""
            h += "<tr class=\"\(c.status.rawValue)\"><td>\(mark)</td><td>\(esc((c.number.map { $0 + " " } ?? "") + c.name))\(tag)</td>"
            h += "<td>\(JSON.number(c.score))/\(JSON.number(c.points))</td><td><pre>\(esc(Truncate.text(details, limit: 4096)))</pre></td></tr>\n"
        }
        if unseen.count > 0 {
            h += "<tr class=\"unseen\"><td></td><td>\(unseen.count) more check\(unseen.count == 1 ? "" : "s") graded but not shown here</td>"
            h += "<td>\(JSON.number(Score.rounded(unseen.points))) points</td><td></td></tr>\n"
        }
        return h + "</table>\n"
    }

    static let css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1d2733;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde3ea}
        h3{font-size:14px;margin:12px 0 4px}.score{font-size:18px;font-weight:600}.score.passed{color:#1e8449}
        .score.failed,.score.error{color:#b03a2e}.meta{color:#5d6d7e;font-size:12px}.error{color:#b03a2e}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e8ec;padding:4px 6px;text-align:left;vertical-align:top}
        tr.passed td:first-child{color:#1e8449}tr.failed td:first-child,tr.error td:first-child,tr.timeout td:first-child{color:#b03a2e}
        tr.unseen td{color:#5d6d7e;font-style:italic}.tag{font-size:11px;color:#5d6d7e;border:1px solid #c8ced8;border-radius:3px;padding:0 3px}
        pre{margin:0;white-space:pre-wrap;font-size:12px}.events td,.steady td,.steady th{font-size:12px}.events td:nth-child(-n+3){white-space:nowrap}
        .steady{width:auto;margin:4px 0 12px}.note{color:#5d6d7e;font-size:12px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:8px}svg.chart{max-width:100%;height:auto}
        .legend{font-size:12px;margin:2px 0 8px}.legend span{margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
        svg .lbl{font:11px system-ui,sans-serif;fill:#34495e}
        """
}
