import Foundation
import HyperModel
import LabRuntime

/// One self-contained HTML page per run: the score and its reproducibility data, every
/// check, SVG charts (host memory as a stacked area with the state thresholds, CPU states
/// per VM, datastore use, vCPUs on pCPUs when traced) and the event log. No script, no
/// external resource. Checks from hidden/ show only what students may read.
public enum HTMLReport {
    public static func render(_ r: GradeResult) -> String {
        let esc = SVGChart.esc
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(esc(r.lab)) — HyperLab report</title>
            <style>\(css)</style></head><body>
            <h1>\(esc(r.lab))\(r.submission.map { " · " + esc($0) } ?? "")</h1>
            <p class="score \(r.status.rawValue)">\(JSON.number(r.score)) / \(JSON.number(r.maxScore)) points · \(r.status.rawValue)</p>
            <p class="meta">\(Reproducibility.fields(r).sorted { $0.key < $1.key }.map { "\(esc($0.key)) <code>\(esc($0.value))</code>" }.joined(separator: " · "))</p>

            """
        if let p = StudentView.submissionProblems(r) { h += "<p class=\"error\">Your submission could not be used: \(esc(p))</p>\n" }
        if let e = StudentView.scriptError(r) { h += "<p class=\"error\">The lab stopped early: \(esc(e))</p>\n" }
        h += "<h2>Checks</h2>\n<table class=\"checks\"><tr><th></th><th>Check</th><th>Points</th><th>Details</th></tr>\n"
        for c in r.run.checks {
            let mark = c.status == .passed ? "✓" : c.status == .skipped ? "–" : "✗"
            let details = c.hidden ? StudentView.details(c)
                : c.status == .passed ? (c.output.isEmpty ? "" : "output:\n" + c.output)
                : JUnitReport.detail(c) + (c.output.isEmpty ? "" : "\noutput:\n" + c.output)
            h += "<tr class=\"\(c.status.rawValue)\"><td>\(mark)</td><td>\(esc((c.number.map { $0 + " " } ?? "") + c.name))</td>"
            h += "<td>\(JSON.number(c.score))/\(JSON.number(c.points))</td><td><pre>\(esc(Truncate.text(details, limit: 4096)))</pre></td></tr>\n"
        }
        h += "</table>\n"
        if let charts = r.run.charts { h += chartsSection(charts) }
        h += "</body></html>\n"
        return h
    }

    static func chartsSection(_ c: RunCharts) -> String {
        let esc = SVGChart.esc
        var h = ""
        if !c.hosts.isEmpty { h += "<h2>Host memory</h2>\n" }
        for host in c.hosts {
            func s(_ n: String) -> [Double] { host.series.first { $0.name == n }?.values ?? [] }
            let layers = [
                SVGChart.Layer(name: "consumed", color: "#2f6db5", values: s("memory.consumed")),
                SVGChart.Layer(name: "free", color: "#d5e4f5", values: s("memory.free")),
                SVGChart.Layer(name: "shared (saved)", color: "#27ae60", values: s("memory.shared_saved")),
                SVGChart.Layer(name: "ballooned", color: "#e67e22", values: s("memory.ballooned")),
                SVGChart.Layer(name: "compressed", color: "#8e44ad", values: s("memory.compressed")),
                SVGChart.Layer(name: "swapped", color: "#c0392b", values: s("memory.swapped")),
            ]
            // a state begins when free memory falls below its edge: consumed + overhead
            // reaches capacity − edge
            let names = ["high", "clear", "soft", "hard"]
            let lines = host.thresholds.enumerated().map { i, edge in
                SVGChart.Line(value: host.capacity - edge, label: "\(names[i]) below", color: ["#7f8c8d", "#16a085", "#d35400", "#c0392b"][i])
            }
            h += "<h3>\(esc(host.name)) — \(esc(Units.formatBytes(host.capacity)))</h3>\n"
            h += "<p class=\"note\">Consumed and free memory fill the host's capacity; reclaimed memory (shared, ballooned, compressed, swapped) is stacked above it. Dashed lines: the consumed level at which each state begins.</p>\n"
            h += SVGChart.stackedArea(times: host.times, layers: layers, lines: lines, yMax: host.capacity) { Units.formatBytes($0) } + "\n"
        }
        if !c.vms.isEmpty {
            h += "<h2>CPU states per VM</h2>\n<div class=\"grid\">\n"
            for vm in c.vms {
                func s(_ n: String) -> [Double] { vm.series.first { $0.name == n }?.values ?? [] }
                h += "<div><h3>\(esc(vm.name)) on \(esc(vm.host))</h3>\n"
                h += SVGChart.stackedArea(
                    times: vm.times,
                    layers: [SVGChart.Layer(name: "%RUN", color: "#27ae60", values: s("cpu.run")),
                             SVGChart.Layer(name: "%RDY", color: "#e67e22", values: s("cpu.ready")),
                             SVGChart.Layer(name: "%CSTP", color: "#c0392b", values: s("cpu.costop")),
                             SVGChart.Layer(name: "%WAIT", color: "#d5dbe3", values: s("cpu.wait"))],
                    yMax: 100) { String(format: "%.0f %%", $0) } + "</div>\n"
            }
            h += "</div>\n"
        }
        if !c.datastores.isEmpty {
            h += "<h2>Datastores</h2>\n<p class=\"note\">Dark: used; light: provisioned; red marks: the 75 % and 85 % usage alarms.</p>\n"
            h += SVGChart.bars(c.datastores.map { ($0.name, $0.used, $0.provisioned, $0.capacity) }, markers: [0.75, 0.85]) { Units.formatBytes($0) } + "\n"
        }
        for g in c.gantts {
            h += "<h2>vCPUs on pCPUs — \(esc(g.host))</h2>\n<p class=\"note\">The first second the host scheduled; hover a bar for its VM and vCPU.</p>\n"
            h += SVGChart.gantt(pcpus: g.pcpus, segments: g.segments.map { ($0.pcpu, $0.vm, $0.vcpu, $0.start, $0.end) }) + "\n"
        }
        if !c.events.isEmpty {
            h += "<h2>Event log</h2>\n<p class=\"note\">\(c.eventsTotal) events\(c.eventsTotal > c.events.count ? ", the first \(c.events.count) shown" : "").</p>\n"
            h += "<table class=\"events\"><tr><th>Time</th><th>Kind</th><th>Subject</th><th>Message</th></tr>\n"
            for e in c.events {
                h += "<tr><td>\(esc(Units.formatSeconds(e.time)))</td><td>\(esc(e.kind))</td><td>\(esc(e.subject))</td><td>\(esc(e.message))</td></tr>\n"
            }
            h += "</table>\n"
        }
        return h
    }

    static let css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1d2733;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde3ea}
        h3{font-size:14px;margin:12px 0 4px}.score{font-size:18px;font-weight:600}.score.passed{color:#1e8449}
        .score.failed,.score.error{color:#b03a2e}.meta{color:#5d6d7e;font-size:12px}.error{color:#b03a2e}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e8ec;padding:4px 6px;text-align:left;vertical-align:top}
        tr.passed td:first-child{color:#1e8449}tr.failed td:first-child,tr.error td:first-child,tr.timeout td:first-child{color:#b03a2e}
        pre{margin:0;white-space:pre-wrap;font-size:12px}.events td{font-size:12px}.note{color:#5d6d7e;font-size:12px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:8px}.grid svg{width:100%;height:auto}
        svg .lbl{font:11px system-ui,sans-serif;fill:#34495e}
        """
}
