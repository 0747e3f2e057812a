/// A binary min-heap of (time, thread), ties broken by thread for determinism, in one
/// buffer sized for every thread of the host (each has at most one pending completion).
struct CompletionHeap {
    struct Entry {
        var time: Int64
        var thread: Int32
    }
    private let items: FixedBuffer<Entry>
    private(set) var count = 0

    init(capacity: Int) { items = FixedBuffer(repeating: Entry(time: 0, thread: 0), count: capacity) }

    func prefetch() { items.prefetch() }

    var first: (time: Int64, thread: Int32)? { count == 0 ? nil : (items[0].time, items[0].thread) }

    @inline(__always)
    private static func less(_ a: Entry, _ b: Entry) -> Bool { a.time != b.time ? a.time < b.time : a.thread < b.thread }

    mutating func push(time: Int64, thread: Int32) {
        let e = Entry(time: time, thread: thread)
        var i = count
        count += 1
        while i > 0 {
            let p = (i - 1) / 2
            if !CompletionHeap.less(e, items[p]) { break }
            items[i] = items[p]
            i = p
        }
        items[i] = e
    }

    mutating func pop() {
        count -= 1
        guard count > 0 else { return }
        let last = items[count]
        var i = 0
        while true {
            let l = 2 * i + 1
            if l >= count { break }
            let r = l + 1
            let c = r < count && CompletionHeap.less(items[r], items[l]) ? r : l
            if !CompletionHeap.less(items[c], last) { break }
            items[i] = items[c]
            i = c
        }
        items[i] = last
    }
}
