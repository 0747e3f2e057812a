/// Plain values per subject slot, growing as subjects appear: the sample loop reads and
/// writes them without the uniqueness and exclusivity checks of arrays held by a class.
final class SlotBuffer<T> {
    private(set) var count = 0
    private var capacity = 0
    private var base: UnsafeMutablePointer<T>
    private let fill: T

    init(fill: T) {
        self.fill = fill
        base = UnsafeMutablePointer<T>.allocate(capacity: 1)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Makes slots up to `n`, new ones holding `fill`.
    func grow(to n: Int) {
        guard n > count else { return }
        if n > capacity {
            let c = Swift.max(n, capacity * 2, 16)
            let b = UnsafeMutablePointer<T>.allocate(capacity: c)
            b.moveInitialize(from: base, count: count)
            base.deallocate()
            base = b
            capacity = c
        }
        (base + count).initialize(repeating: fill, count: n - count)
        count = n
    }

    /// The first slot, valid until the buffer grows.
    var pointer: UnsafeMutablePointer<T> { base }

    @inline(__always)
    subscript(_ i: Int) -> T {
        get {
            assert(i >= 0 && i < count)
            return base[i]
        }
        set {
            assert(i >= 0 && i < count)
            base[i] = newValue
        }
    }
}
