/// Page sharing on one host (model-facts §2.5 TPS, §2.10 KSM).
///
/// Contents are classes, so sharing is decided per class: every zero page of a sharing
/// group collapses into one machine page; an OS image page can be shared by VMs of the
/// same group booted from the same image, when a peer holds that page too (boots load
/// the same pages first, so a peer with more image pages resident holds it). A group is
/// the set of VMs whose salts match: with `Mem.ShareForceSalting` 2 and no salt set,
/// each VM is its own group (intra-VM sharing only); with 0, the whole host is one.
///
/// Scanning is rate-limited: TPS scans each VM fully every `Mem.ShareScanTime` (60 min),
/// never more than `Mem.ShareScanGHz` (4 MB/s per GHz) for the host, and at that full
/// rate once free memory is below the clear threshold ("actively called"); it skips
/// large pages until free memory falls below the high threshold, when scanned large
/// pages are broken. KSM scans `pages_to_scan` per `sleep_millisecs` over all guests and
/// merges a page only once its checksum held for a whole scan (≥ 2 scans).
final class PageSharing {
    private(set) var groupKeys: [String] = []
    /// Per group: machine pages holding shared contents (recomputed each accounting).
    @exclusivity(unchecked) private(set) var frames: [Int64] = []
    private(set) var fullScans: Int64 = 0
    // scratch space reused every tick (no allocation while the model runs)
    @exclusivity(unchecked) private var peerImage: [Int64] = []
    @exclusivity(unchecked) private var secondImage: [Int64] = []
    @exclusivity(unchecked) private var sharers: [Int64] = []
    @exclusivity(unchecked) private var rates: [Double] = []
    /// VMs per group: OS image pages are shared only between two or more.
    @exclusivity(unchecked) private var members: [Int] = []

    /// Set by `regroup` until the next accounting.
    private(set) var regrouped = true

    /// Assigns each powered-on VM its zero-page and image groups from the salting rule.
    func regroup(_ vms: [VM], settings: SharingSettings) {
        regrouped = true
        var index: [String: Int] = [:]
        groupKeys.removeAll(keepingCapacity: true)
        func group(_ key: String) -> Int {
            if let i = index[key] { return i }
            index[key] = groupKeys.count
            groupKeys.append(key)
            return groupKeys.count - 1
        }
        for vm in vms {
            let salt = PageSharing.salt(of: vm, salting: settings.mode == .ksm ? 0 : settings.salting)
            vm.guest.zeroGroup = group("zero/\(salt)")
            vm.guest.imageGroup = group("image/\(vm.guest.image.name)/\(salt)")
        }
        frames = Array(repeating: 0, count: groupKeys.count)
        members = Array(repeating: 0, count: groupKeys.count)
        for vm in vms { members[vm.guest.imageGroup] += 1 }
    }

    /// `sched.mem.pshare.salt` if set; else nothing (1) or the VM's own uuid (2).
    static func salt(of vm: VM, salting: Int) -> String {
        switch salting {
        case 0: return ""
        case 1: return vm.memAllocation.shareSalt ?? "0"
        default: return vm.memAllocation.shareSalt ?? "uuid:\(vm.name)"
        }
    }

    /// Scans `seconds` worth of pages in every VM and shares what it finds.
    func scan(_ vms: [VM], seconds: Double, state: MemoryState, hostGHz: Double, settings: SharingSettings) {
        guard settings.enabled, seconds > 0, !vms.isEmpty else { return }
        let breakLarge = state > .high
        let columns: ColumnSet = breakLarge ? .privateBacked : ColumnSet(.small)
        reset(&peerImage, groupKeys.count)
        reset(&secondImage, groupKeys.count)
        for vm in vms {
            // the two largest image holdings per group: a VM's peer is the largest other one
            let g = vm.guest.imageGroup
            let n = vm.guest.pages.count(rows: RowSet(.image), columns: .resident)
            if n > peerImage[g] { (secondImage[g], peerImage[g]) = (peerImage[g], n) } else if n > secondImage[g] { secondImage[g] = n }
        }
        scanRates(vms, state: state, hostGHz: hostGHz, settings: settings, columns: columns)
        var passEnded = false
        for (i, vm) in vms.enumerated() {
            let g = vm.guest
            // TPS passes over every guest page (unbacked ones cost nothing), so a VM is
            // scanned in Mem.ShareScanTime; KSM over the pages present
            let eligible = settings.mode == .ksm ? g.pages.count(rows: .all, columns: columns) : g.configuredPages
            if g.scanRemaining <= 0 || g.scanRemaining > eligible { g.scanRemaining = eligible }
            guard g.scanRemaining > 0 else { continue }
            let scanned = min(g.scanRemaining, Int64((rates[i] * seconds).rounded(.up)))
            let fraction = Double(scanned) / Double(g.scanRemaining)
            if breakLarge { g.breakLargePages(Int64((Double(g.pages.count(.large)) * fraction).rounded())) }
            let own = g.pages.count(rows: RowSet(.image), columns: .resident)
            let peer = own == peerImage[g.imageGroup] ? secondImage[g.imageGroup] : peerImage[g.imageGroup]
            let zeros = g.pages.count(rows: .zero, columns: ColumnSet(.small))
            let image = min(g.pages.count(rows: RowSet(.image), columns: ColumnSet(.small)),
                            max(0, peer - g.pages[.image, .shared]))
            if settings.mode == .ksm {
                // merge only pages whose checksum held since the previous scan
                let stable = min(g.ksmStable, zeros + image)
                let merge = Int64((Double(stable) * fraction).rounded())
                let z = stable > 0 ? merge * zeros / max(zeros + image, 1) : 0
                g.share(z, rows: .zero, from: ColumnSet(.small))
                g.share(merge - z, rows: RowSet(.image), from: ColumnSet(.small))
                g.ksmStable -= merge
            } else {
                g.share(Int64((Double(zeros) * fraction).rounded()), rows: .zero, from: ColumnSet(.small))
                g.share(Int64((Double(image) * fraction).rounded()), rows: RowSet(.image), from: ColumnSet(.small))
            }
            g.scanRemaining -= scanned
            g.scannedPages += scanned
            if g.scanRemaining == 0 {
                passEnded = true
                if settings.mode == .ksm {
                    g.ksmStable = g.pages.count(rows: .zero, columns: ColumnSet(.small))
                        + g.pages.count(rows: RowSet(.image), columns: ColumnSet(.small))
                }
            }
        }
        if passEnded { fullScans += 1 }
    }

