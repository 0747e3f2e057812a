/// Pages moved by reclamation and by the guest since power-on, for rates (esxtop's
/// SWR/s, SWW/s, ZIP/s, UNZIP/s) and for the event log.
public struct PageTraffic: Equatable, Sendable {
    public var swapIns: Int64 = 0
    public var swapOuts: Int64 = 0
    public var compressions: Int64 = 0
    public var decompressions: Int64 = 0
    public var copyOnWrite: Int64 = 0
    public var guestPageOuts: Int64 = 0
    public var guestPageIns: Int64 = 0
}

/// One VM's memory, guest and host sides together, as counts of 4 KiB pages: what the
/// guest has touched (the page matrix, by content and by where the host keeps each
/// page), what it never touched, what its balloon driver pins, and what the guest paged
/// out to its own swap. A 64 GiB VM costs the same few hundred bytes as a 1 GiB one.
///
/// The guest cannot see the host side and the host cannot see the guest's free list
/// (model-facts §2.1): guest operations pick pages without regard to where the host
/// keeps them, and host reclamation picks pages without regard to what the guest does
/// with them — both take fair samples of the cells they may take from.
public final class GuestMemory {
    // grown only by memory hot add, between events (Compute/Reconfigure.swift)
    public internal(set) var configured: Int64
    @exclusivity(unchecked) internal(set) var configuredPages: Int64
    public let image: GuestImage
    // the VM's memory settings, in pages, kept with its pages for the host's hot loop
    // and in the object's first lines (read at every tick; a line at the end was a miss)
    internal(set) var reservationPages: Int64
    /// Its limit, or nil for none.
    internal(set) var limitPages: Int64?
    /// Resource pools (`PoolDelivery`): what a pool's reservation protects of this VM, and
    /// its entitlement where a pool's limit binds; 0 and nil outside pools.
    var poolFloorPages: Int64 = 0
    var poolCapPages: Int64?
    /// Never reclaimed below: its reservation, or what its pool's reservation protects.
    var floorPages: Int64 { max(reservationPages, poolFloorPages) }
    /// Reclaimed above at any free-memory state: its limit, or a binding pool limit.
    var capPages: Int64? {
        guard let c = poolCapPages else { return limitPages }
        return min(c, limitPages ?? c)
    }
    /// `sched.mem.maxmemctl`, or nil for none.
    let maxBalloonPages: Int64?
    let tools: Bool
    /// Touched pages by content and backing (a view of a buffer this object owns).
    public let pages = PageMatrix.allocate()
    /// The VMkernel's active-memory estimate (read at every sample: kept in the first lines).
    @exclusivity(unchecked) public internal(set) var estimator = ActiveEstimator()
    @exclusivity(unchecked) public internal(set) var untouchedPages: Int64
    /// Pages pinned by the balloon driver; the host backs none of them.
    @exclusivity(unchecked) public internal(set) var balloonPages: Int64 = 0
    /// Pages the guest wrote to its own swap to make room for the balloon.
    @exclusivity(unchecked) public internal(set) var guestSwappedPages: Int64 = 0
    /// Of those, pages of the working set: the guest wants them back.
    @exclusivity(unchecked) var guestSwappedActive: Int64 = 0
    /// Size of the guest's own swap (a page file of the configured size by default).
    @exclusivity(unchecked) public internal(set) var guestSwapPages: Int64
    /// Pages the workloads keep in their working set.
    @exclusivity(unchecked) var workingSetPages: Int64 = 0
    /// Pages the guest wants to write but the host could not back yet: the VM waits.
    @exclusivity(unchecked) public internal(set) var pendingPages: Int64 = 0
    /// Memory workloads still allocating.
    @exclusivity(unchecked) var allocating: [MemoryWorkload] = []
    /// `allocating.count`, kept here so a VM with none costs no look at the array.
    @exclusivity(unchecked) var allocatingCount = 0
    /// The VM is powered on (the guest runs), mirrored here for the host's hot loop.
    @exclusivity(unchecked) var running = false
    /// Pages Windows still has to zero at boot (waiting for machine memory).
    @exclusivity(unchecked) var pendingZeroPages: Int64 = 0
    /// Pages touched since the last active-memory sample.
    @exclusivity(unchecked) var recentlyTouched: Int64 = 0
    @exclusivity(unchecked) public internal(set) var compressibility = Compressibility.typical
    @exclusivity(unchecked) public internal(set) var traffic = PageTraffic()
    // page sharing: the groups this VM shares zero and image pages in, the scan pass
    @exclusivity(unchecked) var zeroGroup = 0
    @exclusivity(unchecked) var imageGroup = 0
    @exclusivity(unchecked) var scanRemaining: Int64 = 0
    @exclusivity(unchecked) var scannedPages: Int64 = 0
    /// KSM: shareable pages whose checksum held over the last full scan.
    @exclusivity(unchecked) var ksmStable: Int64 = 0
    /// This VM's part of the shared machine pages it maps (shared pages are charged to
    /// their sharers in equal parts).
    @exclusivity(unchecked) var sharedCharge = 0.0
    // the host's decisions for this VM, in pages
    /// Allocation target from shares, reservation, limit and the idle tax.
    @exclusivity(unchecked) public internal(set) var targetPages: Int64 = 0
    /// The balloon size the driver is told to reach (vmmemctltarget).
    @exclusivity(unchecked) public internal(set) var balloonTargetPages: Int64 = 0
    /// The host wants this many pages compressed or swapped (SWTGT).
    @exclusivity(unchecked) public internal(set) var swapTargetPages: Int64 = 0
    /// The VM may not allocate: the host is in the low state and it is above its target.
    @exclusivity(unchecked) public internal(set) var blocked = false
    // what the event log last said, so it records changes only
    @exclusivity(unchecked) var loggedBalloonTarget: Int64 = 0
    @exclusivity(unchecked) var hostReclaiming = false
    @exclusivity(unchecked) var lastReclaim = SimTime.zero

