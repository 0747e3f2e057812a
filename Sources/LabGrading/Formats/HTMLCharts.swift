import Foundation
import HyperModel
import LabRuntime

/// The charts section of the HTML report, for one view: what `RunCharts` chose for it,
/// section by section, each with its notes (objects left out as unchanged or beyond the
/// cap), then the event log about those objects.
enum HTMLCharts {
    static func render(_ c: RunCharts, view: RunCharts.Views) -> String {
        let esc = SVGChart.esc
        var h = ""
        func notes(_ section: String) {
            for n in c.notes(section, view) { h += "<p class=\"note\">\(esc(n))</p>\n" }
            h += steadyTable(RunCharts.visible(c.steady, view, \.views).filter { $0.section == section }, section)
        }
        func has(_ section: String) -> Bool {
            !c.notes(section, view).isEmpty || c.steady.contains { $0.section == section && $0.views.contains(view) }
        }
        let hostMemory = RunCharts.visible(c.hostMemory, view, \.views)
        let hostCPU = RunCharts.visible(c.hostCPU, view, \.views)
        let vmCPU = RunCharts.visible(c.vmCPU, view, \.views)
        let vmMemory = RunCharts.visible(c.vmMemory, view, \.views)
        let datastores = RunCharts.visible(c.datastores, view, \.views)
        let gantts = RunCharts.visible(c.gantts, view, \.views)
        let drawn = hostMemory.count + hostCPU.count + vmCPU.count + vmMemory.count + datastores.count + gantts.count
        let rule = c.notes("selection", view).first ?? ""
        h += "<h2>Charts</h2>\n<p class=\"note\">Drawn: the hosts, VMs and datastores \(esc(rule)); values that never changed are listed in a table, not drawn.\(drawn == 0 ? " Nothing to draw." : "")</p>\n"

        if !hostMemory.isEmpty || has("host memory") { h += "<h2>Host memory</h2>\n" }
        for m in hostMemory {
            h += "<h3>\(esc(m.name)) — \(esc(Units.formatBytes(m.capacity))) of machine memory</h3>\n"
            h += "<p class=\"note\">Consumed and free memory fill the host's capacity. Dashed lines: the consumed level at which each free-memory state begins.</p>\n"
            let series = [("consumed", "#2f6db5"), ("free", "#d5e4f5")].enumerated().map { i, n in
                SVGChart.Layer(name: n.0, color: n.1, values: i < m.series.count ? m.series[i].values : [])
            }
            let names = ["high", "clear", "soft", "hard"], colors = ["#7f8c8d", "#16a085", "#d35400", "#c0392b"]
            let lines = m.thresholds.enumerated().compactMap { i, edge in
                i < names.count ? SVGChart.Line(value: m.capacity - edge, label: names[i], color: colors[i]) : nil
            }
            h += SVGChart.stackedArea("host-memory", times: m.times, layers: series, y: .bytes(max: m.capacity), lines: lines) + "\n"
            h += SVGChart.legend(series.map { ($0.name, $0.color) }) + "\n"
            if !m.reclaimed.isEmpty {
                let layers = m.reclaimed.map { s in
                    SVGChart.Layer(name: reclaimNames[s.name] ?? s.name, color: reclaimColors[s.name] ?? "#7f8c8d", values: s.values)
                }
                let peak = m.times.indices.map { i in layers.reduce(0) { $0 + (i < $1.values.count ? max(0, $1.values[i]) : 0) } }.max() ?? 0
                h += "<h3>\(esc(m.name)) — memory reclaimed from its VMs</h3>\n"
                h += SVGChart.stackedArea("host-reclaimed", times: m.times, layers: layers, y: .bytes(max: peak)) + "\n"
                h += SVGChart.legend(layers.map { ($0.name, $0.color) }) + "\n"
            }
        }
        notes("host memory")

        if !hostCPU.isEmpty || has("host cpu") { h += "<h2>Host CPU</h2>\n" }
        for m in hostCPU {
            h += "<h3>\(esc(m.name)) — \(m.pcpus) pCPU\(m.pcpus == 1 ? "" : "s")</h3>\n"
            h += SVGChart.stackedArea("host-cpu", times: m.times, layers: [SVGChart.Layer(name: "used", color: "#2f6db5", values: m.used)],
                                      y: .percent()) + "\n"
        }
        notes("host cpu")

        if !vmCPU.isEmpty || has("vm cpu") {
            h += "<h2>CPU states per VM</h2>\n"
            if !vmCPU.isEmpty { h += SVGChart.legend(cpuStates.map { ($0.1, $0.2) }) + "\n" }
            h += "<div class=\"grid\">\n"
            for m in vmCPU {
                let layers = cpuStates.compactMap { key, name, color in
                    m.series.first { $0.name == key }.map { SVGChart.Layer(name: name, color: color, values: $0.values) }
                }
                h += "<div><h3>\(esc(m.name)) on \(esc(m.host)) · \(m.vcpus) vCPU\(m.vcpus == 1 ? "" : "s")</h3>\n"
                h += SVGChart.stackedArea("vm-cpu", times: m.times, layers: layers, y: .percent()) + "</div>\n"
            }
            h += "</div>\n"
        }
        notes("vm cpu")

        if !vmMemory.isEmpty || has("vm memory") {
            h += "<h2>VM memory</h2>\n"
            if !vmMemory.isEmpty { h += SVGChart.legend(vmMemoryLines.map { ($0.1, $0.2) } + [("configured (dashed)", "#34495e")]) + "\n" }
            h += "<div class=\"grid\">\n"
            for m in vmMemory {
                let lines = vmMemoryLines.compactMap { key, name, color in
                    m.series.first { $0.name == key }.map { SVGChart.Layer(name: name, color: color, values: $0.values) }
                }
                h += "<div><h3>\(esc(m.name)) on \(esc(m.host)) · \(esc(Units.formatBytes(m.configured))) configured</h3>\n"
                h += SVGChart.lines("vm-memory", times: m.times, series: lines, y: .bytes(max: m.configured),
                                    lines: [SVGChart.Line(value: m.configured, label: "", color: "#34495e")]) + "</div>\n"
            }
            h += "</div>\n"
        }
        notes("vm memory")

        if !datastores.isEmpty {
            h += "<h2>Datastores</h2>\n<p class=\"note\">Each box is the datastore's capacity. Dark: used; light: provisioned (thin disks at full size; a red end when provisioned exceeds capacity); dashed marks: the 75 % and 85 % usage alarms.</p>\n"
            h += SVGChart.bars(datastores.map { ($0.name, $0.used, $0.provisioned, $0.capacity) }, markers: [0.75, 0.85]) { Units.formatBytes($0) } + "\n"
        }
        notes("datastores")

        for g in gantts {
            let vms = Array(Set(g.segments.map(\.vm))).sorted()
            let colors = Dictionary(uniqueKeysWithValues: vms.enumerated().map { ($0.element, SVGChart.palette[$0.offset % SVGChart.palette.count]) })
            // the title writes the window in the unit its axis uses, so the two agree
            let axis = ChartAxis.time(from: g.from, to: g.to)
            h += "<h2>vCPUs on pCPUs — \(esc(g.host)), \(esc(axis.time(g.from))) to \(esc(axis.time(g.to)))</h2>\n"
            h += "<p class=\"note\">The first \(esc(ChartAxis.moment(g.to - g.from))) the host scheduled; hover a bar for its VM and vCPU.</p>\n"
            h += SVGChart.gantt(pcpus: g.pcpus, from: g.from, to: g.to, segments: g.segments.map { ($0.pcpu, $0.vm, $0.vcpu, $0.start, $0.end) },
                                colors: colors) + "\n"
            h += SVGChart.legend(vms.map { ($0, colors[$0]!) }) + "\n"
        }
        notes("gantt")

        let events = RunCharts.visible(c.events, view, \.views)
        if !events.isEmpty {
            h += "<h2>Event log</h2>\n"
            notes("events")
            h += "<table class=\"events\"><tr><th>Time</th><th>Kind</th><th>Subject</th><th>Message</th></tr>\n"
            for e in events {
                h += "<tr><td>\(esc(Units.formatSeconds(e.time)))</td><td>\(esc(e.kind))</td><td>\(esc(e.subject))</td><td>\(esc(e.message))</td></tr>\n"
            }
            h += "</table>\n"
        }
        return h
    }

