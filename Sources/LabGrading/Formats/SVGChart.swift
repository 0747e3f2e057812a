import Foundation

/// Small SVG builders for the HTML report: stacked areas and lines over time with
/// reference lines, datastore bars and Gantt lanes, on `ChartAxis` ticks. Output is
/// deterministic (fixed precision), self-contained and script-free. Legends are HTML
/// (`legend`), so the plot keeps its width. Every chart is `<svg class="chart"
/// data-chart="KIND">`, which tests count.
enum SVGChart {
    struct Layer {
        var name: String
        var color: String
        var values: [Double]
    }

    /// A horizontal reference line with a label at its right end.
    struct Line {
        var value: Double
        var label: String
        var color: String
    }

    static let width = 720.0, height = 190.0
    static let left = 70.0, right = 58.0, top = 10.0, bottom = 24.0
    static var plotW: Double { width - left - right }
    static var plotH: Double { height - top - bottom }

    /// Layers stacked bottom-up over `times`, each painted as one opaque area from 0 to
    /// its running total, the highest first (half the path data of bands). Values above
    /// the axis are clipped to it.
    static func stackedArea(_ kind: String, times: [Double], layers: [Layer], y: ChartAxis, lines: [Line] = []) -> String {
        guard times.count >= 2 else { return "<p class=\"empty\">Not enough samples to draw.</p>" }
        let x = ChartAxis.time(from: times[0], to: times[times.count - 1])
        var totals = [[Double]]()
        var running = [Double](repeating: 0, count: times.count)
        for layer in layers {
            for i in times.indices { running[i] += i < layer.values.count ? max(0, layer.values[i]) : 0 }
            totals.append(running)
        }
        var svg = open(kind, height: height) + grid(x: x, y: y)
        for (layer, total) in zip(layers, totals).reversed() {
            var pts = [(px(times[0], x), py(0, y))]
            pts += times.indices.map { (px(times[$0], x), py(total[$0], y)) }
            pts.append((px(times[times.count - 1], x), py(0, y)))
            svg += "<path d=\"\(path(pts))Z\" fill=\"\(layer.color)\"><title>\(esc(layer.name))</title></path>"
        }
        svg += references(lines, y) + frame()
        return svg + "</svg>"
    }

    /// One line per series over `times`, with reference lines (a VM's configured memory).
    static func lines(_ kind: String, times: [Double], series: [Layer], y: ChartAxis, lines refs: [Line] = []) -> String {
        guard times.count >= 2 else { return "<p class=\"empty\">Not enough samples to draw.</p>" }
        let x = ChartAxis.time(from: times[0], to: times[times.count - 1])
        var svg = open(kind, height: height) + grid(x: x, y: y) + references(refs, y)
        for s in series {
            let pts = times.indices.map { (px(times[$0], x), py($0 < s.values.count ? s.values[$0] : 0, y)) }
            svg += "<path d=\"\(path(pts))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"><title>\(esc(s.name))</title></path>"
        }
        return svg + frame() + "</svg>"
    }

