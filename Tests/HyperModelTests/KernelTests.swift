import Testing
@testable import HyperModel

@Suite("Kernel: time, events, randomness, hashing")
struct KernelTests {
    final class Recorder: SimProcess {
        var fired: [(Int64, Int64)] = []
        func fire(token: Int64, sim: Simulation) { fired.append((sim.now.micros, token)) }
    }

    @Test func eventsRunInTimePriorityAndSchedulingOrder() {
        let sim = Simulation()
        let r = Recorder()
        let id = sim.register(r)
        sim.schedule(id, at: .seconds(Int64(2)), token: 1)
        sim.schedule(id, at: .seconds(Int64(1)), priority: 5, token: 2)
        sim.schedule(id, at: .seconds(Int64(1)), priority: 0, token: 3)
        sim.schedule(id, at: .seconds(Int64(1)), priority: 0, token: 4)
        sim.run(until: .seconds(Int64(10)))
        #expect(r.fired.map(\.1) == [3, 4, 2, 1])
        #expect(sim.now == .seconds(Int64(10)))
    }

    @Test func runUntilIncludesTheEndAndStopsBeforeLaterEvents() {
        let sim = Simulation()
        let r = Recorder()
        let id = sim.register(r)
        sim.schedule(id, at: .seconds(Int64(5)), token: 1)
        sim.schedule(id, at: .seconds(Int64(6)), token: 2)
        sim.run(for: .seconds(Int64(5)))
        #expect(r.fired.map(\.1) == [1])
        sim.run(for: .seconds(Int64(1)))
        #expect(r.fired.map(\.1) == [1, 2])
    }

    @Test func shouldStopEndsARunEarly() {
        let sim = Simulation()
        final class Ticker: SimProcess {
            var id: Int32 = 0
            func fire(token: Int64, sim: Simulation) { sim.schedule(id, at: sim.now + .milliseconds(1)) }
        }
        let t = Ticker()
        t.id = sim.register(t)
        sim.schedule(t.id, at: .zero)
        var polls = 0
        let finished = sim.run(until: .seconds(Int64(1000))) { polls += 1; return polls > 3 }
        #expect(finished == false)
        #expect(sim.now < .seconds(Int64(2)))
    }

    @Test func randomStreamsAreDeterministicAndIndependent() {
        var a = SimRandom(seed: 7).split("vm/web01")
        var b = SimRandom(seed: 7).split("vm/web01")
        var c = SimRandom(seed: 7).split("vm/web02")
        let xa = (0..<5).map { _ in a.next() }
        #expect(xa == (0..<5).map { _ in b.next() })
        #expect(xa != (0..<5).map { _ in c.next() })
        var d = SimRandom(seed: 1)
        for _ in 0..<1000 {
            let v = d.next(below: 10)
            #expect(v >= 0 && v < 10)
            let u = d.nextDouble()
            #expect(u >= 0 && u < 1)
        }
    }

    @Test func randomSplitDoesNotDependOnConsumption() {
        var parent = SimRandom(seed: 3)
        let before = parent.split("x")
        _ = parent.next()
        var after = parent.split("x")
        var b = before
        #expect(b.next() == after.next())
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256KnownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func sha256OfAMillionAs() {
        var h = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { h.update(chunk) }
        #expect(h.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func eventLogDigestChangesWithContent() {
        let a = EventLog(), b = EventLog()
        a.record(.zero, "vm.power", "VM(a)", "on")
        b.record(.zero, "vm.power", "VM(a)", "on")
        #expect(a.digest == b.digest)
        b.record(.seconds(Int64(1)), "vm.power", "VM(a)", "off")
        #expect(a.digest != b.digest)
        #expect(a.digest.hasPrefix("sha256:"))
    }
}
