import Foundation

/// A quantity string that could not be read; `message` says what was expected.
public struct UnitError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Parsing and formatting of the quantities labs use. Sizes are binary as in vSphere
/// (KB = KiB = 1024 bytes); cycles and frequencies are decimal (1 GHz = 1000 MHz).
public enum Units {
    public static let KiB: Int64 = 1 << 10
    public static let MiB: Int64 = 1 << 20
    public static let GiB: Int64 = 1 << 30
    public static let TiB: Int64 = 1 << 40
    public static let pageSize: Int64 = 4096

    /// Splits "1.5 GiB" into (1.5, "gib"): a decimal number (sign, digits, fraction,
    /// exponent) and the lowercased unit after it. Spaces around the unit are optional.
    static func split(_ text: String) -> (Double, String)? {
        let b = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            return i - start
        }
        while i < b.count, b[i] == 32 { i += 1 }
        let start = i
        if i < b.count, b[i] == 45 || b[i] == 43 { i += 1 }  // - +
        var n = digits()
        if i < b.count, b[i] == 46 { i += 1; n += digits() }  // .
        guard n > 0 else { return nil }
        if i + 1 < b.count, b[i] == 101 || b[i] == 69 {  // e E, only when digits follow
            let save = i
            i += 1
            if i < b.count, b[i] == 45 || b[i] == 43 { i += 1 }
            if digits() == 0 { i = save }
        }
        guard let value = Double(String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
        let unit = String(decoding: b[i...], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
        return (value, unit)
    }

    // MARK: sizes

    static let sizeUnits: [String: Int64] = [
        "": 1, "b": 1, "byte": 1, "bytes": 1,
        "k": KiB, "kb": KiB, "kib": KiB,
        "m": MiB, "mb": MiB, "mib": MiB,
        "g": GiB, "gb": GiB, "gib": GiB,
        "t": TiB, "tb": TiB, "tib": TiB,
    ]

    /// Bytes from "512 MiB", "4 GiB", "4GB", "1.5 TB". Negative sizes are refused.
    public static func parseBytes(_ text: String) throws -> Int64 {
        let hint = "use e.g. \"4 GiB\", \"512 MiB\" or a number of bytes"
        // a bare number in a string is ambiguous (bytes? MiB?), except zero
        guard let (value, unit) = split(text), let mult = sizeUnits[unit], unit != "" || value == 0 else {
            throw UnitError("\"\(text)\" is not a size (\(hint))")
        }
        guard value >= 0 else { throw UnitError("\"\(text)\" is a negative size") }
        let bytes = value * Double(mult)
        guard bytes < 9.0e18 else { throw UnitError("\"\(text)\" is too large") }
        return Int64(bytes.rounded())
    }

    // MARK: durations

    static let timeUnits: [String: Double] = [
        "us": 1e-6, "µs": 1e-6, "usec": 1e-6,
        "ms": 1e-3, "msec": 1e-3,
        "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
        "min": 60, "mins": 60, "minute": 60, "minutes": 60,
        "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
        "d": 86400, "day": 86400, "days": 86400,
    ]

    /// Seconds from "50 ms", "10 s", "5 min", "2 h".
    public static func parseSeconds(_ text: String) throws -> Double {
        guard let (value, unit) = split(text), let mult = timeUnits[unit] else {
            throw UnitError("\"\(text)\" is not a duration (use e.g. \"50 ms\", \"10 s\", \"5 min\", \"2 h\" or a number of seconds)")
        }
        guard value >= 0 else { throw UnitError("\"\(text)\" is a negative duration") }
        return value * mult
    }

    // MARK: frequencies and cycles

    static let frequencyUnits: [String: Double] = ["hz": 1e-6, "khz": 1e-3, "mhz": 1, "ghz": 1000]

    /// MHz from "2.4 GHz", "2400 MHz".
    public static func parseMHz(_ text: String) throws -> Double {
        guard let (value, unit) = split(text), let mult = frequencyUnits[unit] else {
            throw UnitError("\"\(text)\" is not a CPU speed (use e.g. \"2.4 GHz\", \"800 MHz\" or a number of MHz)")
        }
        guard value >= 0 else { throw UnitError("\"\(text)\" is a negative CPU speed") }
        return value * mult
    }

    static let cycleUnits: [String: Double] = [
        "cycles": 1, "cycle": 1, "kcycles": 1e3, "mcycles": 1e6, "gcycles": 1e9, "tcycles": 1e12,
    ]

    /// Cycles from "10 Gcycles", "500 Mcycles".
    public static func parseCycles(_ text: String) throws -> Double {
        guard let (value, unit) = split(text), let mult = cycleUnits[unit] else {
            throw UnitError("\"\(text)\" is not an amount of work (use e.g. \"10 Gcycles\" or \"500 Mcycles\")")
        }
        guard value >= 0 else { throw UnitError("\"\(text)\" is a negative amount of work") }
        return value * mult
    }

    // MARK: rates and percentages

    /// Bytes per second from "200 MB/s", "1 GiB/s", or network style "10 Gbps", "5 Gb/s"
    /// (decimal bits: a lower-case b is a bit, as network speeds are written).
    public static func parseRate(_ text: String) throws -> Double {
        let hint = "use e.g. \"200 MB/s\", \"1 GiB/s\" or \"10 Gb/s\""
        guard let (value, unit) = split(text) else { throw UnitError("\"\(text)\" is not a rate (\(hint))") }
        guard value >= 0 else { throw UnitError("\"\(text)\" is a negative rate") }
        let raw = text.trimmingCharacters(in: .whitespaces)
        let bitPrefixes: [String: Double] = ["": 1, "k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "g": 1e9, "G": 1e9, "T": 1e12]
        for suffix in ["b/s", "bit/s"] where raw.hasSuffix(suffix) {
            let before = raw.dropLast(suffix.count)
            let prefix = before.last.map { $0.isLetter ? String($0) : "" } ?? ""
            if let m = bitPrefixes[prefix] { return value * m / 8 }
        }
        let bits: [String: Double] = ["bps": 1, "kbps": 1e3, "mbps": 1e6, "gbps": 1e9, "kbit/s": 1e3, "mbit/s": 1e6, "gbit/s": 1e9]
        if let b = bits[unit] { return value * b / 8 }
        for suffix in ["/s", "/sec", "ps"] where unit.hasSuffix(suffix) {
            if let mult = sizeUnits[String(unit.dropLast(suffix.count))], !unit.dropLast(suffix.count).isEmpty {
                return value * Double(mult)
            }
        }
        throw UnitError("\"\(text)\" is not a rate (\(hint))")
    }

    /// Percent (0–100) from "65%" or "65 %".
    public static func parsePercent(_ text: String) throws -> Double {
        guard let (value, unit) = split(text), unit == "%" else {
            throw UnitError("\"\(text)\" is not a percentage (use e.g. \"65%\" or a number from 0 to 100)")
        }
        return value
    }

    // MARK: formatting

    /// "4.00 GiB", "512.00 MiB", "100 B".
    public static func formatBytes(_ bytes: Int64) -> String { formatBytes(Double(bytes)) }

    /// A number as people write it: 65, 0.75, 1.5 (no trailing zeros, at most 3 decimals).
    public static func trim(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.3f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    public static func formatBytes(_ bytes: Double) -> String {
        // total: any Double gets a text (NaN and infinities never reach an integer conversion)
        guard bytes.isFinite else { return bytes.isNaN ? "NaN B" : (bytes > 0 ? "inf B" : "-inf B") }
        let a = abs(bytes)
        if a < Double(KiB) { return "\(Int64(bytes.rounded())) B" }
        let (size, name): (Double, String) =
            a >= Double(TiB) ? (Double(TiB), "TiB") : a >= Double(GiB) ? (Double(GiB), "GiB") : a >= Double(MiB) ? (Double(MiB), "MiB") : (Double(KiB), "KiB")
        return fixed2(bytes / size) + " " + name
    }

    /// `x` with two decimals, as "%.2f" (half away from zero), without Foundation's
    /// formatter: the event log formats sizes in the model's hot paths.
    static func fixed2(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e15 else { return String(format: "%.4g", x) }
        let hundredths = Int64((abs(x) * 100).rounded(.toNearestOrAwayFromZero))
        let frac = hundredths % 100
        return (x < 0 && hundredths > 0 ? "-" : "") + String(hundredths / 100) + (frac < 10 ? ".0" : ".") + String(frac)
    }

    /// "250 µs", "50 ms", "1.50 s", "5.0 min", "2.00 h".
    public static func formatSeconds(_ s: Double) -> String {
        let a = abs(s)
        if a == 0 { return "0 s" }
        if a < 1e-3 { return String(format: "%.0f µs", s * 1e6) }
        if a < 1 { return trim(String(format: "%.1f", s * 1e3)) + " ms" }
        if a < 120 { return String(format: "%.2f s", s) }
        if a < 7200 { return String(format: "%.1f min", s / 60) }
        return String(format: "%.2f h", s / 3600)
    }

    /// "2.40 GHz", "800 MHz".
    public static func formatMHz(_ mhz: Double) -> String {
        if abs(mhz) >= 1000 { return String(format: "%.2f GHz", mhz / 1000) }
        // fair mode runs hosts down to 1 Hz: "0 MHz" would hide them
        if mhz != 0 && abs(mhz) < 0.001 { return trim(String(format: "%.1f", mhz * 1e6)) + " Hz" }
        if mhz != 0 && abs(mhz) < 1 { return trim(String(format: "%.1f", mhz * 1e3)) + " kHz" }
        return trim(String(format: "%.1f", mhz)) + " MHz"
    }

    public static func formatRate(_ bytesPerSecond: Double) -> String { formatBytes(bytesPerSecond) + "/s" }

    /// "66.7 %".
    public static func formatPercent(_ p: Double) -> String { String(format: "%.1f %%", p) }

    /// "10.00 Gcycles".
    public static func formatCycles(_ c: Double) -> String {
        if abs(c) >= 1e9 { return String(format: "%.2f Gcycles", c / 1e9) }
        if abs(c) >= 1e6 { return String(format: "%.2f Mcycles", c / 1e6) }
        return String(format: "%.0f cycles", c)
    }

    /// Drops a trailing ".0".
    static func trim(_ s: String) -> String { s.hasSuffix(".0") ? String(s.dropLast(2)) : s }

    /// Rounds bytes up to whole 4 KiB pages, as guest memory is allocated.
    public static func pages(_ bytes: Int64) -> Int64 { (bytes + pageSize - 1) / pageSize * pageSize }
}
