import HyperModel
import Testing
@testable import HyperTop

/// Frames against the model's own counters: every value a panel shows is the sampler's
/// value at that sample, in esxtop's form (sums over vCPUs, MB, per second).
@Suite struct RecorderTests {
    @Test func oneFramePerSampleWithTheSampleTimes() throws {
        let s = try Scenario(seconds: 120)
        #expect(s.recording.frameCount == 6)
        #expect(s.recording.times.map(\.micros) == [20, 40, 60, 80, 100, 120].map { Int64($0) * 1_000_000 })
        #expect(s.recording.frameIndex(at: .seconds(Int64(75))) == 2)
        #expect(s.recording.frameIndex(at: .seconds(Int64(5))) == 0)
        // powered-off VMs have no group, as in esxtop
        let last = s.recording.frame(5)
        #expect(last.vmCount == 6)
        #expect(!(0..<last.vmCount).map { last.vm($0).name }.contains("off"))
    }

    @Test func cpuColumnsAreTheSampledStatesSummedOverVCPUs() throws {
        let s = try Scenario(seconds: 120)
        for f in 0..<s.recording.frameCount {
            let frame = s.recording.frame(f)
            for row in frame.vms(onHost: 0) {
                let vm = s.vm(row.name)
                let series = vm.metrics.series
                func at(_ name: String) -> Double { series[name]!.value(at: frame.time)! }
                let n = Double(vm.vcpus)
                #expect(abs(row[.run] - at("cpu.run") * n) < 1e-9)
                #expect(abs(row[.ready] - at("cpu.ready") * n) < 1e-9)
                #expect(abs(row[.costop] - at("cpu.costop") * n) < 1e-9)
                #expect(abs(row[.wait] - at("cpu.wait") * n) < 1e-9)
                #expect(abs(row[.limited] - at("cpu.limited") * n) < 1e-9)
                #expect(abs(row[.used] - at("cpu.used_mhz") / 2000 * 100) < 1e-9)
                #expect(abs(row[.grant] - at("memory.granted")) < 1e-9)
                #expect(abs(row[.touched] - at("memory.active")) < 1e-9)
                #expect(abs(row[.sztgt] - at("memory.target")) < 1e-9)
                #expect(row[.memsz] == Double(vm.memory))
            }
        }
        // the host is over-committed: its 2 pCPUs are full, the VMs' %USED add up to
        // PCPU USED × 2, and the busy VMs wait ready for a pCPU
        let frame = s.recording.frame(5)
        let used = frame.vms(onHost: 0).map { $0[.used] }.reduce(0, +)
        let host = try #require(frame.hostRow(id: 0))
        #expect(abs(used / 2 - host[.cpuUsed]) < 0.5, "VMs \(used / 2) %, host \(host[.cpuUsed]) %")
        #expect(host[.cpuUsed] > 99)
        let busy = frame.vms(onHost: 0).filter { $0.name.hasPrefix("busy") }
        #expect(busy.count == 3)
        for b in busy { #expect(b[.ready] > 10, "\(b.name) %RDY \(b[.ready])") }
    }

    @Test func vcpuWorldsAddUpToTheirGroup() throws {
        let s = try Scenario(seconds: 60)
        let smp = s.recording.frame(2).vms(onHost: 0).first { $0.name == "smp" }!
        #expect(smp.vcpus == 2)
        let vm = s.vm("smp")
        for n in 0..<2 {
            #expect(abs(smp.vcpu(n, .run) - vm.metrics.vcpu[n].run) < 1e-9)
            #expect(abs(smp.vcpu(n, .ready) - vm.metrics.vcpu[n].ready) < 1e-9)
        }
        let sum = smp.vcpu(0, .run) + smp.vcpu(1, .run)
        #expect(abs(sum - smp[.run]) < 1e-6)
    }

    @Test func hostHeaderIsTheHostsMemoryAndCPU() throws {
        let s = try Scenario(seconds: 60)
        let h = try #require(s.recording.frame(2).hostRow(id: 0))
        let host = s.dc.hosts[0]
        #expect(h.name == "esx01" && h.cpus == 2 && h.mhz == 2000)
        #expect(h[.capacity] == Double(host.memory.capacity))
        #expect(h[.cpuUsed] == host.metrics.series["cpu.used"]!.value(at: .seconds(Int64(60)))!)
        #expect(h[.free] == host.metrics.series["memory.free"]!.value(at: .seconds(Int64(60)))!)
        #expect(h[.minFree] == Double(host.memory.minFree))
        #expect(h[.vms] == 6)
    }

    @Test func diskAndNetworkRatesComeFromTheWorkloads() throws {
        let s = try Scenario(seconds: 100)
        let frame = s.recording.frame(4)
        let writer = frame.vms(onHost: 0).first { $0.name == "writer" }!
        // 50 MiB/s asked of an idle SSD: written at that rate, in 1 MiB commands
        #expect(abs(writer[.diskBytesRate] - 50 * 1048576) < 1048576, "MBWRTN/s \(writer[.diskBytesRate] / 1048576)")
        #expect(abs(writer[.diskCommandsRate] - writer[.diskBytesRate] / 1048576) < 1e-9)
        let d = s.vm("writer").workloads.compactMap { $0 as? DiskWorkload }.first!
        #expect(writer[.diskLatency] == d.latencyMs)
        let sender = frame.vms(onHost: 0).first { $0.name == "sender" }!
        let n = s.vm("sender").workloads.compactMap { $0 as? NetworkWorkload }.first!
        #expect(sender[.netBitsRate] == n.achieved)
        #expect(sender[.netPacketsRate] == n.achieved / 8 / 1500)
        #expect(sender.nic == "vmxnet3" && writer.datastore == "ds1")
    }

    @Test func aSampleIntervalSetAfterTheWorldExistsIsFollowed() throws {
        let dc = Datacenter(seed: 1)
        let rec = TopRecorder(attachingTo: dc)
        let h = try dc.addHost(HostSpec(name: "h", cpus: 1, mhz: 1000, memory: 2 * Units.GiB))
        try dc.setSampleInterval(.seconds(Int64(5)))
        try h.createVM(VMSpec(name: "v", vcpus: 1, memory: 1 * Units.GiB)).powerOn()
        try dc.run(for: .seconds(Int64(30)))
        #expect(rec.recording.times.map { $0.micros / 1_000_000 } == [5, 10, 15, 20, 25, 30])
        #expect(rec.recording.sampleInterval == 5)
    }

    @Test func recordingChangesNothingInTheModel() throws {
        func digest(recorded: Bool) throws -> String {
            let dc = Datacenter(seed: 3)
            if recorded { _ = TopRecorder(attachingTo: dc) }
            let h = try dc.addHost(HostSpec(name: "h", cpus: 1, mhz: 1000, memory: 4 * Units.GiB))
            for i in 0..<2 {
                let v = try h.createVM(VMSpec(name: "v\(i)", vcpus: 1, memory: 1 * Units.GiB))
                try v.powerOn()
                try v.run(CPUWorkload(threads: 1, load: 0.8))
            }
            try dc.run(for: .seconds(Int64(200)))
            return dc.log.digest + "\(dc.vms[0].metrics.series["cpu.ready"]!.values)"
        }
        #expect(try digest(recorded: true) == digest(recorded: false))
    }
}
