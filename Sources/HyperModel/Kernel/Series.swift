/// A sampled metric: one value per sample, at the times of the model's sampler. Values
/// of a series start at the sample when its object first existed.
public final class MetricSeries {
    public let name: String
    /// "bytes", "%", "MHz", "ms", "ratio", "count" — for labels and messages.
    public let unit: String
    public private(set) var times: [SimTime] = []
    public private(set) var values: [Double] = []

    public init(name: String, unit: String) {
        self.name = name
        self.unit = unit
    }

    public func append(_ time: SimTime, _ value: Double) {
        times.append(time)
        values.append(value)
    }

    public var count: Int { values.count }
    public var last: Double? { values.last }
    public var max: Double? { values.max() }
    public var min: Double? { values.min() }
    public var mean: Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }

    /// The value of the last sample at or before `t` (nil before the first sample).
    public func value(at t: SimTime) -> Double? {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : values[lo - 1]
    }
}
