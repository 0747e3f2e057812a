/// One pending event: at `time`, call process `target` with `token`. Events at the same
/// time run by `priority` (lower first), then in the order they were scheduled.
struct PendingEvent {
    var time: Int64
    var priority: Int32
    var target: Int32
    var seq: UInt64
    var token: Int64

    @inline(__always)
    static func before(_ a: PendingEvent, _ b: PendingEvent) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.priority != b.priority { return a.priority < b.priority }
        return a.seq < b.seq
    }
}

/// A binary min-heap of events stored inline: no allocation per event once grown.
struct EventQueue {
    private(set) var heap: [PendingEvent] = []
    private var nextSeq: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var first: PendingEvent? { heap.first }

    mutating func push(time: Int64, priority: Int32, target: Int32, token: Int64) {
        heap.append(PendingEvent(time: time, priority: priority, target: target, seq: nextSeq, token: token))
        nextSeq &+= 1
        var i = heap.count - 1
        let e = heap[i]
        while i > 0 {
            let parent = (i - 1) >> 1
            if !PendingEvent.before(e, heap[parent]) { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = e
    }

    mutating func pop() -> PendingEvent {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            var i = 0
            let n = heap.count
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let r = l + 1
                let c = (r < n && PendingEvent.before(heap[r], heap[l])) ? r : l
                if !PendingEvent.before(heap[c], last) { break }
                heap[i] = heap[c]
                i = c
            }
            heap[i] = last
        }
        return top
    }
}
