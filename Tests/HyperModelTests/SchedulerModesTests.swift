import Testing
@testable import HyperModel

@Suite("CFS, fair, batch and external policies")
struct SchedulerModesTests {
    // MARK: CFS

    @Test func cfsSharesAndGroups() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, scheduler: .cfs)
        let a = try vm(h, "a", cpu: CPUAllocation(shares: .high))  // 2048
        let b = try vm(h, "b")  // 1024
        for v in [a, b] { try v.run(CPUWorkload(threads: 1, load: 1)) }
        try dc.run(for: .seconds(Int64(60)))
        #expect(abs(mean(a, "cpu.run", after: 0) - 200.0 / 3) < 1)
        // two levels: VMs of equal weight share 3 pCPUs; the 1-vCPU VM can use only one,
        // the 3-vCPU VM gets the rest (work-conserving), not 3 of 4 threads' worth
        let h2 = try host(dc, "kvm2", cpus: 3, scheduler: .cfs)
        let wide = try vm(h2, "wide", vcpus: 3)
        let narrow = try vm(h2, "narrow")
        let third = try vm(h2, "third")
        try wide.run(CPUWorkload(threads: 3, load: 1))
        try narrow.run(CPUWorkload(threads: 1, load: 1))
        try third.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(60)))
        // three VMs of equal weight: 1 pCPU each, the wide VM's three vCPUs share one
        #expect(abs(mean(narrow, "cpu.used_mhz", after: 60) - 2000) < 40)
        #expect(abs(mean(third, "cpu.used_mhz", after: 60) - 2000) < 40)
        #expect(abs(mean(wide, "cpu.used_mhz", after: 60) - 2000) < 40)
    }

    @Test func cfsQuotaThrottlesAsMLMTD() throws {
        let dc = world()
        let h = try host(dc, cpus: 2, scheduler: .cfs)
        let v = try vm(h, "q", cpu: CPUAllocation(quota: .milliseconds(30)))
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(30)))
        #expect(abs(mean(v, "cpu.run", after: 0) - 30) < 0.5)
        #expect(abs(mean(v, "cpu.limited", after: 0) - 70) < 0.5)
    }

    @Test func schedulerSettingsOfOtherSchedulersAreRefused() throws {
        let dc = world()
        let h = try host(dc)
        let x = try vm(h, "x", cpu: CPUAllocation(weight: 512), on: false)
        #expect(throws: ModelError.self) { try x.powerOn() }
        let k = try vm(h, "k", cpu: CPUAllocation(quota: .milliseconds(10)), on: false)
        #expect(throws: ModelError.self) { try k.powerOn() }
        let xen = try host(dc, "xen", scheduler: .credit)
        let r = try vm(xen, "r", cpu: CPUAllocation(reservationMHz: 100), on: false)
        #expect(throws: ModelError.self) { try r.powerOn() }
        #expect(throws: ModelError.self) { try xen.createVM(VMSpec(name: "w", memory: GiB, cpu: CPUAllocation(weight: 70000))) }
        #expect(throws: ModelError.self) { try xen.createVM(VMSpec(name: "c", memory: GiB, cpu: CPUAllocation(cap: 150))) }
        #expect(throws: ModelError.self) { try h.createVM(VMSpec(name: "l", memory: GiB, cpu: CPUAllocation(limitMHz: 9000))) }
    }

    // MARK: fair (fluid)

    @Test func waterFilling() {
        #expect(FluidCPU.waterFill(capacity: 4, weights: [1, 1], bounds: [3, 3]) == [2, 2])
        #expect(FluidCPU.waterFill(capacity: 4, weights: [1, 1], bounds: [1, 5]) == [1, 3])
        #expect(FluidCPU.waterFill(capacity: 3, weights: [2, 1], bounds: [10, 10]) == [2, 1])
        #expect(FluidCPU.waterFill(capacity: 10, weights: [1, 1, 0], bounds: [2, 3, 4]) == [2, 3, 0])
    }

    @Test func fairSharesAsSimGridsVMModel() throws {
        let dc = world()
        let h = try host(dc, cpus: 2, mhz: 2000, scheduler: .fair)
        let vms = try (0..<2).map { try vm(h, "v\($0)", vcpus: 2) }
        let loads = try vms.map { v -> BatchWorkload in
            let w = try BatchWorkload(threads: 4, work: 1e9)
            try v.run(w)
            return w
        }
        try dc.run(for: .seconds(Int64(100)))
        // each VM gets 1 core (weight min(4, 2) each), each thread 0.25 core: 2 s per chunk
        for w in loads {
            for c in w.completedByThread { #expect(c == 50) }
        }
        for v in vms {
            #expect(abs(mean(v, "cpu.run", after: 0) - 50) < 1e-6)
            #expect(abs(mean(v, "cpu.ready", after: 0) - 50) < 1e-6)
        }
        #expect(abs(h.metrics.series["cpu.used"]!.values.last! - 100) < 1e-6)
    }

    @Test func fairSchedulesNoEventPerChunk() throws {
        let dc = world()
        let h = try host(dc, cpus: 8, scheduler: .fair)
        for i in 0..<10 { try vm(h, "v\(i)", vcpus: 2).run(BatchWorkload(threads: 4, work: 1e10, spread: 0.5)) }
        try dc.run(for: .seconds(Int64(600)))
        let completed = h.vms.map { ($0.workloads[0] as! BatchWorkload).completed }.reduce(0, +)
        // 40 threads × 0.2 core × 2 GHz × 600 s / 10 Gcycles ≈ 960 chunks, done when the
        // host is settled: the events are the samples and the memory clock's, not chunks
        #expect(abs(Double(completed) - 960) < 960 * 0.05)
        #expect(dc.sim.eventsRun < 200, "\(dc.sim.eventsRun) events for \(completed) chunks")
    }

    /// Chunks are finished when the host is settled, so when a script looks must not
    /// change what happens: reading `completed` every simulated second, or only at the
    /// end, gives the same chunks, series and event log.
    @Test func fairResultsDoNotDependOnWhenTheyAreRead() throws {
        func outcome(readEverySecond: Bool) throws -> (done: [Int64], run: [Double], log: String) {
            let dc = world(seed: 3)
            let h = try host(dc, cpus: 4, scheduler: .fair)
            var loads: [BatchWorkload] = []
            for i in 0..<6 {
                let w = try BatchWorkload(threads: 3, work: 3e9, spread: 0.5)
                try vm(h, "v\(i)", vcpus: 2).run(w)
                loads.append(w)
            }
            for s in 0..<300 {
                try dc.run(for: .seconds(Int64(1)))
                if readEverySecond { _ = loads.map(\.completed) }
                // a change half way: every thread's remaining work is carried across it
                if s == 150 { try h.vms[0].run(CPUWorkload(threads: 1, load: 0.5)) }
            }
            return (loads.flatMap(\.completedByThread), h.vms.flatMap { $0.metrics.series["cpu.run"]!.values }, dc.log.digest)
        }
        let read = try outcome(readEverySecond: true)
        let once = try outcome(readEverySecond: false)
        #expect(read.done.reduce(0, +) > 100)
        #expect(read.done == once.done)
        #expect(read.run == once.run)
        #expect(read.log == once.log)
    }

    // MARK: batch on the quantum engine

    @Test func batchChunksComplete() throws {
        let dc = world()
        let h = try host(dc, cpus: 2, mhz: 2000)
        let v = try vm(h, "b")
        let w = try BatchWorkload(threads: 1, work: 2e9)  // one second per chunk at 2 GHz
        try v.run(w)
        try dc.run(for: .seconds(Int64(10)))
        h.settleCPU()
        #expect(w.completed == 10)
    }

    // MARK: external policies

    final class FixedPolicy: SchedulingPolicy {
        let name = "fixed"
        let quantum = SimTime.milliseconds(50)
        var answer: ([RunnableVCPU]) -> [Int]
        init(_ answer: @escaping ([RunnableVCPU]) -> [Int]) { self.answer = answer }
        func pick(_ view: SchedulerView) throws -> [Int] { answer(view.runnable) }
    }

    @Test func externalPolicyRunsWhatItPicks() throws {
        let dc = world()
        let h = try host(dc, cpus: 1)
        // always the first VM: the other starves
        try h.setPolicy(FixedPolicy { r in [r.first { $0.vm == "first" }!.id] })
        let a = try vm(h, "first"), b = try vm(h, "second")
        for v in [a, b] { try v.run(CPUWorkload(threads: 1, load: 1)) }
        try dc.run(for: .seconds(Int64(60)))
        #expect(mean(a, "cpu.run", after: 0) == 100)
        #expect(mean(b, "cpu.ready", after: 0) == 100)
    }

    @Test(arguments: [
        ("too many", "returned 2 vCPUs to run but esx01 has only 1 pCPUs"),
        ("twice", "placed vCPU id"),
        ("unknown", "returned vCPU id 99, which is not one of the runnable vCPUs"),
    ])
    func externalPolicyAnswersAreChecked(kind: String, message: String) throws {
        let dc = world()
        let h = try host(dc, cpus: kind == "twice" ? 2 : 1)
        try h.setPolicy(FixedPolicy { r in
            switch kind {
            case "too many": return r.map(\.id)
            case "twice": return [r[0].id, r[0].id]
            default: return [99]
            }
        })
        let a = try vm(h, "a"), b = try vm(h, "b")
        for v in [a, b] { try v.run(CPUWorkload(threads: 1, load: 1)) }
        do {
            try dc.run(for: .seconds(Int64(60)))
            Issue.record("expected the policy's answer to be refused")
        } catch let e as ModelError {
            #expect(e.message.contains(message), "\(e.message)")
        }
        #expect(dc.now == .seconds(Int64(20)))  // the run stopped at the sample that found it
        #expect(dc.log.events(kind: "failure").count == 1)
        #expect(throws: ModelError.self) { try dc.run(for: .seconds(Int64(60))) }  // and again next time
    }
}

