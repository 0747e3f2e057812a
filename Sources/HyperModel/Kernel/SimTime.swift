/// Simulated time: an integer count of microseconds, so that no rounding of a
/// floating-point clock can make two runs differ.
public struct SimTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }

    public static let zero = SimTime(micros: 0)
    public static let never = SimTime(micros: Int64.max)
    /// The latest time a run may reach (2^60 µs, about 36,000 years): sums of a clock
    /// value and any duration a script may give stay far from `Int64` overflow.
    public static let horizon = SimTime(micros: 1 << 60)

    /// `self + d`, or nil when it would pass the horizon.
    public func adding(_ d: SimTime) -> SimTime? {
        let (sum, overflow) = micros.addingReportingOverflow(d.micros)
        return overflow || sum > SimTime.horizon.micros ? nil : SimTime(micros: sum)
    }

    public static func seconds(_ s: Double) -> SimTime { SimTime(micros: Int64((s * 1e6).rounded())) }
    public static func seconds(_ s: Int64) -> SimTime { SimTime(micros: s * 1_000_000) }
    public static func milliseconds(_ ms: Int64) -> SimTime { SimTime(micros: ms * 1000) }

    public var seconds: Double { Double(micros) / 1e6 }

    public static func < (a: SimTime, b: SimTime) -> Bool { a.micros < b.micros }
    public static func + (a: SimTime, b: SimTime) -> SimTime { SimTime(micros: a.micros + b.micros) }
    public static func - (a: SimTime, b: SimTime) -> SimTime { SimTime(micros: a.micros - b.micros) }
    public static func += (a: inout SimTime, b: SimTime) { a.micros += b.micros }

    public var description: String { Units.formatSeconds(seconds) }
}
