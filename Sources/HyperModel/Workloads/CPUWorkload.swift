import Foundation

/// `threads` guest threads, each busy a fraction `load` of the time when it gets a CPU.
///
/// Work arrives as an open stream: every `period` a thread receives `load × period` of
/// CPU work, at a phase drawn from the seed so threads do not beat in step. A thread
/// that gets less CPU than it is offered builds a backlog and stays runnable, as a busy
/// server does: below saturation ready time stays near zero, above it ready time jumps.
/// Thread t runs on vCPU t mod vcpus.
public final class CPUWorkload: Workload {
    public let threads: Int
    public let load: Double
    public let period: SimTime

    public init(threads: Int, load: Double, period: SimTime = .milliseconds(100)) throws {
        guard threads >= 1, threads <= 4096 else {
            throw ModelError("workload.cpu: threads \(threads) is not allowed (use 1 to 4096)")
        }
        guard load.isFinite, load >= 0, load <= 1 else {
            throw ModelError("workload.cpu: load \(load) is not allowed (use a duty cycle from 0 to 1)")
        }
        guard period.micros >= 1000 else {
            throw ModelError("workload.cpu: period \(period) is too short (use 1 ms or more)")
        }
        self.threads = threads
        self.load = load
        self.period = period
        super.init(kind: "cpu")
    }

    public override var summary: String {
        "cpu{threads=\(threads), load=\(String(format: "%.2f", load))}"
    }

    /// The arrival streams of its threads, for the scheduler.
    func streams(vcpus: Int, random: SimRandom) -> [(vcpu: Int, stream: ArrivalStream)] {
        (0..<threads).map { t in
            var r = random.split("thread/\(t)")
            let phase = r.next(below: period.micros)
            let work = Int64((load * Double(period.micros)).rounded())
            return (t % vcpus, ArrivalStream(period: period.micros, phase: phase, work: work))
        }
    }
}

/// Work arriving every `period` µs at offsets `phase` + k·period, `work` µs of CPU each.
/// A stream whose work fills its period is always busy.
struct ArrivalStream {
    var period: Int64
    var phase: Int64
    var work: Int64

    var saturating: Bool { work >= period }

    /// Arrivals in (t0, t1], and the first arrival time in that interval.
    @inline(__always)
    func arrivals(after t0: Int64, upTo t1: Int64) -> (count: Int64, first: Int64) {
        let k0 = floorDiv(t0 - phase, period)
        let k1 = floorDiv(t1 - phase, period)
        return (k1 - k0, phase + (k0 + 1) * period)
    }

    /// The first arrival strictly after t.
    func firstArrival(after t: Int64) -> Int64 { phase + (floorDiv(t - phase, period) + 1) * period }

    @inline(__always)
    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
