import Foundation
import HyperModel

/// Numbers as check messages show them: in the unit the check declared, with as few
/// digits as read well and as many as it takes for two different values to look
/// different ("2.4 GiB" against "2.41 GiB", never "2.40 GiB" against "2.40 GiB").
enum ValueText {
    /// The units a check can declare (`expect(x, label, unit)`).
    static let units = ["bytes", "seconds", "MHz", "%", "bytes/s", "cycles", "count", "fraction", "number"]

    /// `v` in `unit`, on its own scale (5 B, not 0 KiB); with `other`, with enough
    /// digits to differ from it when they differ.
    static func show(_ v: Double, unit: String?, other: Double? = nil) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "infinity" : "-infinity") }
        let scale = self.scale(for: abs(v), unit: unit)
        var decimals = scale.decimals
        // enough digits that rounding does not misstate the value (1.25 %, not 1.2 %)
        while decimals < 12, roundingError(v, scale, decimals) > 1e-3 { decimals += 1 }
        while true {
            let text = render(v, scale, decimals)
            guard let o = other, o != v, o.isFinite, decimals < 12,
                  text == render(o, self.scale(for: abs(o), unit: unit), decimals) else { return text }
            decimals += 1
        }
    }

    struct Scale {
        var divisor: Double
        var suffix: String
        var decimals: Int
    }

    /// One scale for both values of a comparison, chosen by the larger.
    static func scale(for magnitude: Double, unit: String?) -> Scale {
        let m = magnitude
        switch unit {
        case "bytes", "bytes/s":
            let per = unit == "bytes/s" ? "/s" : ""
            let steps: [(Double, String)] = [(0x1p40, "TiB"), (0x1p30, "GiB"), (0x1p20, "MiB"), (0x1p10, "KiB")]
            for (size, name) in steps where m >= size { return Scale(divisor: size, suffix: " " + name + per, decimals: 2) }
            return Scale(divisor: 1, suffix: " B" + per, decimals: 0)
        case "seconds":
            if m == 0 { return Scale(divisor: 1, suffix: " s", decimals: 0) }
            if m < 1e-3 { return Scale(divisor: 1e-6, suffix: " µs", decimals: 0) }
            if m < 1 { return Scale(divisor: 1e-3, suffix: " ms", decimals: 1) }
            if m < 120 { return Scale(divisor: 1, suffix: " s", decimals: 2) }
            if m < 7200 { return Scale(divisor: 60, suffix: " min", decimals: 1) }
            return Scale(divisor: 3600, suffix: " h", decimals: 2)
        case "MHz":
            // as Units.formatMHz: fair mode runs hosts down to 1 Hz
            if m >= 1000 { return Scale(divisor: 1000, suffix: " GHz", decimals: 2) }
            if m > 0 && m < 0.001 { return Scale(divisor: 1e-6, suffix: " Hz", decimals: 1) }
            if m > 0 && m < 1 { return Scale(divisor: 1e-3, suffix: " kHz", decimals: 1) }
            return Scale(divisor: 1, suffix: " MHz", decimals: 1)
        case "%": return Scale(divisor: 1, suffix: " %", decimals: 1)
        case "cycles":
            if m >= 1e9 { return Scale(divisor: 1e9, suffix: " Gcycles", decimals: 2) }
            if m >= 1e6 { return Scale(divisor: 1e6, suffix: " Mcycles", decimals: 2) }
            return Scale(divisor: 1, suffix: " cycles", decimals: 0)
        case "count": return Scale(divisor: 1, suffix: "", decimals: 0)
        default: return Scale(divisor: 1, suffix: "", decimals: 3)
        }
    }

    static func roundingError(_ v: Double, _ s: Scale, _ decimals: Int) -> Double {
        guard v != 0 else { return 0 }
        let x = v / s.divisor
        let p = pow(10, Double(decimals))
        return abs((x * p).rounded() / p - x) / abs(x)
    }

    /// Fixed decimals with trailing zeros dropped: "3.5 GiB", "4 GiB", "66.7 %".
    static func render(_ v: Double, _ s: Scale, _ decimals: Int) -> String {
        let x = v / s.divisor
        if abs(x) >= 1e15 { return String(format: "%.4g", x) + s.suffix }
        if decimals == 0 || x == x.rounded() { return String(Int64(x.rounded())) + s.suffix }
        var text = String(format: "%.\(decimals)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return text + s.suffix
    }

    /// The value and unit of a quantity string ("4 GiB" → bytes, "2.4 GHz" → MHz), or nil.
    static func parse(_ s: String) -> (Double, String)? {
        if s.contains(where: \.isLetter), let b = try? Units.parseBytes(s) { return (Double(b), "bytes") }
        if let d = try? Units.parseSeconds(s) { return (d, "seconds") }
        if let m = try? Units.parseMHz(s) { return (m, "MHz") }
        if let p = try? Units.parsePercent(s) { return (p, "%") }
        if let r = try? Units.parseRate(s) { return (r, "bytes/s") }
        if let c = try? Units.parseCycles(s) { return (c, "cycles") }
        return nil
    }
}
