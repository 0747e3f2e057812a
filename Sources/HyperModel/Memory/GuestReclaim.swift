/// The page movements of reclamation, on one VM's pages. The host decides how much;
/// these decide which pages, as fair samples of the cells each mechanism may take from.
extension GuestMemory {
    // MARK: ballooning (model-facts §2.6)

    /// The balloon driver pins up to `n` more guest pages: from the guest's free memory
    /// first (free list, then untouched pages), then — limited to `paging` pages — by
    /// making the guest page idle memory out to its own swap. The host frees whatever
    /// backed the pinned pages. Returns the pages pinned.
    @discardableResult
    func inflateBalloon(_ n: Int64, paging: Int64) -> Int64 {
        var left = n
        // free-list pages: whatever the host kept for them is released
        left -= pages.take(left, rows: .free, columns: .all) { _, _, _ in }
        let fresh = min(left, untouchedPages)
        untouchedPages -= fresh
        left -= fresh
        // then the guest pages out: idle data first, then zero pages, then its working set
        var paged: Int64 = 0
        let room = guestSwapPages - guestSwappedPages
        for rows in [RowSet(.idle, .zeroUsed), RowSet(.active)] where left > 0 {
            let k = min(left, paging - paged, room - paged)
            guard k > 0 else { break }
            let out = pages.take(k, rows: rows, columns: .all) { r, c, k in
                // a page the host had compressed or swapped must be read back to be paged out
                // (double paging)
                if c == .swapped { self.traffic.swapIns += k }
                if c.isCompressed { self.traffic.decompressions += k }
                if r == .active { self.guestSwappedActive += k }
            }
            paged += out
            left -= out
        }
        guestSwappedPages += paged
        traffic.guestPageOuts += paged
        let pinned = n - left
        balloonPages += pinned
        return pinned
    }

    /// The driver releases up to `n` pinned pages back to the guest, unbacked.
    @discardableResult
    func deflateBalloon(_ n: Int64) -> Int64 {
        let k = min(n, balloonPages)
        balloonPages -= k
        untouchedPages += k
        return k
    }

    /// The guest pages its working set back in from its own swap, into free pages
    /// (limited by `budget` machine pages for those the host must back).
    func pageInActive(limit: Int64, budget: inout Int64) {
        let want = min(guestSwappedActive, limit, freePages)
        guard want > 0 else { return }
        let got = allocate(want, mix: compressibility, largePages: false, budget: &budget)
        // what came back is the working set
        pages.relabel(got, from: RowSet(.idle), to: .active)
        guestSwappedActive -= got
        guestSwappedPages -= got
        traffic.guestPageIns += got
    }

    // MARK: compression and host swapping (§2.7, §2.8)

    /// Reclaims up to `n` private pages of `rows` chosen at random (the host cannot tell
    /// which the guest uses): each is compressed if it fits a slot and `room` bytes of
    /// cache remain, else written to swap, at most `swapBudget` pages. With `zswap`,
    /// same-filled pages cost nothing and others take 2 KB (zbud). When the cache is full
    /// its oldest pages go to swap to make room. Returns the pages reclaimed.
    @discardableResult
    func reclaimToHost(_ n: Int64, rows: RowSet = .all, compress: Bool, zswap: Bool = false, room: Int64,
                       swapBudget: inout Int64) -> Int64 {
        var reclaimed: Int64 = 0
        var room = compress ? room : 0
        for _ in 0..<2 {
            let candidates = pages.count(rows: rows, columns: .privateBacked)
            let sample = min(n - reclaimed, candidates, (zswap && compress ? candidates : room / 1024) + swapBudget)
            guard sample > 0 else { break }
            var taken = PageCounts()
            pages.take(sample, rows: rows, columns: .privateBacked) { r, c, k in taken[r, c] += k }
            var left = room
            var placed: Int64 = 0
            for r in PageKind.allCases {
                let k = taken.count(r)
                guard k > 0 else { continue }
                var quarter: Int64 = 0, half: Int64 = 0
                if compress {
                    // zero pages compress to nearly nothing, OS image pages to about half,
                    // data by the guest's mix
                    switch r {
                    case .zeroFree, .zeroUsed: quarter = k
                    case .image: half = k
                    default:
                        quarter = Int64((Double(k) * compressibility.quarter).rounded())
                        half = min(k - quarter, Int64((Double(k) * compressibility.half).rounded()))
                    }
                    if zswap && !r.isZero {
                        // zbud: two compressed pages per pool page, whatever their size
                        half += quarter
                        quarter = 0
                    }
                    if !zswap { quarter = min(quarter, left / 1024) }
                    left -= zswap ? 0 : quarter * 1024
                    half = min(half, left / 2048)
                    left -= half * 2048
                }
                let out = min(k - quarter - half, swapBudget)
                swapBudget -= out
                pages[r, .zipQuarter] += quarter
                pages[r, .zipHalf] += half
                pages[r, .swapped] += out
                // what neither the cache nor the swap budget took stays, as small pages
                pages[r, .small] += k - quarter - half - out
                traffic.compressions += quarter + half
                traffic.swapOuts += out
                placed += quarter + half + out
            }
            reclaimed += placed
            room = left
            // the cache is full: its oldest pages go to swap to make room, then try again
            guard placed < sample, compress, swapBudget > 0, compressedPages > 0 else { break }
            let evicted = pages.move(min(swapBudget, sample - placed), rows: .all, from: .compressed, to: .swapped)
            swapBudget -= evicted
            traffic.decompressions += evicted
            traffic.swapOuts += evicted
            room += evicted * 1024
        }
        return reclaimed
    }

