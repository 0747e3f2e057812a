/// A CPU scheduling policy supplied from outside the model (a student's Lua `pick`
/// function). Each quantum it sees the runnable vCPUs and chooses which run.
public protocol SchedulingPolicy: AnyObject {
    var name: String { get }
    var quantum: SimTime { get }
    /// Returns the ids of the vCPUs to run this quantum (at most `view.pcpus`).
    func pick(_ view: SchedulerView) throws -> [Int]
}

/// What a policy sees each quantum: read-only facts, no references into the model.
public struct SchedulerView: Sendable {
    public var now: SimTime
    public var quantum: SimTime
    /// pCPUs that can be given out this quantum.
    public var pcpus: Int
    public var runnable: [RunnableVCPU]
}

public struct RunnableVCPU: Sendable {
    /// Stable while the VM is powered on; what `pick` returns.
    public var id: Int
    public var vm: String
    /// 1-based index of the vCPU in its VM.
    public var vcpu: Int
    public var vcpus: Int
    public var shares: Int64
    /// Seconds run and seconds ready since the VM powered on.
    public var run: Double
    public var ready: Double
    /// Seconds since it last ran (or since it became runnable).
    public var waiting: Double
}
