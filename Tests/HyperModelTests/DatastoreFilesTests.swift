import Testing
@testable import HyperModel

/// A datastore's static files are found by owner (a vMotion removes and re-adds a VM's
/// swap files on a datastore that may hold thousands of VMs' files), and whatever is
/// removed, the rest keep the order they were added in, as the datastore browser lists
/// them, and the space they use adds up.
@Suite("Storage: a datastore's files found by owner")
struct DatastoreFilesTests {
    @Test func removalsKeepTheOrderAndTheTotals() {
        let ds = Datastore(name: "san", capacity: 1 << 40, kind: .san)
        var plain: [DatastoreFile] = []
        func add(_ owner: String, _ kind: String, _ size: Int64) {
            let f = DatastoreFile(name: "\(owner).\(kind)", kind: kind, size: size, used: size, owner: owner)
            ds.add(f)
            plain.append(f)
        }
        func expectSame(_ context: String) {
            #expect(ds.files.map(\.name) == plain.map(\.name), "\(context)")
            #expect(ds.used == plain.reduce(0) { $0 + $1.used }, "\(context)")
            #expect(ds.provisioned == plain.reduce(0) { $0 + $1.size }, "\(context)")
        }
        for v in 0..<200 {
            add("vm\(v)", "vmx", 3072)
            add("vm\(v)", "vswp", Int64(v + 1) << 20)
            add("vm\(v)", "vmx-swap", 100 << 20)
        }
        expectSame("added")
        // every VM's swap files move away and back, as at a vMotion: past the compaction
        for round in 0..<3 {
            for v in stride(from: round, to: 200, by: 2) {
                for kind in ["vswp", "vmx-swap"] {
                    ds.remove(owner: "vm\(v)", kind: kind)
                    plain.removeAll { $0.owner == "vm\(v)" && $0.kind == kind }
                }
                expectSame("round \(round), vm\(v) away")
                add("vm\(v)", "vswp", 1 << 20)
            }
            expectSame("round \(round)")
        }
        ds.remove(owner: "vm7", kind: "nothing")
        ds.remove(owner: "nobody", kind: "vswp")
        ds.removeAll(owner: "vm3")
        plain.removeAll { $0.owner == "vm3" }
        expectSame("vm3 deleted")
        for v in 0..<200 { ds.removeAll(owner: "vm\(v)") }
        plain.removeAll()
        expectSame("all deleted")
        #expect(ds.used == 0)
    }
}
