/// What a guest does: data the model steps through. A workload runs on one VM from
/// `vm.run(_:)` until `vm.stop()` or power-off.
public class Workload {
    public let kind: String
    /// The VM it runs on. VMs live as long as their datacenter, so no reference count is
    /// kept (a weak reference would give every VM a side table, slowing all its retains).
    public internal(set) unowned(unsafe) var vm: VM?
    /// The container it runs in, when it runs in one (Containers/); `vm` is then nil.
    public internal(set) unowned(unsafe) var container: Container?
    public internal(set) var started: SimTime = .zero
    public internal(set) var stopped: SimTime? = nil
    /// The n-th workload started on its VM, for labels and random streams.
    public internal(set) var index = 0

    init(kind: String) { self.kind = kind }

    public var isRunning: Bool { (vm != nil || container != nil) && stopped == nil }
    /// It runs on a host itself (`Host.run`), not in a VM; `vm` is then nil for a lab.
    public var onHost: Bool { vm?.isHostProcesses ?? false }
    /// The host it runs on (in a VM or on the host itself).
    public var host: Host? { vm?.host ?? container?.kernel.host }

    /// Human description for the event log, e.g. "cpu{threads=2, load=0.50}".
    public var summary: String { kind }
}