    init(configured: Int64, image: GuestImage, mem: MemoryAllocation = MemoryAllocation(), tools: Bool = true) {
        self.configured = Units.pages(configured)
        configuredPages = self.configured / Units.pageSize
        self.image = image
        reservationPages = mem.reservation / Units.pageSize
        limitPages = mem.limit.map { $0 / Units.pageSize }
        maxBalloonPages = mem.maxBalloon.map { $0 / Units.pageSize }
        self.tools = tools
        untouchedPages = configuredPages
        guestSwapPages = configuredPages
    }

    deinit { pages.deallocate() }

    static func bytes(_ pages: Int64) -> Int64 { pages * Units.pageSize }

    // MARK: the guest's view, in bytes

    /// Guest-physical memory written since boot and still in the guest (not ballooned).
    public var touched: Int64 { GuestMemory.bytes(pages.total) }
    /// Held by the guest OS and its applications.
    public var used: Int64 { GuestMemory.bytes(pages.count(rows: .used, columns: .all)) }
    /// Freed by the guest but still backed by the host: the guest's free list.
    public var freeList: Int64 { GuestMemory.bytes(pages.count(rows: .free, columns: .all)) }
    public var untouched: Int64 { GuestMemory.bytes(untouchedPages) }
    public var ballooned: Int64 { GuestMemory.bytes(balloonPages) }
    public var swappedByGuest: Int64 { GuestMemory.bytes(guestSwappedPages) }
    /// What the guest can still allocate without paging: its free list and untouched pages.
    public var available: Int64 { GuestMemory.bytes(freePages) }
    var freePages: Int64 { pages.count(rows: .free, columns: .all) + untouchedPages }
    /// Pages the guest could page out to its own swap to make room.
    var pageablePages: Int64 {
        min(pages.count(rows: RowSet(.idle, .zeroUsed), columns: .all), guestSwapPages - guestSwappedPages)
    }

