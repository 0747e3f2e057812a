import Foundation

/// Small SVG builders for the HTML report: stacked areas with reference lines, bars and
/// Gantt lanes. Output is deterministic (fixed precision), self-contained, no script.
enum SVGChart {
    struct Layer {
        var name: String
        var color: String
        var values: [Double]
    }

    struct Line {
        var value: Double
        var label: String
        var color: String
    }

    static let width = 720.0
    static let height = 220.0
    static let left = 64.0, right = 150.0, top = 12.0, bottom = 28.0

    /// Layers stacked bottom-up over `times`, horizontal reference lines, a legend.
    static func stackedArea(times: [Double], layers: [Layer], lines: [Line] = [], yMax: Double? = nil,
                            yLabel: (Double) -> String) -> String {
        guard times.count >= 2 else { return "<p class=\"empty\">Not enough samples to draw.</p>" }
        let t0 = times.first!, t1 = max(times.last!, t0 + 1e-9)
        var tops = [Double](repeating: 0, count: times.count)
        var stacked: [(Layer, [Double], [Double])] = []
        for layer in layers {
            let bottom = tops
            for i in 0..<times.count { tops[i] += i < layer.values.count ? max(0, layer.values[i]) : 0 }
            stacked.append((layer, bottom, tops))
        }
        let highest = max(yMax ?? 0, tops.max() ?? 0, lines.map(\.value).max() ?? 0) * 1.05
        let ymax = highest > 0 ? highest : 1
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotW }
        func y(_ v: Double) -> Double { SVGChart.top + plotH - v / ymax * plotH }
        var svg = open()
        for (layer, lo, hi) in stacked {
            var d = "M\(f(x(times[0]))),\(f(y(hi[0])))"
            for i in 1..<times.count { d += "L\(f(x(times[i]))),\(f(y(hi[i])))" }
            for i in stride(from: times.count - 1, through: 0, by: -1) { d += "L\(f(x(times[i]))),\(f(y(lo[i])))" }
            svg += "<path d=\"\(d)Z\" fill=\"\(layer.color)\" fill-opacity=\"0.85\" stroke=\"none\"><title>\(esc(layer.name))</title></path>"
        }
        for (i, l) in lines.enumerated() {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(l.value)))\" y2=\"\(f(y(l.value)))\" stroke=\"\(l.color)\" stroke-dasharray=\"5 3\"/>"
            // labels of close lines are spread along the line so they do not overlap
            let lx = left + 6 + Double(i) * (plotW - 12) / Double(max(1, lines.count))
            svg += "<text x=\"\(f(lx))\" y=\"\(f(y(l.value) - 3))\" class=\"lbl\" fill=\"\(l.color)\">\(esc(l.label))</text>"
        }
        svg += axes(t0: t0, t1: t1, ymax: ymax, yLabel: yLabel)
        svg += legend(layers.map { ($0.name, $0.color) })
        return svg + "</svg>"
    }

    /// One horizontal bar per item: used, provisioned beyond used, markers at fractions.
    static func bars(_ items: [(name: String, used: Double, provisioned: Double, capacity: Double)], markers: [Double],
                     label: (Double) -> String) -> String {
        let rowH = 26.0
        let h = Double(items.count) * rowH + 24
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(h))\" width=\"\(f(width))\" height=\"\(f(h))\">"
        let plotW = width - left - right
        for (i, it) in items.enumerated() {
            let yy = 8 + Double(i) * rowH
            let cap = max(it.capacity, 1)
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 14))\" text-anchor=\"end\" class=\"lbl\">\(esc(it.name))</text>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(yy))\" width=\"\(f(plotW))\" height=\"18\" fill=\"#eef1f5\" stroke=\"#c8ced8\"/>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(yy))\" width=\"\(f(min(1.5, it.provisioned / cap) * plotW))\" height=\"18\" fill=\"#b9d3f0\"/>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(yy))\" width=\"\(f(min(1.0, it.used / cap) * plotW))\" height=\"18\" fill=\"#2f6db5\"/>"
            for m in markers {
                svg += "<line x1=\"\(f(left + m * plotW))\" x2=\"\(f(left + m * plotW))\" y1=\"\(f(yy - 2))\" y2=\"\(f(yy + 20))\" stroke=\"#c0392b\"/>"
            }
            svg += "<text x=\"\(f(left + plotW + 6))\" y=\"\(f(yy + 14))\" class=\"lbl\">\(esc(label(it.used))) of \(esc(label(it.capacity)))</text>"
        }
        return svg + "</svg>"
    }

    /// Lanes of pCPUs with a bar per time a vCPU ran on them, colored by VM.
    static func gantt(pcpus: Int, segments: [(pcpu: Int, vm: String, vcpu: Int, start: Double, end: Double)]) -> String {
        guard let t0 = segments.map(\.start).min(), let t1 = segments.map(\.end).max(), t1 > t0 else {
            return "<p class=\"empty\">No scheduling trace.</p>"
        }
        let vms = Array(Set(segments.map(\.vm))).sorted()
        let laneH = 22.0
        let h = Double(pcpus) * laneH + bottom + 8
        let plotW = width - left - right
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(h))\" width=\"\(f(width))\" height=\"\(f(h))\">"
        for p in 1...pcpus {
            let yy = 4 + Double(p - 1) * laneH
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 14))\" text-anchor=\"end\" class=\"lbl\">pCPU \(p)</text>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(yy))\" width=\"\(f(plotW))\" height=\"18\" fill=\"#f4f6f9\"/>"
        }
        for s in segments {
            let x0 = left + (s.start - t0) / (t1 - t0) * plotW
            let w = max(0.5, (s.end - s.start) / (t1 - t0) * plotW)
            let color = palette[(vms.firstIndex(of: s.vm) ?? 0) % palette.count]
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(4 + Double(s.pcpu - 1) * laneH))\" width=\"\(f(w))\" height=\"18\" fill=\"\(color)\"><title>\(esc(s.vm)) vCPU \(s.vcpu)</title></rect>"
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(h - 8))\" class=\"lbl\">\(esc(fmtTime(t0)))</text>"
        svg += "<text x=\"\(f(left + plotW))\" y=\"\(f(h - 8))\" text-anchor=\"end\" class=\"lbl\">\(esc(fmtTime(t1)))</text>"
        svg += legend(vms.enumerated().map { ($0.element, palette[$0.offset % palette.count]) })
        return svg + "</svg>"
    }

    static let palette = ["#2f6db5", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#d35400", "#7f8c8d", "#f1c40f", "#2c3e50"]

    private static func open() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\">"
    }

    private static func axes(t0: Double, t1: Double, ymax: Double, yLabel: (Double) -> String) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        var s = "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#99a\"/>"
        for k in 0...4 {
            let v = ymax * Double(k) / 4
            let yy = top + plotH - plotH * Double(k) / 4
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(yy + 4))\" text-anchor=\"end\" class=\"lbl\">\(esc(yLabel(v)))</text>"
            let t = t0 + (t1 - t0) * Double(k) / 4
            s += "<text x=\"\(f(left + plotW * Double(k) / 4))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" class=\"lbl\">\(esc(fmtTime(t)))</text>"
        }
        return s
    }

    private static func legend(_ items: [(String, String)]) -> String {
        var s = ""
        for (i, (name, color)) in items.prefix(12).enumerated() {
            let yy = top + Double(i) * 16
            s += "<rect x=\"\(f(width - right + 10))\" y=\"\(f(yy))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            s += "<text x=\"\(f(width - right + 24))\" y=\"\(f(yy + 9))\" class=\"lbl\">\(esc(name))</text>"
        }
        return s
    }

    static func fmtTime(_ s: Double) -> String {
        if s >= 3600 { return String(format: "%.1f h", s / 3600) }
        if s >= 120 { return String(format: "%.0f min", s / 60) }
        return String(format: "%.0f s", s)
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