    /// Objects whose values never changed, one row each with those values (VMs of one
    /// host with the same values share a row); those never sampled in one line.
    static func steadyTable(_ rows: [RunCharts.Steady], _ section: String) -> String {
        guard !rows.isEmpty, let columns = RunCharts.columns[section] else { return "" }
        let esc = SVGChart.esc
        let percent = section.hasSuffix("cpu")
        var h = ""
        var groups: [SteadyRow] = []
        for r in rows {
            guard let values = r.values else { continue }
            let cells: [String] = values.map { v in percent ? Units.trim((v * 10).rounded() / 10) + " %" : Units.formatBytes(v) }
            if r.host != nil, let i = groups.firstIndex(where: { $0.host == r.host && $0.cells == cells }) {
                groups[i].names.append(r.name)
            } else {
                groups.append(SteadyRow(names: [r.name], host: r.host, cells: cells))
            }
        }
        if !groups.isEmpty {
            let withHost = groups.contains { $0.host != nil }
            h += "<table class=\"steady\"><tr><th>Unchanged throughout</th>" + (withHost ? "<th>Host</th>" : "")
            for c in columns { h += "<th>" + esc(columnNames[c] ?? c) + "</th>" }
            h += "</tr>\n"
            for g in groups {
                h += "<tr><td>" + esc(g.label) + "</td>" + (g.host.map { "<td>" + esc($0) + "</td>" } ?? "")
                for c in g.cells { h += "<td>" + esc(c) + "</td>" }
                h += "</tr>\n"
            }
            h += "</table>\n"
        }
        let never: [String] = rows.filter { $0.values == nil }.map(\.name)
        if !never.isEmpty {
            let more = never.count > 12 ? " and \(never.count - 12) more" : ""
            h += "<p class=\"note\">Not running long enough to be sampled: " + esc(never.prefix(12).joined(separator: ", ") + more) + ".</p>\n"
        }
        return h
    }