    // MARK: the host's view, in pages

    /// Private machine pages (large and small).
    var privatePages: Int64 { pages.count(.large) + pages.count(.small) }
    /// Guest pages mapped to machine memory, private or shared (vSphere "granted").
    var grantedPages: Int64 { pages.count(.large) + pages.count(.small) + pages.count(.shared) }
    var sharedPages: Int64 { pages.count(.shared) }
    var compressedPages: Int64 { pages.count(.zipQuarter) + pages.count(.zipHalf) }
    var swappedPages: Int64 { pages.count(.swapped) }
    /// Bytes the compression cache holds: 1 KB per quarter slot, 2 KB per half slot.
    var cacheBytes: Int64 { pages.count(.zipQuarter) * 1024 + pages.count(.zipHalf) * 2048 }
    /// Working-set pages the host does not keep resident: touching them faults. When the
    /// applications' working set is larger than the pages they hold (they took over the
    /// whole guest), the rest of it is OS image pages, touched as well.
    var activeNotResident: Int64 {
        // asked of every VM at every memory tick; most hold nothing compressed or swapped,
        // which three column totals tell
        guard pages.count(.zipQuarter) + pages.count(.zipHalf) + pages.count(.swapped) > 0 else { return 0 }
        return pages.count(rows: RowSet(.active), columns: .notResident) + min(imageInWorkingSet, pages.count(rows: RowSet(.image), columns: .notResident))
    }

    /// OS image pages the working set covers beyond the applications' active pages.
    var imageInWorkingSet: Int64 { max(0, min(workingSetPages - pages.count(.active), pages.count(.image))) }

    // MARK: allocating

    /// The guest writes `n` new pages: the first ones complete its OS image, a fraction
    /// `zero` stays all zeros, the rest is application data (mix `mix`). Pages come from
    /// the free list, then from untouched memory, then from idle pages the guest pages
    /// out to its own swap. Pages the host must back (untouched ones, and free-list
    /// pages that were shared, compressed or swapped) are limited to `budget`, which
    /// is decreased; returns the pages written.
    @discardableResult
    func allocate(_ n: Int64, zero: Double = 0, mix: Compressibility = .typical, largePages: Bool,
                  budget: inout Int64) -> Int64 {
        guard n > 0 else { return 0 }
        let imagePages = min(image.size / Units.pageSize, configuredPages)
        let forImage = min(n, max(0, imagePages - pages.count(.image)))
        let zeros = Int64((Double(n - forImage) * zero).rounded())
        var quota = Quota(image: forImage, zeroUsed: zeros, idle: n - forImage - zeros)
        compressibility.blend(mix, pages: quota.idle, existing: pages.count(rows: .data, columns: .all))
        var written = reuse(&quota, from: .free, limit: n, budget: &budget)
        let fresh = min(quota.total, untouchedPages, budget)
        if fresh > 0 {
            untouchedPages -= fresh
            budget -= fresh
            quota.place(fresh, in: largePages ? .large : .small, into: pages)
            written += fresh
        }
        // no free page left: the guest pages out idle memory to its own swap and reuses it
        if quota.total > 0 && freePages == 0 {
            let out = reuse(&quota, from: RowSet(.idle, .zeroUsed), limit: pageablePages, budget: &budget)
            guestSwappedPages += out
            traffic.guestPageOuts += out
            written += out
        }
        recentlyTouched += written
        return written
    }

