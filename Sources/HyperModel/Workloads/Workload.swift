/// What a guest does: data the model steps through. A workload runs on one VM from
/// `vm.run(_:)` until `vm.stop()` or power-off.
public class Workload {
    public let kind: String
    /// The VM it runs on. VMs live as long as their datacenter, so no reference count is
    /// kept (a weak reference would give every VM a side table, slowing all its retains).
    public internal(set) unowned(unsafe) var vm: VM?
    public internal(set) var started: SimTime = .zero
    public internal(set) var stopped: SimTime? = nil
    /// The n-th workload started on its VM, for labels and random streams.
    public internal(set) var index = 0

    init(kind: String) { self.kind = kind }

    public var isRunning: Bool { vm != nil && stopped == nil }

    /// Human description for the event log, e.g. "cpu{threads=2, load=0.50}".
    public var summary: String { kind }
}