    /// One row per datastore: a box that is its capacity, the provisioned and used space
    /// inside it (provisioned beyond capacity is clipped and said in words), the usage
    /// alarms' marks, and the figures written under the box.
    static func bars(_ items: [(name: String, used: Double, provisioned: Double, capacity: Double)], markers: [Double],
                     label: (Double) -> String) -> String {
        let rowH = 58.0
        let h = Double(items.count) * rowH + 4
        var svg = open("datastores", height: h)
        for (i, it) in items.enumerated() {
            let yy = 4 + Double(i) * rowH
            let cap = max(it.capacity, 1)
            let bar = yy + 4
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(bar + 13))\" text-anchor=\"end\" class=\"lbl\">\(esc(it.name))</text>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(bar))\" width=\"\(f(plotW))\" height=\"18\" fill=\"#eef1f5\"/>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(bar))\" width=\"\(f(min(1, it.provisioned / cap) * plotW))\" height=\"18\" fill=\"#b9d3f0\"><title>provisioned</title></rect>"
            if it.provisioned > cap {
                svg += "<rect x=\"\(f(left + plotW - 6))\" y=\"\(f(bar))\" width=\"6\" height=\"18\" fill=\"#c0392b\"><title>over-subscribed</title></rect>"
            }
            svg += "<rect x=\"\(f(left))\" y=\"\(f(bar))\" width=\"\(f(min(1, it.used / cap) * plotW))\" height=\"18\" fill=\"#2f6db5\"><title>used</title></rect>"
            for m in markers {
                svg += "<line x1=\"\(f(left + m * plotW))\" x2=\"\(f(left + m * plotW))\" y1=\"\(f(bar))\" y2=\"\(f(bar + 18))\" stroke=\"#c0392b\" stroke-dasharray=\"3 2\"/>"
            }
            svg += "<rect x=\"\(f(left))\" y=\"\(f(bar))\" width=\"\(f(plotW))\" height=\"18\" fill=\"none\" stroke=\"#7f8c9a\"/>"
            let over = it.provisioned > cap ? " — over-subscribed" : ""
            let text = "used \(label(it.used)) (\(pct(it.used / cap))) · provisioned \(label(it.provisioned)) (\(pct(it.provisioned / cap)) of capacity\(over)) · capacity \(label(it.capacity))"
            svg += "<text x=\"\(f(left))\" y=\"\(f(bar + 34))\" class=\"lbl\">\(esc(text))</text>"
        }
        return svg + "</svg>"
    }

    /// Lanes of pCPUs with a bar per time a vCPU ran on them, coloured by VM, over the
    /// window `from`…`to` (its axis says so).
    static func gantt(pcpus: Int, from: Double, to: Double, segments: [(pcpu: Int, vm: String, vcpu: Int, start: Double, end: Double)],
                      colors: [String: String]) -> String {
        guard !segments.isEmpty, to > from else { return "<p class=\"empty\">No scheduling trace.</p>" }
        let laneH = 20.0
        let h = top + Double(pcpus) * laneH + bottom
        let x = ChartAxis.time(from: from, to: to)
        var svg = open("gantt", height: h)
        for p in 1...pcpus {
            let yy = top + Double(p - 1) * laneH
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 13))\" text-anchor=\"end\" class=\"lbl\">pCPU \(p)</text>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(yy))\" width=\"\(f(plotW))\" height=\"17\" fill=\"#f4f6f9\"/>"
        }
        for s in segments {
            let x0 = px(s.start, x)
            let w = max(0.5, px(s.end, x) - x0)
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(top + Double(s.pcpu - 1) * laneH))\" width=\"\(f(w))\" height=\"17\" fill=\"\(colors[s.vm] ?? "#7f8c8d")\"><title>\(esc(s.vm)) vCPU \(s.vcpu)</title></rect>"
        }
        svg += xTicks(x, baseline: h - bottom)
        return svg + "</svg>"
    }

    /// An HTML legend: a coloured square and a name per item.
    static func legend(_ items: [(String, String)]) -> String {
        "<p class=\"legend\">" + items.map { "<span><i style=\"background:\($0.1)\"></i>\(esc($0.0))</span>" }.joined() + "</p>"
    }

    static let palette = ["#2f6db5", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#d35400", "#7f8c8d", "#f1c40f", "#2c3e50"]

    // MARK: pieces

    private static func open(_ kind: String, height h: Double) -> String {
        "<svg class=\"chart\" data-chart=\"\(kind)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(h))\" width=\"\(f(width))\" height=\"\(f(h))\">"
    }

    static func px(_ t: Double, _ x: ChartAxis) -> Double { left + (t - x.bottom) / max(x.top - x.bottom, 1e-9) * plotW }
    static func py(_ v: Double, _ y: ChartAxis) -> Double { top + plotH - min(max(v, y.bottom), y.top) / max(y.top, 1e-12) * plotH }

    /// Horizontal grid lines and labels at the value ticks, time labels under the plot.
    private static func grid(x: ChartAxis, y: ChartAxis) -> String {
        var s = ""
        for (v, label) in zip(y.ticks, y.labels) {
            let yy = py(v, y)
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" stroke=\"#e3e7ec\"/>"
            s += "<text x=\"\(f(left - 5))\" y=\"\(f(yy + 4))\" text-anchor=\"end\" class=\"lbl\">\(esc(label))</text>"
        }
        return s + xTicks(x, baseline: top + plotH)
    }

    private static func xTicks(_ x: ChartAxis, baseline: Double) -> String {
        var s = ""
        for (t, label) in zip(x.ticks, x.labels) {
            let xx = px(t, x)
            s += "<line x1=\"\(f(xx))\" x2=\"\(f(xx))\" y1=\"\(f(baseline))\" y2=\"\(f(baseline + 4))\" stroke=\"#99a\"/>"
            s += "<text x=\"\(f(xx))\" y=\"\(f(baseline + 16))\" text-anchor=\"middle\" class=\"lbl\">\(esc(label))</text>"
        }
        return s
    }

    private static func frame() -> String {
        "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#99a\"/>"
    }

    /// Dashed lines with their labels right of the plot, nudged apart so none overlap.
    private static func references(_ lines: [Line], _ y: ChartAxis) -> String {
        var s = ""
        var lastLabel = -Double.infinity
        for l in lines.sorted(by: { $0.value > $1.value }) {
            let yy = py(l.value, y)
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" stroke=\"\(l.color)\" stroke-dasharray=\"5 3\"/>"
            let ly = max(yy + 4, lastLabel + 11)
            lastLabel = ly
            s += "<text x=\"\(f(left + plotW + 4))\" y=\"\(f(ly))\" class=\"lbl\" fill=\"\(l.color)\">\(esc(l.label))</text>"
        }
        return s
    }

    /// Path data through the points, leaving out the middle of runs at one height (flat
    /// stretches cost two points, not one per sample).
    static func path(_ pts: [(Double, Double)]) -> String {
        var d = ""
        let ys = pts.map { f($0.1) }
        for (i, p) in pts.enumerated() {
            if i > 0 && i < pts.count - 1 && ys[i - 1] == ys[i] && ys[i + 1] == ys[i] { continue }
            d += (d.isEmpty ? "M" : "L") + f(p.0) + "," + ys[i]
        }
        return d
    }

    private static func pct(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded())) %" }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
