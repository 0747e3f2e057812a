import Testing
@testable import HyperModel

/// A Linux node (`hypervisor = "none"`) for container tests.
func linuxNode(_ dc: Datacenter, _ name: String = "node1", cpus: Int = 8, memory: Int64 = 32 * GiB, cgroup: CgroupVersion = .v2,
               swap: Int64 = 2 * GiB) throws -> Host {
    var spec = HostSpec(name: name, cpus: cpus, mhz: 2400, memory: memory)
    spec.hypervisor = .none
    spec.linux.cgroup = cgroup
    spec.linux.swap = swap
    return try dc.addHost(spec)
}

func docker(_ edit: (inout DockerOptions) -> Void = { _ in }) -> DockerOptions {
    var d = DockerOptions()
    edit(&d)
    return d
}

/// Behaviours 66, 67, 69, 70, 72 and 73 of datacenter-facts §7, each with the reference's
/// numbers. Sources: torvalds/linux Documentation/admin-guide/cgroup-v2.rst (cpu.weight,
/// cpu.max, memory.high/max/swap.max, memory.events), Documentation/scheduler/sched-bwc.rst
/// (quota, throttling, cpu.stat), docker/docs resource_constraints.md (--cpus, --memory,
/// --memory-swap) and overlayfs-driver.md (copy-up, whiteouts).
@Suite("Containers: behaviours 66–73 of datacenter-facts §7")
struct ContainerBehaviourTests {
    /// Behaviour 66 (sched-bwc.rst: "throttled until the next period, even if CPUs are
    /// idle"): cpu.max "50000 100000" — and `docker run --cpus=0.5`, the same quota — caps a
    /// CPU-bound task at 50 % of one CPU on an idle 8-CPU node; every period throttles it
    /// for 50 ms, so nr_throttled = nr_periods and throttled_usec = 50 ms × nr_throttled.
    @Test(arguments: [true, false])
    func quotaIsNotWorkConserving(viaCPUs: Bool) throws {
        let dc = world()
        let node = try linuxNode(dc)
        let k = try node.runContainer(name: "q", image: nil, options: docker { if viaCPUs { $0.cpus = 0.5 } else { $0.cpuMax = "50000 100000" } })
        #expect(k.cpuControl.quota == 50_000 && k.cpuControl.period == 100_000)
        try k.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(60)))
        let s = k.stat
        let running = (dc.now - k.startTime!).micros
        #expect(abs(k.cpuRate - 0.5) < 1e-9, "rate \(k.cpuRate)")
        #expect(abs(Double(s.usageUsec) - 0.5 * Double(running)) <= 1, "usage \(s.usageUsec) of \(running) µs")
        #expect(s.nrPeriods == running / 100_000, "nr_periods \(s.nrPeriods)")
        #expect(s.nrThrottled == s.nrPeriods)
        #expect(s.throttledUsec == 50_000 * s.nrThrottled, "throttled_usec \(s.throttledUsec)")
        // without a quota the same task takes a whole CPU and is never throttled
        let free = try node.runContainer(name: "free", image: nil, options: docker())
        try free.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(free.cpuRate - 1) < 1e-9 && free.stat.nrThrottled == 0 && free.stat.nrPeriods == 0)
    }

    /// Behaviour 66 with several CPUs: --cpus=1.5 with two busy threads runs on two CPUs
    /// until 150 ms of quota is spent (75 ms), then both run queues sit throttled 25 ms:
    /// throttled_usec grows 2 × 25 = 50 ms per period (sched-bwc.rst: quota is shared by the
    /// group's CPUs; the kernel sums each run queue's throttled time).
    @Test func quotaAcrossCPUs() throws {
        let dc = world()
        let node = try linuxNode(dc, cpus: 4)
        let k = try node.runContainer(name: "q", image: nil, options: docker { $0.cpus = 1.5 })
        try k.run(CPUWorkload(threads: 2, load: 1))
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(k.cpuRate - 1.5) < 1e-9)
        #expect(k.stat.nrThrottled == k.stat.nrPeriods && k.stat.nrPeriods == 95)
        #expect(k.stat.throttledUsec == 95 * 50_000)
    }

    /// Behaviour 67 (cgroup-v2.rst: weights are work-conserving): two CPU-bound cgroups
    /// pinned to one CPU with cpu.weight 200 and 100 split 2/3 : 1/3; when the first idles
    /// the second gets 100 %. On a cgroup v1 kernel cpu.shares 2048 vs 1024 does the same.
    @Test(arguments: [CgroupVersion.v2, .v1])
    func weightsAreWorkConserving(cgroup: CgroupVersion) throws {
        let dc = world()
        let node = try linuxNode(dc, cgroup: cgroup)
        let a = try node.runContainer(name: "a", image: nil, options: docker {
            if cgroup == .v2 { $0.cpuWeight = 200 } else { $0.cpuShares = 2048 }
            $0.cpuset = [0]
        })
        let b = try node.runContainer(name: "b", image: nil, options: docker {
            if cgroup == .v2 { $0.cpuWeight = 100 } else { $0.cpuShares = 1024 }
            $0.cpuset = [0]
        })
        let wa = try CPUWorkload(threads: 1, load: 1)
        try a.run(wa)
        try b.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(a.cpuRate - 2.0 / 3) < 1e-9 && abs(b.cpuRate - 1.0 / 3) < 1e-9, "\(a.cpuRate) : \(b.cpuRate)")
        let before = b.stat.usageUsec
        try a.stop(wa)
        try dc.run(for: .seconds(Int64(10)))
        #expect(b.cpuRate == 1 && abs(b.stat.usageUsec - before - 10_000_000) <= 1, "\(b.stat.usageUsec - before) µs in 10 s")
        #expect(b.stat.nrThrottled == 0)
    }

    /// Behaviour 67's shares on a v2 kernel go through the runtime's conversion
    /// (datacenter-facts §4.2, §8): opencontainers/cgroups' log-quadratic map gives
    /// 2 → 1, 1024 → 100, 2048 → 174, 262144 → 10000; runc's older linear map 1024 → 39,
    /// 2048 → 79 — the linear map keeps 2 : 1 (67 %), the newer one gives 64 %.
    @Test func sharesToWeight() {
        #expect(SharesConversion.log.weight(shares: 2) == 1)
        #expect(SharesConversion.log.weight(shares: 1024) == 100)
        #expect(SharesConversion.log.weight(shares: 2048) == 174)
        #expect(SharesConversion.log.weight(shares: 262_144) == 10_000)
        #expect(SharesConversion.linear.weight(shares: 2) == 1)
        #expect(SharesConversion.linear.weight(shares: 1024) == 39)
        #expect(SharesConversion.linear.weight(shares: 2048) == 79)
        #expect(SharesConversion.linear.weight(shares: 262_144) == 10_000)
    }

    /// Behaviour 69, the container side (resource_constraints.md): `--memory 512m
    /// --memory-swap 512m` allocating 600 MiB is OOM-killed with exit code 137; with
    /// --memory-swap unset (ceiling 1024 MiB) on a node with swap it survives with 88 MiB
    /// swapped.
    @Test func oomKillAgainstSwap() throws {
        let dc = world()
        let node = try linuxNode(dc)
        let noSwap = try node.runContainer(name: "noswap", image: nil, options: docker { $0.memory = 512 * MiB; $0.memorySwap = 512 * MiB })
        let swap = try node.runContainer(name: "swap", image: nil, options: docker { $0.memory = 512 * MiB })
        let sibling = try node.runContainer(name: "sibling", image: nil, options: docker { $0.memory = 512 * MiB; $0.memorySwap = 512 * MiB })
        #expect(swap.memoryControl.swapMax == 512 * MiB && noSwap.memoryControl.swapMax == 0)
        try dc.run(for: .seconds(Int64(1)))
        try noSwap.run(MemoryWorkload(size: 600 * MiB))
        try swap.run(MemoryWorkload(size: 600 * MiB))
        try sibling.run(MemoryWorkload(size: 100 * MiB))
        try dc.run(for: .seconds(Int64(10)))
        #expect(noSwap.state == .oomKilled && noSwap.exitCode == 137)
        #expect(noSwap.memoryEventsNow.oomKill == 1 && noSwap.memoryEventsNow.oom == 1)
        #expect(noSwap.reason?.contains("memory.max 512.00 MiB") == true)
        #expect(swap.state == .running && swap.memoryUsage == 512 * MiB && swap.swapUsage == 88 * MiB)
        #expect(sibling.state == .running && sibling.memoryUsage == 100 * MiB && sibling.memoryEventsNow.oomKill == 0)
        #expect(dc.log.events.contains { $0.kind == "container.oom" && $0.subject == "Container(noswap)" })
    }

    /// Behaviour 69, the VM side (model-facts §2.3): a VM with a 512 MiB limit whose guest
    /// touches 600 MiB keeps running, with ≥ 88 MiB ballooned, compressed or swapped.
    @Test func vmLimitReclaimsInstead() throws {
        let dc = world()
        let h = try host(dc, memory: 16 * GiB)
        let v = try vm(h, "vm512", memory: 1 * GiB, mem: MemoryAllocation(limit: 512 * MiB))
        try v.guestTouch(600 * MiB)
        try dc.run(for: .seconds(Int64(600)))
        #expect(v.state == .on)
        let reclaimed = v.ballooned + v.compressed + v.swapped
        #expect(reclaimed >= 88 * MiB, "ballooned \(v.ballooned) compressed \(v.compressed) swapped \(v.swapped)")
    }

    /// Behaviour 70 (cgroup-v2.rst: memory.high "never invokes the OOM killer", memory.max
    /// does, inside the cgroup): high = 256M and max = 512M with no swap; allocating 400M
    /// raises memory.events high (one per 64-page charge batch over high: 144 MiB / 256 KiB
    /// = 576) and takes longer than without the limit, oom_kill stays 0; allocating 600M
    /// makes oom_kill 1 in that cgroup only.
    @Test func highThrottlesMaxKills() throws {
        let dc = world()
        let node = try linuxNode(dc)
        func limited(_ name: String) throws -> Container {
            try node.runContainer(name: name, image: nil, options: docker { $0.memory = 512 * MiB; $0.memoryHigh = 256 * MiB; $0.memorySwap = 512 * MiB })
        }
        let a = try limited("a400"), b = try limited("b600")
        let free = try node.runContainer(name: "free", image: nil, options: docker())
        try dc.run(for: .seconds(Int64(1)))
        let wa = try MemoryWorkload(size: 400 * MiB, rate: Double(GiB))
        let wf = try MemoryWorkload(size: 400 * MiB, rate: Double(GiB))
        try a.run(wa)
        try free.run(wf)
        try b.run(MemoryWorkload(size: 600 * MiB, rate: Double(GiB)))
        try dc.run(for: .milliseconds(500))
        #expect(wf.allocated == 400 * MiB && wa.allocated < 400 * MiB, "throttled above high: \(wa.allocated)")
        try dc.run(for: .seconds(Int64(10)))
        #expect(wa.allocated == 400 * MiB && a.state == .running)
        #expect(a.memoryEventsNow.high == 576 && a.memoryEventsNow.oomKill == 0, "\(a.memoryEventsNow)")
        #expect(b.state == .oomKilled && b.memoryEventsNow.oomKill == 1)
        #expect(free.memoryEventsNow.oomKill == 0 && free.state == .running)
    }

    /// Behaviour 72 (overlayfs-driver.md): changing one byte of a 1 GiB image file grows the
    /// writable layer by 1 GiB; the image and a second container still see the original;
    /// deleting an image file adds a whiteout and frees nothing below; the layers are on
    /// disk and in the page cache once for both containers.
    @Test func copyUp() throws {
        let dc = world()
        let node = try linuxNode(dc)
        let img = try dc.addImage(name: "db", layers: [try ImageLayer(size: 80 * MiB), try ImageLayer(size: GiB + 10 * MiB, files: ["/data/db.bin": GiB, "/etc/conf": 4096])])
        let a = try node.runContainer(name: "a", image: img, options: docker())
        let b = try node.runContainer(name: "b", image: img, options: docker())
        try dc.run(for: .seconds(Int64(10)))
        try a.write("/data/db.bin", offset: 100, bytes: 1)
        #expect(a.writableBytes == GiB && b.writableBytes == 0)
        #expect(b.file("/data/db.bin") == GiB && img.lowerFile("/data/db.bin") == GiB)
        try a.write("/data/db.bin", offset: 200, bytes: 1)
        #expect(a.writableBytes == GiB, "a second write copies nothing")
        try b.delete("/etc/conf")
        #expect(b.whiteoutCount == 1 && b.file("/etc/conf") == nil && a.file("/etc/conf") == 4096 && b.writableBytes == 0)
        #expect(node.kernel!.imageBytes == img.size && node.kernel!.pageCache == img.size)
    }

    /// Behaviour 73 (datacenter-facts §4.7): a panic on a node running 10 containers stops
    /// all 10; a guest-kernel panic in one of 10 VMs stops only that VM's containers; a
    /// kernel exploit from a container compromises every container on its kernel, while in
    /// a VM guest it stays inside the VM unless a hypervisor bug is also modelled.
    @Test func sharedKernel() throws {
        let dc = world()
        let node = try linuxNode(dc)
        let ks = try (0..<10).map { try node.runContainer(name: "k\($0)", image: nil, options: docker()) }
        let esx = try host(dc, "esx", cpus: 16, memory: 64 * GiB)
        let vms = try (0..<10).map { try vm(esx, "vm\($0)", memory: 2 * GiB) }
        let guests = try vms.map { try $0.runContainer(name: "g-\($0.name)", image: nil, options: docker()) }
        try dc.run(for: .seconds(Int64(5)))
        let hit = try node.kernel!.exploit(from: ks[3])
        #expect(hit.count == 10 && ks.allSatisfy(\.compromised) && node.kernel!.compromised)
        let inside = try vms[0].kernel.exploit(from: guests[0])
        #expect(inside.map(\.name) == ["g-vm0"] && !guests[1].compromised)
        let escaped = try vms[1].kernel.exploit(from: guests[1], hypervisorBug: true)
        #expect(escaped.count == 10 && guests.allSatisfy(\.compromised))
        try node.panic()
        #expect(ks.allSatisfy { $0.state == .exited && $0.reason?.contains("kernel panic") == true })
        try vms[4].kernel.panic()
        #expect(guests[4].state == .exited && vms[4].state == .on)
        // vm:crash() takes one VM and its containers; powering a VM off ends its containers
        try vms[5].crashAlone()
        #expect(vms[5].state == .off && guests[5].state == .exited && guests[5].reason == "vm5 crashed" && vms[6].state == .on)
        try vms[6].powerOff()
        #expect(guests[6].state == .exited && guests[6].exitCode == 143)
        #expect(guests.enumerated().allSatisfy { [4, 5, 6].contains($0.offset) || $0.element.state == .running })
        try vms[6].powerOn()
        let again = try vms[6].runContainer(name: "again", image: nil, options: docker())
        try dc.run(for: .seconds(Int64(1)))
        #expect(again.state == .running)
        #expect(throws: ModelError.self) { try node.runContainer(name: "late", image: nil, options: docker()) }
        try node.kernel!.reboot()
        _ = try node.runContainer(name: "late", image: nil, options: docker())
    }
}
