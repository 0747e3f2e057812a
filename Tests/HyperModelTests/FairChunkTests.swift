import Testing
@testable import HyperModel

/// In fair mode a chunk that ends inside a microsecond gives the rest of it to the next
/// chunk, so the counts stay SimGrid's (exact times, no clock) at every chunk size:
/// a thread alone on a 1,000 MHz core finishes 200 ms ÷ chunk time chunks (the
/// minimum chunk is 1,000 cycles, 1 µs here).
@Suite("Fair mode keeps the remainder of each microsecond")
struct FairChunkTests {
    func completed(chunkMicros: Double) throws -> Int64 {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 1000, scheduler: .fair)
        let v = try vm(h, "v")
        let w = try BatchWorkload(threads: 1, work: chunkMicros * 1000)   // 1,000 cycles per µs
        try v.run(w)
        try dc.run(for: .milliseconds(200))
        h.cpu.advance(to: dc.now.micros)
        return w.completed
    }

    @Test(arguments: [16.9, 1.5, 1.0, 100.0, 7.0])
    func countsMatchTheExactTimes(chunk: Double) throws {
        let expected = 2e5 / chunk
        let got = Double(try completed(chunkMicros: chunk))
        // at most one chunk short (the one under way)
        #expect(got <= expected.rounded(.up) && got >= expected.rounded(.down) - 1, "chunk \(chunk) µs: \(got) of \(expected)")
    }
}
