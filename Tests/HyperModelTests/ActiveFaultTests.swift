import Testing
@testable import HyperModel

/// Pages a guest keeps using come back from the compression cache and host swap once
/// there is memory for them: touching a compressed or swapped page faults it in
/// (vSphere Resource Management, "Memory Compression": a compressed page is decompressed
/// when the guest accesses it).
@Suite("Active memory does not stay reclaimed")
struct ActiveFaultTests {
    @Test func aBusyVMGetsItsWholeWorkingSetBack() throws {
        let dc = world()
        let h = try host(dc, memory: 8 * GiB)
        let busy = try vm(h, "busy", memory: 4 * GiB)
        let hog = try vm(h, "hog", memory: 8 * GiB)
        // the busy VM's application takes the whole guest, OS image included
        try busy.run(MemoryWorkload(size: 4 * GiB, active: 4 * GiB, rate: Double(256 * MiB)))
        try hog.run(MemoryWorkload(size: 6 * GiB, active: 6 * GiB, rate: Double(64 * MiB)))
        try dc.run(for: .seconds(Int64(600)))
        #expect(h.memory.state >= .hard)
        #expect(busy.guest.compressedPages > 0 || busy.guest.swappedPages > 0)
        try hog.powerOff()
        try dc.run(for: .seconds(Int64(600)))
        #expect(h.memory.state == .high)
        // nothing of the 4 GiB it keeps touching stays compressed or swapped
        #expect(busy.guest.compressedPages == 0, "\(busy.guest.compressedPages) pages still compressed")
        #expect(busy.guest.swappedPages == 0, "\(busy.guest.swappedPages) pages still swapped")
        #expect(busy.guest.grantedPages * Units.pageSize == 4 * GiB)
    }
}
