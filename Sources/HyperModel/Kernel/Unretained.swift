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

extension Array where Element: BitwiseCopyable {
    /// Calls `body` with the elements of the array stored at `a`, read in place, without
    /// retaining and releasing its buffer: `withUnsafeBufferPointer` on a stored property
    /// copies the array first (a retain and a release, each an atomic that waits for every
    /// miss before it), and the sampler did that for two arrays of every VM at every
    /// sample. It reads the buffer as the standard library lays it out (a heap object's
    /// two words, then the count and capacity, then the elements), checked against
    /// `withUnsafeBufferPointer` in debug builds. For plain values only, and `a` must not
    /// change during the call.
    @inline(__always)
    static func withElementsInPlace<R>(_ a: UnsafePointer<[Element]>, _ body: (UnsafeBufferPointer<Element>) -> R) -> R {
        let storage = UnsafeRawPointer(a).load(as: UnsafeRawPointer.self)
        let count = storage.load(fromByteOffset: 16, as: Int.self)
        let offset = (32 + MemoryLayout<Element>.alignment - 1) / MemoryLayout<Element>.alignment * MemoryLayout<Element>.alignment
        let elements = UnsafeBufferPointer(start: (storage + offset).assumingMemoryBound(to: Element.self), count: count)
        assert(a.pointee.withUnsafeBufferPointer { $0.count == count && (count == 0 || $0.baseAddress == elements.baseAddress) })
        return body(elements)
    }
}