@Suite("fair against SimGrid")
struct SimGridAgreementTests {
    /// bench/peers/simgrid_vms.cpp run by SimGrid 3.32 (Debian's libsimgrid-dev) completes
    /// 68,899 chunks on 10 hosts (8 cores, 2.4 GHz; 10 VMs × 2 vCPUs × 4 threads; chunks
    /// of 10 Gflop ± 50 % from the same streams; one hour). The fair scheduler must agree.
    @Test func sameCompletionsAsSimGrid() throws {
        let dc = world(seed: 1)
        try dc.setStatisticsLevel(1)
        var loads: [BatchWorkload] = []
        for h in 0..<10 {
            let host = try dc.addHost(HostSpec(name: "h\(h)", cpus: 8, mhz: 2400, memory: 256 * GiB), scheduler: .fair)
            for v in 0..<10 {
                let vm = try host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: 4 * GiB))
                try vm.powerOn()
                let w = try BatchWorkload(threads: 4, work: 1e10, spread: 0.5)
                try vm.run(w)
                loads.append(w)
            }
        }
        try dc.run(for: .seconds(Int64(3600)))
        #expect(loads.reduce(0) { $0 + $1.completed } == 68_899)
    }
}

@Suite("Parallel hosts")
struct ParallelismTests {
    /// Hosts advance, finish their chunks and are sampled on worker threads; nothing they
    /// share may depend on the order, so every series, count and the event log are the same
    /// with 1, 2 or 4 threads.
    func outcome(threads: Int, scheduler: SchedulerKind) throws -> (log: String, run: [Double], done: Int64) {
        let dc = world(seed: 7)
        dc.parallelism = threads
        var vms: [VM] = []
        var loads: [BatchWorkload] = []
        for h in 0..<8 {
            let host = try dc.addHost(HostSpec(name: "h\(h)", cpus: 4, mhz: 2400, memory: 64 * GiB), scheduler: scheduler)
            for v in 0..<4 {
                let vm = try host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: 2 * GiB))
                try vm.powerOn()
                if v % 2 == 0 {
                    let w = try BatchWorkload(threads: 3, work: 2e9, spread: 0.4)
                    try vm.run(w)
                    loads.append(w)
                } else {
                    try vm.run(CPUWorkload(threads: 2, load: 0.15 * Double(v)))
                }
                vms.append(vm)
            }
        }
        try dc.run(for: .seconds(Int64(60)))
        let run = vms.flatMap { $0.metrics.series["cpu.run"]!.values }
        return (dc.log.digest, run, loads.reduce(0) { $0 + $1.completed })
    }

    @Test(arguments: [SchedulerKind.esx, .credit, .cfs, .fair])
    func sameResultsWithAnyNumberOfThreads(_ kind: SchedulerKind) throws {
        let one = try outcome(threads: 1, scheduler: kind)
        #expect(one.done > 0)
        // two threads, as this machine has, and more threads than work per thread
        for threads in [2, 4] {
            let other = try outcome(threads: threads, scheduler: kind)
            #expect(one.log == other.log)
            #expect(one.run == other.run)
            #expect(one.done == other.done)
        }
    }
}