    /// The guest touches its working set: active pages the host compressed or swapped
    /// fault back in (decompression is cheap; swap-ins are limited to `swapBudget`), each
    /// needing a machine page from `budget`.
    func faultInActive(budget: inout Int64, swapBudget: inout Int64) {
        // the image pages the working set covers are touched like active ones
        let image = imageInWorkingSet
        var imageNonResident = min(image, pages.count(rows: RowSet(.image), columns: .notResident))
        for row in [PageKind.active, .image] {
            let rows = RowSet(row)
            let cap = row == .active ? Int64.max : imageNonResident
            let unzip = pages.move(min(budget, cap, pages.count(rows: rows, columns: .compressed)), rows: rows, from: .compressed, to: .small)
            budget -= unzip
            traffic.decompressions += unzip
            let swapIn = pages.move(min(budget, swapBudget, cap - (row == .active ? 0 : unzip), pages[row, .swapped]),
                                    rows: rows, from: ColumnSet(.swapped), to: .small)
            budget -= swapIn
            swapBudget -= swapIn
            traffic.swapIns += swapIn
            recentlyTouched += unzip + swapIn
            if row == .image { imageNonResident -= unzip + swapIn }
        }
    }

    // MARK: sharing (§2.5, §2.10)

    /// Breaks up to `n` large pages' worth of 4 KB pages into small ones.
    @discardableResult
    func breakLargePages(_ n: Int64) -> Int64 { pages.move(n, rows: .all, from: ColumnSet(.large), to: .small) }

    /// Shares up to `n` pages of `rows` held privately in `columns`.
    @discardableResult
    func share(_ n: Int64, rows: RowSet, from columns: ColumnSet) -> Int64 {
        pages.move(n, rows: rows, from: columns, to: .shared)
    }

    /// The guest writes over `n` in-use pages of content `kind`: shared ones are copied
    /// (copy-on-write), non-resident ones brought back, each needing a machine page from
    /// `budget`. The pages hold application data afterwards. Returns the pages written.
    @discardableResult
    func write(_ n: Int64, over kind: PageKind, budget: inout Int64) -> Int64 {
        let rows = RowSet(kind)
        let costly = pages.count(rows: rows, columns: ColumnSet(.shared, .zipQuarter, .zipHalf, .swapped))
        let available = pages.count(rows: rows, columns: .all)
        var k = min(n, available)
        if costly > 0 { k = min(k, budget * available / costly) }
        var taken = PageCounts()
        pages.take(k, rows: rows, columns: .all) { r, c, k in taken[r, c] += k }
        let destination: PageKind = kind == .active ? .active : .idle
        for c in Backing.allCases {
            let x = taken.count(c)
            guard x > 0 else { continue }
            switch c {
            case .large, .small: pages[destination, c] += x
            case .shared: traffic.copyOnWrite += x
            case .zipQuarter, .zipHalf: traffic.decompressions += x
            case .swapped: traffic.swapIns += x
            }
            if !c.isPrivate {
                pages[destination, .small] += x
                budget -= x
            }
        }
        recentlyTouched += k
        return k
    }

    // MARK: whole-VM moves

    /// Suspend writes memory out; resume reads it back privately (large pages if `large`).
    func restoreAllResident(large: Bool) {
        var taken = PageCounts()
        pages.take(pages.total, rows: .all, columns: .all) { r, c, k in taken[r, c] += k }
        for r in PageKind.allCases { pages[r, large ? .large : .small] += taken.count(r) }
    }

    /// Windows zeroes the memory it boots with: `n` untouched pages (all that are still
    /// to zero) become zeroed free pages as far as `budget` allows; the rest waits.
    func zeroAtBoot(_ n: Int64, largePages: Bool, budget: inout Int64) {
        let k = min(n, untouchedPages, max(0, budget))
        untouchedPages -= k
        budget -= k
        pages[.zeroFree, largePages ? .large : .small] += k
        pendingZeroPages = min(untouchedPages, n - k)
        recentlyTouched += k
    }

    /// Xen populates a domain's memory at creation: every page not in the balloon is
    /// backed (scrubbed, so zero) whether or not the guest uses it.
    func populateAll() { populate(untouchedPages) }

    /// Xen backs pages a deflating balloon gives back (the domain's reservation grows).
    func populate(_ n: Int64) {
        let k = min(n, untouchedPages)
        pages[.zeroFree, .small] += k
        untouchedPages -= k
    }
}