    /// Writes over pages of `rows` with new contents (quota): resident private pages
    /// keep their machine page; shared ones are copied (copy-on-write), compressed ones
    /// decompressed and swapped ones read back first, each needing a machine page.
    private func reuse(_ quota: inout Quota, from rows: RowSet, limit: Int64, budget: inout Int64) -> Int64 {
        let available = pages.count(rows: rows, columns: .all)
        let costly = pages.count(rows: rows, columns: ColumnSet(.shared, .zipQuarter, .zipHalf, .swapped))
        var n = min(quota.total, available, limit)
        if costly > 0 { n = min(n, budget * available / costly) }
        guard n > 0 else { return 0 }
        var taken = PageCounts()
        pages.take(n, rows: rows, columns: .all) { r, c, k in taken[r, c] += k }
        var placedCost: Int64 = 0
        for c in Backing.allCases {
            let k = taken.count(c)
            guard k > 0 else { continue }
            switch c {
            case .large, .small: quota.place(k, in: c, into: pages)
            case .shared:
                traffic.copyOnWrite += k
                placedCost += k
                quota.place(k, in: .small, into: pages)
            case .zipQuarter, .zipHalf:
                traffic.decompressions += k
                placedCost += k
                quota.place(k, in: .small, into: pages)
            case .swapped:
                traffic.swapIns += k
                placedCost += k
                quota.place(k, in: .small, into: pages)
            }
        }
        budget -= placedCost
        return n
    }

    /// The guest frees `n` pages its applications held: they join its free list with
    /// their contents (zero pages stay zero); the host keeps backing them.
    func free(_ n: Int64) {
        var taken = PageCounts()
        let apps = pages.take(n, rows: RowSet(.zeroUsed, .idle, .active), columns: .all) { r, c, k in taken[r, c] += k }
        // past the applications' memory the guest drops OS pages (its file cache)
        pages.take(n - apps, rows: RowSet(.image), columns: .all) { r, c, k in taken[r, c] += k }
        for c in Backing.allCases {
            pages[.zeroFree, c] += taken[.zeroUsed, c]
            pages[.dataFree, c] += taken[.idle, c] + taken[.active, c] + taken[.image, c]
        }
    }

    /// Keeps exactly min(working set, data in use) pages in the active row.
    func syncWorkingSet() {
        let active = pages.count(.active)
        let target = min(workingSetPages, active + pages.count(.idle))
        if active > target {
            pages.relabel(active - target, from: RowSet(.active), to: .idle)
        } else if active < target {
            pages.relabel(target - active, from: RowSet(.idle), to: .active)
        }
    }

    // MARK: lifecycle

    /// Powering off (or rebooting) discards the guest's memory.
    func reset() {
        pages.clear()
        untouchedPages = configuredPages
        balloonPages = 0
        guestSwappedPages = 0
        guestSwappedActive = 0
        workingSetPages = 0
        pendingPages = 0
        allocating.removeAll()
        allocatingCount = 0
        running = false
        pendingZeroPages = 0
        recentlyTouched = 0
        balloonTargetPages = 0
        swapTargetPages = 0
        targetPages = 0
        blocked = false
        loggedBalloonTarget = 0
        hostReclaiming = false
        scanRemaining = 0
        ksmStable = 0
        sharedCharge = 0
        compressibility = .typical
        estimator.reset()
    }

    /// Takes one active-memory sample (every `Mem.SamplePeriod`).
    func sampleActive() {
        let observed = min(pages.count(rows: .used, columns: .all), workingSetPages + recentlyTouched)
        recentlyTouched = 0
        estimator.sample(GuestMemory.bytes(observed), ceiling: touched)
    }
}

/// How many new pages of each content a write still has to place.
struct Quota {
    var image: Int64
    var zeroUsed: Int64
    var idle: Int64

    var total: Int64 { image + zeroUsed + idle }

    /// Places `n` pages in column `backing`, filling the image first, then zeros, then data.
    mutating func place(_ n: Int64, in backing: Backing, into pages: PageMatrix) {
        var left = n
        let a = min(left, image)
        image -= a
        left -= a
        pages[.image, backing] += a
        let b = min(left, zeroUsed)
        zeroUsed -= b
        left -= b
        pages[.zeroUsed, backing] += b
        let c = min(left, idle)
        idle -= c
        pages[.idle, backing] += c
    }
}
