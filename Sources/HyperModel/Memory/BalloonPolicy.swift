/// What a balloon-target policy sees each balance period: the host's memory and, per
/// powered-on VM, its configuration and counters (bytes).
public struct BalloonView: Sendable {
    public struct VMView: Sendable {
        public var name: String
        public var configured: Int64
        public var reservation: Int64
        public var limit: Int64?
        public var shares: Int64
        public var active: Int64
        public var consumed: Int64
        public var granted: Int64
        public var ballooned: Int64
        public var swapped: Int64
        public var compressed: Int64
        /// The most its balloon may hold: min(max_percent × configured, maxmemctl,
        /// configured − reservation); 0 without a balloon driver.
        public var maxBalloon: Int64
        public var tools: Bool
        /// The host's own target for this VM's allocation.
        public var target: Int64
    }

    public var now: SimTime
    public var state: MemoryState
    public var capacity: Int64
    public var free: Int64
    public var minFree: Int64
    /// Free memory at which high, clear, soft and hard begin.
    public var edges: [Int64]
    public var vms: [VMView]
}

/// A replacement for the host's balloon-target computation (a Lua policy in labs). It
/// returns a target per VM name, in bytes; VMs it leaves out get 0.
public protocol BalloonPolicy: AnyObject {
    var name: String { get }
    func targets(_ view: BalloonView) throws -> [String: Int64]
}
