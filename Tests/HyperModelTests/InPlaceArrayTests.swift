import Testing
@testable import HyperModel

/// `Array.withElementsInPlace` reads an array's buffer as the standard library lays it
/// out; these check it against `withUnsafeBufferPointer` for the element types the
/// sampler reads, empty arrays, and buffers grown and copied on write.
@Suite("Arrays read in place")
struct InPlaceArrayTests {
    final class Holder {
        var slots: [Int32] = []
        var counters: [CPUCounters] = []
    }

    private func inPlace<T: BitwiseCopyable & Equatable>(_ a: inout [T]) -> [T] {
        withUnsafePointer(to: &a) { p in Array.withElementsInPlace(p) { Array($0) } }
    }

    @Test func emptyArraysHaveNoElements() {
        var a: [Int32] = []
        #expect(inPlace(&a).isEmpty)
        var b = [CPUCounters]()
        b.reserveCapacity(8)
        #expect(inPlace(&b).isEmpty)
    }

    @Test func elementsAreThoseOfTheArray() {
        let h = Holder()
        for i in 0..<1000 {  // grown (and moved) many times
            h.slots.append(Int32(i * 7 - 300))
            var c = CPUCounters()
            c.run = Int64(i) * 1_000_003
            c.ready = Int64(-i)
            c.online = Int64(i * i)
            h.counters.append(c)
            if i % 97 == 0 {
                #expect(inPlace(&h.slots) == h.slots)
                #expect(inPlace(&h.counters) == h.counters)
            }
        }
        #expect(inPlace(&h.slots) == h.slots)
        #expect(inPlace(&h.counters) == h.counters)
    }

    @Test func aCopyReadsItsOwnBuffer() {
        var a: [Int32] = [1, 2, 3]
        var b = a  // shares a's buffer until written
        b[1] = 20
        #expect(inPlace(&a) == [1, 2, 3])
        #expect(inPlace(&b) == [1, 20, 3])
        a.removeAll(keepingCapacity: true)
        #expect(inPlace(&a).isEmpty)
    }
}
