/// A VM's memory counters as vSphere names them (model-facts §2.1), in bytes.
extension VM {
    /// Guest-physical memory mapped to machine memory.
    public var granted: Int64 { state.holdsResources ? guest.touched : 0 }
    /// Machine memory the VM uses: granted minus what page sharing saves. Never more
    /// than configured memory; overhead is reported apart.
    public var consumed: Int64 { granted }
    /// The VMkernel's estimate of memory the guest actively uses.
    public var active: Int64 { state == .on ? guest.estimator.value : 0 }
    /// Overhead memory held while powered on.
    public var overhead: Int64 { state.holdsResources ? overheadReservation : 0 }
}
