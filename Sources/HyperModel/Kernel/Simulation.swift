/// Something that runs at scheduled times. A process schedules itself again as needed;
/// `token` tells it which of its events fired (stale ones can be told apart).
public protocol SimProcess: AnyObject {
    func fire(token: Int64, sim: Simulation)
}

/// Event priorities at one instant: the model first, then sampling, then observers.
public enum EventPriority {
    public static let model: Int32 = 0
    public static let sample: Int32 = 100
    public static let observe: Int32 = 200
}

/// The simulation kernel: the clock and the event queue.
public final class Simulation {
    public private(set) var now: SimTime = .zero
    private var queue = EventQueue()
    private var processes: [SimProcess] = []
    private let oneShots = OneShotProcess()
    private lazy var oneShotID: Int32 = register(oneShots)
    /// Events run since the start, for statistics and benchmarks.
    public private(set) var eventsRun: Int64 = 0
    /// Set by a component that cannot go on: the run returns after the current event.
    public var stopRequested = false

    public init() {}

    /// Registers a process and returns its id for `schedule`.
    public func register(_ process: SimProcess) -> Int32 {
        processes.append(process)
        return Int32(processes.count - 1)
    }

    public func schedule(_ process: Int32, at time: SimTime, priority: Int32 = EventPriority.model, token: Int64 = 0) {
        precondition(time >= now, "cannot schedule in the past")
        queue.push(time: time.micros, priority: priority, target: process, token: token)
    }

    /// Schedules a closure once (not for hot paths: it allocates).
    public func at(_ time: SimTime, priority: Int32 = EventPriority.model, _ action: @escaping (Simulation) -> Void) {
        let token = oneShots.add(action)
        schedule(oneShotID, at: time, priority: priority, token: token)
    }

    public var pendingEvents: Int { queue.count }

    /// Runs every event up to and including `end`, then sets the clock to `end`.
    /// `shouldStop` is polled before the first event and then every few hundred events
    /// (so a caller that runs many short steps polls at every step); when it says stop,
    /// the run ends early at the current time and `false` is returned.
    @discardableResult
    public func run(until end: SimTime, shouldStop: (() -> Bool)? = nil) -> Bool {
        if let shouldStop, shouldStop() { return false }
        var sinceCheck = 0
        while let next = queue.first, next.time <= end.micros {
            if let shouldStop {
                sinceCheck += 1
                if sinceCheck >= 256 {
                    sinceCheck = 0
                    if shouldStop() { return false }
                }
            }
            let e = queue.pop()
            now = SimTime(micros: e.time)
            eventsRun += 1
            processes[Int(e.target)].fire(token: e.token, sim: self)
            if stopRequested {
                stopRequested = false
                return false
            }
        }
        if end > now { now = end }
        return true
    }

    @discardableResult
    public func run(for duration: SimTime, shouldStop: (() -> Bool)? = nil) -> Bool {
        run(until: now + duration, shouldStop: shouldStop)
    }
}

private final class OneShotProcess: SimProcess {
    private var actions: [Int64: (Simulation) -> Void] = [:]
    private var next: Int64 = 0

    func add(_ action: @escaping (Simulation) -> Void) -> Int64 {
        next += 1
        actions[next] = action
        return next
    }

    func fire(token: Int64, sim: Simulation) {
        if let action = actions.removeValue(forKey: token) { action(sim) }
    }
}
