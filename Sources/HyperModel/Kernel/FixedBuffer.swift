/// A fixed-size buffer of plain values for the hot paths of the engines. Arrays held by
/// classes pay a uniqueness check on every write; this buffer does not. It is allocated
/// once, never grows, and is checked by index only in debug builds.
final class FixedBuffer<Element> {
    let count: Int
    private let base: UnsafeMutablePointer<Element>

    init(repeating value: Element, count: Int) {
        self.count = count
        base = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: count)
    }

    init(_ values: [Element]) {
        count = values.count
        base = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        for (i, v) in values.enumerated() { (base + i).initialize(to: v) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    subscript(_ i: Int) -> Element {
        get {
            assert(i >= 0 && i < count)
            return base[i]
        }
        set {
            assert(i >= 0 && i < count)
            base[i] = newValue
        }
    }

    /// A pointer to element i, valid while the buffer lives.
    @inline(__always)
    func pointer(_ i: Int) -> UnsafeMutablePointer<Element> {
        assert(i >= 0 && i < count)
        return base + i
    }

    /// Asks for the buffer's cache lines (a hint, Kernel/Prefetch.swift).
    @inline(__always)
    func prefetch() { Prefetch.bytes(base, count * MemoryLayout<Element>.stride) }

    /// Valid while the buffer lives.
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
    var array: [Element] { Array(buffer) }
}