    private struct SteadyRow {
        var names: [String]
        var host: String?
        var cells: [String]
        var label: String { names.count == 1 ? names[0] : "\(names[0]) … \(names[names.count - 1]) (\(names.count))" }
    }

    static let columnNames: [String: String] = [
        "cpu.run": "%RUN", "cpu.ready": "%RDY", "cpu.costop": "%CSTP", "cpu.wait": "%WAIT", "cpu.used": "used",
        "memory.consumed": "consumed", "memory.free": "free", "memory.active": "active", "memory.shared": "shared",
        "memory.ballooned": "ballooned", "memory.compressed": "compressed", "memory.swapped": "swapped",
    ]

    static let cpuStates = [("cpu.run", "%RUN", "#27ae60"), ("cpu.ready", "%RDY", "#e67e22"), ("cpu.costop", "%CSTP", "#c0392b"),
                            ("cpu.wait", "%WAIT", "#d5dbe3")]
    static let vmMemoryLines = [("memory.consumed", "consumed", "#2f6db5"), ("memory.active", "active", "#27ae60"),
                                ("memory.shared", "shared", "#16a085"), ("memory.ballooned", "ballooned", "#e67e22"),
                                ("memory.compressed", "compressed", "#8e44ad"), ("memory.swapped", "swapped", "#c0392b")]
    static let reclaimNames = ["memory.shared_saved": "saved by sharing", "memory.ballooned": "ballooned",
                               "memory.compressed": "compressed", "memory.swapped": "swapped"]
    static let reclaimColors = ["memory.shared_saved": "#27ae60", "memory.ballooned": "#e67e22",
                                "memory.compressed": "#8e44ad", "memory.swapped": "#c0392b"]
}