    /// Pages per second each VM is scanned at, into `rates`.
    private func scanRates(_ vms: [VM], state: MemoryState, hostGHz: Double, settings: SharingSettings,
                           columns: ColumnSet) {
        if rates.count != vms.count { rates = Array(repeating: 0, count: vms.count) }
        if settings.mode == .ksm {
            // one ksmd walks every guest's pages: each gets its share of the global rate
            var total = 0.0
            for (i, vm) in vms.enumerated() {
                rates[i] = Double(vm.guest.pages.count(rows: .all, columns: columns))
                total += rates[i]
            }
            for i in rates.indices { rates[i] = total > 0 ? settings.ksmPagesPerSecond * rates[i] / total : 0 }
            return
        }
        let cap = settings.scanPerGHz * hostGHz / Double(Units.pageSize)
        var total = 0.0
        for (i, vm) in vms.enumerated() {
            rates[i] = Double(vm.guest.configuredPages) / settings.scanTime.seconds
            total += rates[i]
        }
        // actively called below the high/clear edge: the whole host budget is used
        let scale = state >= .clear ? cap / total : min(1, cap / total)
        for i in rates.indices { rates[i] *= total > 0 ? scale : 0 }
    }

    private func reset(_ a: inout [Int64], _ n: Int) {
        if a.count != n { a = Array(repeating: 0, count: n) } else { for i in a.indices { a[i] = 0 } }
    }

    /// "Share before swap": pages the host is about to compress or swap are shared first
    /// if they can be (their hashes are known from scanning). Peers' image holdings are
    /// those of the last scan.
    func shareNow(_ vm: VM) {
        let g = vm.guest
        g.share(g.pages.count(rows: .zero, columns: .privateBacked), rows: .zero, from: .privateBacked)
        let group = g.imageGroup
        guard group < peerImage.count, members[group] > 1 else { return }
        let own = g.pages.count(rows: RowSet(.image), columns: .resident)
        let peer = own == peerImage[group] ? secondImage[group] : peerImage[group]
        let image = min(g.pages.count(rows: RowSet(.image), columns: .privateBacked), max(0, peer - g.pages[.image, .shared]))
        g.share(image, rows: RowSet(.image), from: .privateBacked)
    }

    /// Machine pages that hold shared contents, per group, and each VM's fair share of
    /// them (vSphere charges a shared page to its sharers in equal parts).
    func account(_ vms: [VM]) -> Int64 {
        regrouped = false
        reset(&frames, groupKeys.count)
        reset(&sharers, groupKeys.count)
        // the resident VMs, owned by the datacenter: no retain per VM (each a write to a
        // line the next VMs' loads must wait for)
        vms.forEachUnretained { vm in
            let g = vm.guest
            let zeros = g.pages.count(rows: .zero, columns: ColumnSet(.shared))
            if zeros > 0 { frames[g.zeroGroup] = 1 }
            sharers[g.zeroGroup] += zeros
            let image = g.pages[.image, .shared]
            frames[g.imageGroup] = max(frames[g.imageGroup], image)
            sharers[g.imageGroup] += image
        }
        vms.forEachUnretained { vm in
            let g = vm.guest
            let zeros = g.pages.count(rows: .zero, columns: ColumnSet(.shared))
            let image = g.pages[.image, .shared]
            var charge = 0.0
            if zeros > 0 { charge += Double(frames[g.zeroGroup]) * Double(zeros) / Double(sharers[g.zeroGroup]) }
            if image > 0 { charge += Double(frames[g.imageGroup]) * Double(image) / Double(sharers[g.imageGroup]) }
            g.sharedCharge = charge
        }
        return frames.reduce(0, +)
    }
}
