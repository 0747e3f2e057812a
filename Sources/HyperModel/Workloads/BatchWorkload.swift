/// Threads running chunks of work back to back: each chunk is `work` cycles, or, with a
/// `spread`, uniform in work × [1 − spread, 1 + spread] drawn from the seed. `completed`
/// counts finished chunks — the workload used to compare with SimGrid.
public final class BatchWorkload: Workload {
    public let threads: Int
    /// Mean cycles per chunk.
    public let work: Double
    public let spread: Double
    /// Per thread, in one record so an engine touches one cache line per completion.
    private let state: FixedBuffer<BatchThread>

    /// Chunks finished so far, per thread (the host's CPU model is settled first).
    public var completedByThread: [Int64] {
        vm?.host.settleCPU()
        return (0..<threads).map { state[$0].done }
    }

    /// Chunks finished by all threads (the host's CPU model is settled first).
    public var completed: Int64 {
        vm?.host.settleCPU()
        return (0..<threads).reduce(0) { $0 + state[$1].done }
    }

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
        state = FixedBuffer(repeating: BatchThread(), count: threads)
        super.init(kind: "batch")
    }

    public override var summary: String {
        "batch{threads=\(threads), work=\(Units.formatCycles(work)), spread=\(spread)}"
    }

    /// Draws every thread's first chunk from its own stream.
    func start(random base: SimRandom) {
        for t in 0..<threads {
            state[t].random = base.split("thread/\(t)")
            state[t].remaining = state[t].random.chunk(work, spread)
        }
    }

    /// Thread t's record, for engines that work on it directly (valid while this lives).
    func thread(_ t: Int) -> UnsafeMutablePointer<BatchThread> { state.pointer(t) }

    /// Runs `cycles` on thread `t`, finishing chunks as they complete.
    func run(_ t: Int, cycles: Double) { state.pointer(t).pointee.run(cycles, work, spread) }
}

/// One batch thread: cycles left in its chunk, chunks done, its random stream.
struct BatchThread {
    var remaining = 0.0
    var done: Int64 = 0
    var random = SimRandom(seed: 0)

    @inline(__always)
    mutating func run(_ cycles: Double, _ work: Double, _ spread: Double) {
        var c = cycles
        while c >= remaining {
            c -= remaining
            finish(work, spread)
        }
        remaining -= c
    }

    @inline(__always)
    mutating func finish(_ work: Double, _ spread: Double) {
        done += 1
        remaining = random.chunk(work, spread)
    }

    mutating func consume(_ cycles: Double) { remaining = max(0, remaining - cycles) }
}

extension SimRandom {
    /// A chunk of `work` cycles spread uniformly by ±spread.
    @inline(__always)
    mutating func chunk(_ work: Double, _ spread: Double) -> Double {
        spread == 0 ? work : work * uniform(1 - spread, 1 + spread)
    }
}
