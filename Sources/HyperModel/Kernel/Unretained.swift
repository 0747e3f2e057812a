extension Array where Element: AnyObject {
    /// Calls `body` with each element, in order, without retaining and releasing it: in a
    /// hot loop over objects that are not in cache, each retain is an atomic write to a
    /// line that must first be fetched, and the atomic orders the loads after it, so the
    /// misses of the next objects cannot overlap it. Only for arrays whose elements are
    /// also owned elsewhere for the whole call (the model's VMs and hosts are owned by
    /// the datacenter), since `body` may change the array it iterates.
    @inline(__always)
    func forEachUnretained(_ body: (Element) throws -> Void) rethrows {
        try withUnsafeBufferPointer { p in
            for i in p.indices { try Unmanaged.passUnretained(p[i])._withUnsafeGuaranteedRef(body) }
        }
    }
}
