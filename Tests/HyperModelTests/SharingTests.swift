import Testing
@testable import HyperModel

@Suite("Page sharing and Xen ballooning: behaviours 25–28 of model-facts §7")
struct SharingTests {
    /// Two VMs booted from one image on a host with `salting`; each touches `touch`
    /// of which a quarter stays zero. Large pages off unless asked.
    func twins(salting: Int, large: Bool = false, hostMemory: Int64 = 64 * GiB, touch: Int64 = 2 * GiB,
               minutes: Int64 = 70, profile: Profile = .esxi) throws -> (Datacenter, Host, [VM]) {
        let dc = world()
        try dc.setProfile(profile)
        let h = try host(dc, memory: hostMemory, scheduler: profile.defaultScheduler)
        h.memory.settings.sharing.salting = salting
        h.memory.settings.sharing.largePages = large
        var vms: [VM] = []
        for i in 0..<2 {
            let v = try h.createVM(VMSpec(name: "web\(i)", memory: 4 * GiB, guest: "ubuntu-22.04"))
            try v.powerOn()
            try v.guestTouch(touch, zero: 0.25)
            vms.append(v)
        }
        try dc.run(for: .seconds(minutes * 60))
        return (dc, h, vms)
    }

    /// Behaviour 25: salting 2 (the default) shares only within each VM (its zero pages);
    /// salting 0 also collapses the OS image pages the two VMs have in common.
    @Test func saltingKeepsSharingInsideEachVM() throws {
        let (_, salted, a) = try twins(salting: 2)
        let zeros = Int64(Double(2 * GiB - a[0].guest.image.size) * 0.25)
        for v in a {
            #expect(abs(v.shared - zeros) < 2 * MB, "\(Units.formatBytes(v.shared))")
            #expect(v.guest.pages[.image, .shared] == 0)
        }
        // every zero page of a VM maps one machine page: savings = zeros − 1 page per VM
        #expect(abs(salted.memory.sharedSaved - 2 * zeros) < 4 * MB)
        let (_, open, b) = try twins(salting: 0)
        for v in b { #expect(v.guest.pages[.image, .shared] * Units.pageSize == v.guest.image.size) }
        let imageSaved = b[0].guest.image.size
        #expect(abs(open.memory.sharedSaved - (2 * zeros + imageSaved)) < 4 * MB)
        // a shared page is charged half to each sharer
        #expect(abs(b[0].consumed - (2 * GiB - zeros - imageSaved / 2)) < 4 * MB)
    }

    /// Behaviour 25, large pages: backed by 2 MB pages on a host in high, nothing is
    /// shared; once free memory falls below 4 × minFree the large pages break and the
    /// savings appear.
    @Test func largePagesHideSharingUntilHigh() throws {
        let (dc, h, vms) = try twins(salting: 0, large: true, minutes: 20)
        #expect(h.memory.state == .high)
        #expect(h.memory.sharedSaved == 0)
        // squeeze: a third VM fills the host until free memory is below the high edge
        let filler = try vm(h, "filler", memory: 60 * GiB)
        try filler.guestTouch(h.memory.free - h.memory.edges[0] / 2)
        try dc.run(for: .seconds(Int64(70 * 60)))
        #expect(h.memory.state > .high)
        #expect(h.memory.sharedSaved > 0)
        #expect(vms.allSatisfy { $0.guest.pages.count(.large) < $0.guest.pages.count(.small) })
        #expect(!dc.log.events(kind: "memory.share").isEmpty)
    }

    /// Behaviour 26: savings grow as the scanner goes — about half after 30 minutes, all
    /// after 60 — and a host's scan never exceeds 4 MB/s per GHz.
    @Test func scanRateMakesSavingsGradual() throws {
        let (dc, _, vms) = try twins(salting: 2, minutes: 0)
        let zeros = vms[0].guest.pages.count(rows: .zero, columns: .all)
        try dc.run(for: .seconds(Int64(30 * 60)))
        let half = Double(vms[0].guest.sharedPages) / Double(zeros)
        #expect(abs(half - 0.5) < 0.05, "\(half)")
        try dc.run(for: .seconds(Int64(31 * 60)))
        #expect(vms[0].guest.sharedPages == zeros)
        // 40 VMs of 64 GB on a 1 GHz host: their own rates would be 728 MB/s, the cap is 4
        let dc2 = world()
        let ds = try dc2.addDatastore(name: "big", capacity: 4096 * GiB, kind: .san)
        let h = try dc2.addHost(HostSpec(name: "esx01", cpus: 1, mhz: 1000, memory: 4096 * GiB, datastores: [ds]))
        h.memory.settings.sharing.largePages = false
        var big: [VM] = []
        for i in 0..<40 {
            let v = try vm(h, "big\(i)", memory: 64 * GiB)
            try v.guestTouch(4 * GiB, zero: 1)
            big.append(v)
        }
        try dc2.run(for: .seconds(Int64(100)))
        let scanned = big.reduce(0) { $0 + $1.guest.scannedPages } * Units.pageSize
        #expect(Double(scanned) <= 4 * Double(MB) * 101)
        #expect(Double(scanned) >= 4 * Double(MB) * 95)
    }

    /// Behaviour 27: KSM at 100 pages per 20 ms scans two 4 GiB guests (2,097,152 pages)
    /// in ≥ 419 s and merges only in the second scan (≥ ~14 min); a guest write to a
    /// merged page copies it and lowers pages_sharing by one.
    @Test func ksmNeedsTwoScans() throws {
        let dc = world()
        try dc.setProfile(.kvm)
        let h = try host(dc, memory: 64 * GiB, scheduler: .cfs)
        var vms: [VM] = []
        for i in 0..<2 {
            let v = try h.createVM(VMSpec(name: "kvm\(i)", memory: 4 * GiB, guest: "debian-12"))
            try v.powerOn()
            try v.guestTouch(4 * GiB, zero: 0.5)
            vms.append(v)
        }
        #expect(h.memory.settings.sharing.ksmPagesPerSecond == 5000)
        try dc.run(for: .seconds(Int64(418)))
        #expect(h.memory.sharedSaved == 0)  // the first scan only checksums
        #expect(h.memory.sharing.fullScans == 0)
        try dc.run(for: .seconds(Int64(2)))
        #expect(h.memory.sharing.fullScans == 1)
        try dc.run(for: .seconds(Int64(400)))
        let partway = h.memory.sharedSaved
        #expect(partway > 0)
        try dc.run(for: .seconds(Int64(60)))  // 880 s: the second scan is over
        let merged = h.memory.sharedSaved
        #expect(merged > partway)
        let image = vms[0].guest.image.size
        let zeros = (4 * GiB - image) / 2
        // pages_sharing: every sharer beyond the first of each merged page
        #expect(abs(merged - (2 * zeros - Units.pageSize + image)) < 8 * MB, "\(Units.formatBytes(merged))")
        try vms[1].guestWrite(Units.pageSize, over: .image)
        #expect(h.memory.sharedSaved == merged - Units.pageSize)
        #expect(vms[1].guest.traffic.copyOnWrite == 1)
    }

    /// Behaviour 28: `xl mem-set` to 1024 MB on a 2048 MB domain inflates its balloon until
    /// its memory is 1024 MB; a target above maxmem cannot be set.
    @Test func xenMemSet() throws {
        let dc = world()
        try dc.setProfile(.xen)
        let h = try host(dc, memory: 16 * GiB, scheduler: .credit)
        let dom = try h.createVM(VMSpec(name: "dom1", memory: 2 * GiB, mem: MemoryAllocation(max: 3 * GiB)))
        try dom.powerOn()
        // Xen populates the domain at creation: its memory is all backed at once
        #expect(dom.granted == 2 * GiB)
        #expect(dom.ballooned == 1 * GiB)
        try dom.setMemoryTarget(1 * GiB)
        try dc.run(for: .seconds(Int64(60)))
        #expect(dom.granted == 1 * GiB)
        #expect(dom.ballooned == 2 * GiB)
        try dom.setMemoryTarget(3 * GiB)  // up to maxmem: the balloon deflates
        try dc.run(for: .seconds(Int64(60)))
        #expect(dom.ballooned == 0)
        #expect(dom.granted == 3 * GiB)
        #expect(throws: ModelError.self) { try dom.setMemoryTarget(4 * GiB) }
        // no overcommit: a domain that does not fit in free memory is refused
        let huge = try h.createVM(VMSpec(name: "huge", memory: 15 * GiB))
        #expect(throws: ModelError.self) { try huge.powerOn() }
    }
}
