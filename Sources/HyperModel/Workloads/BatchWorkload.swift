/// Threads running chunks of work back to back: each chunk is `work` cycles, or, with a
/// `spread`, uniform in work × [1 − spread, 1 + spread] drawn from the seed. `completed`
/// counts finished chunks — the workload used to compare with SimGrid.
public final class BatchWorkload: Workload {
    public let threads: Int
    /// Mean cycles per chunk.
    public let work: Double
    public let spread: Double
    /// Chunks finished so far, per thread.
    public private(set) var completedByThread: [Int64]
    /// Cycles left in each thread's current chunk.
    private(set) var remaining: [Double]
    private var random: [SimRandom] = []

    public init(threads: Int, work: Double, spread: Double = 0) throws {
        guard threads >= 1, threads <= 4096 else {
            throw ModelError("workload.batch: threads \(threads) is not allowed (use 1 to 4096)")
        }
        guard work.isFinite, work >= 1000 else {
            throw ModelError("workload.batch: work \(Units.formatCycles(work)) is not allowed (use at least 1000 cycles per chunk)")
        }
        guard spread.isFinite, spread >= 0, spread < 1 else {
            throw ModelError("workload.batch: spread \(spread) is not allowed (use 0 up to, not including, 1)")
        }
        self.threads = threads
        self.work = work
        self.spread = spread
        completedByThread = Array(repeating: 0, count: threads)
        remaining = Array(repeating: 0, count: threads)
        super.init(kind: "batch")
    }

    public var completed: Int64 { completedByThread.reduce(0, +) }

    public override var summary: String {
        "batch{threads=\(threads), work=\(Units.formatCycles(work)), spread=\(spread)}"
    }

    /// Draws every thread's first chunk from its own stream.
    func start(random base: SimRandom) {
        random = (0..<threads).map { base.split("thread/\($0)") }
        for t in 0..<threads { remaining[t] = nextChunk(t) }
    }

    func nextChunk(_ t: Int) -> Double {
        spread == 0 ? work : work * random[t].uniform(1 - spread, 1 + spread)
    }

    /// Runs `cycles` on thread `t`, finishing chunks as they complete.
    @inline(__always)
    func run(_ t: Int, cycles: Double) {
        var c = cycles
        while c >= remaining[t] {
            c -= remaining[t]
            completedByThread[t] += 1
            remaining[t] = nextChunk(t)
        }
        remaining[t] -= c
    }

    /// The time a thread running at `rate` cycles per µs needs to finish its chunk.
    func timeToFinish(_ t: Int, rate: Double) -> Double { remaining[t] / rate }

    /// Finishes thread t's current chunk exactly (the fluid engine's completion event).
    func finishChunk(_ t: Int) {
        completedByThread[t] += 1
        remaining[t] = nextChunk(t)
    }

    func consume(_ t: Int, cycles: Double) { remaining[t] = max(0, remaining[t] - cycles) }
}
