import Foundation

/// Axes at round values ("nice numbers", after Heckbert's Graphics Gems algorithm):
/// 0/25/50/75/100 %, 0/2/4/6/8 GiB, 0/5/10/15 min. A value axis starts at 0 and ends at
/// the smallest round top at or above the largest value; a time axis marks round times
/// inside the span drawn, in the unit that suits the span.
struct ChartAxis {
    /// The value at the top (or the right end) of the axis.
    var top: Double
    /// The lowest value (a time axis may not start at 0).
    var bottom: Double = 0
    var ticks: [Double]
    var labels: [String]
    /// A time axis's unit in seconds and its name ("min"), so titles over it can use it.
    var unit: (seconds: Double, name: String) = (1, "")

    /// A time in this time axis's unit, as its labels write it: "300.5 s", "12 min".
    func time(_ t: Double) -> String { ChartAxis.trimmed(String(format: "%.3f", t / unit.seconds)) + " " + unit.name }

    /// Steps a value axis may use, per power of ten: 1, 2, 2.5, 5.
    static let decimalSteps: [Double] = [1, 2, 2.5, 5]

    /// A value axis from 0 to a round top at or above `max`, with 3 to 6 intervals: the
    /// lowest such top wins, then the count nearest 4. `binary` also allows power-of-two
    /// steps (memory sizes: 0/16/32/48/64 GiB).
    static func step(for max: Double, binary: Bool) -> (step: Double, top: Double) {
        guard max > 0, max.isFinite else { return (0.25, 1) }
        var candidates: [Double] = []
        let k = floor(log10(max))
        for e in stride(from: k - 2, through: k + 1, by: 1) { for m in decimalSteps { candidates.append(m * pow(10, e)) } }
        if binary { for e in -4...14 { candidates.append(pow(2, Double(e))) } }
        var best: (step: Double, top: Double, n: Int)?
        for s in candidates.sorted() {
            let n = Int((max / s - 1e-9).rounded(.up))
            guard (3...6).contains(n) else { continue }
            let top = Double(n) * s
            if let b = best {
                let better = top < b.top - 1e-9 * top || (abs(top - b.top) <= 1e-9 * top && abs(n - 4) < abs(b.n - 4))
                if !better { continue }
            }
            best = (s, top, n)
        }
        if let b = best { return (b.step, b.top) }
        let s = pow(10, k)  // unreachable for positive finite values; kept total
        return (s, (max / s).rounded(.up) * s)
    }

    /// Percent, 0 to `max` (100 for CPU states): 0/25/50/75/100 %.
    static func percent(max: Double = 100) -> ChartAxis {
        let (s, top) = step(for: Swift.max(max, 1e-9), binary: false)
        let ticks = stride(from: 0.0, through: top + s / 2, by: s).map { $0 }
        return ChartAxis(top: top, ticks: ticks, labels: ticks.map { number($0, step: s) + " %" })
    }

    /// Bytes, in the binary unit that suits `max`: 0/2/4/6/8 GiB.
    static func bytes(max: Double) -> ChartAxis {
        let units: [(Double, String)] = [(1, "B"), (1024, "KiB"), (1_048_576, "MiB"), (1_073_741_824, "GiB"), (1_099_511_627_776, "TiB")]
        let m = Swift.max(max, 1)
        let (unit, name) = units.last { m / $0.0 >= 1 } ?? units[0]
        let (s, top) = step(for: m / unit, binary: true)
        let ticks = stride(from: 0.0, through: top + s / 2, by: s).map { $0 }
        return ChartAxis(top: top * unit, ticks: ticks.map { $0 * unit }, labels: ticks.map { number($0, step: s) + " " + name })
    }

    /// Simulated time from `t0` to `t1` seconds: round times in s, min or h, 3 to 8 marks,
    /// as near 6 as the steps allow.
    /// A span that starts near 0 (within a tenth of it) is drawn from 0.
    static func time(from t0: Double, to t1: Double) -> ChartAxis {
        var lo = t0
        let hi = Swift.max(t1, t0 + 1e-6)
        if lo > 0 && lo <= (hi - lo) * 0.1 { lo = 0 }
        let span = hi - lo
        let (unit, name): (Double, String) = span >= 7200 ? (3600, "h") : span >= 120 ? (60, "min") : (1, "s")
        let a = lo / unit, b = hi / unit
        var candidates: [Double] = []
        let k = floor(log10(b - a))
        for e in stride(from: k - 2, through: k + 1, by: 1) { for m in [1.0, 2, 5] { candidates.append(m * pow(10, e)) } }
        candidates += unit == 3600 ? [3, 6, 12] : [15, 30]  // clock steps: 3 h, 15 min, 30 s
        func marks(_ s: Double) -> [Double] {
            let first = (a / s - 1e-9).rounded(.up), last = (b / s + 1e-9).rounded(.down)
            guard last >= first else { return [] }
            return stride(from: first, through: last, by: 1).map { $0 * s }
        }
        var best: (Double, [Double])?
        for s in candidates.sorted() {
            let m = marks(s)
            guard (3...8).contains(m.count) else { continue }
            if let cur = best, abs(cur.1.count - 6) <= abs(m.count - 6) { continue }
            best = (s, m)
        }
        let (s, ticks) = best ?? ((b - a), [a, b])
        return ChartAxis(top: hi, bottom: lo, ticks: ticks.map { $0 * unit }, labels: ticks.map { number($0, step: s) + " " + name },
                         unit: (unit, name))
    }

    /// A tick value with the decimals its step needs (2.5 → one, 0.25 → two), trailing
    /// zeros dropped: 0, 2.5, 5, 7.5.
    static func number(_ v: Double, step: Double) -> String {
        var digits = 0
        while digits < 4 && abs(step * pow(10, Double(digits)) - (step * pow(10, Double(digits))).rounded()) > 1e-6 { digits += 1 }
        return trimmed(String(format: "%.\(digits)f", v))
    }

    /// A time as the report writes it in titles: "5 min", "300.2 s", "1.5 h".
    static func moment(_ t: Double) -> String {
        if t >= 7200 { return trimmed(String(format: "%.2f", t / 3600)) + " h" }
        if t >= 120 { return trimmed(String(format: "%.2f", t / 60)) + " min" }
        return trimmed(String(format: "%.3f", t)) + " s"
    }

    static func trimmed(_ s: String) -> String {
        var s = s
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}
