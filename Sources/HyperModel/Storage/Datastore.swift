/// The kind of storage behind a datastore.
public enum DatastoreKind: String, CaseIterable, Sendable {
    case ssd, hdd, san, nfs

    /// Swap I/O, a model choice [M] (docs/model.md): swap-outs are written in clusters
    /// at the device's sequential bandwidth; swap-ins are random 4 KB reads, limited by
    /// its IOPS — why swapping to a spinning disk hurts so much more than to flash.
    public var writeBytesPerSecond: Double {
        switch self {
        case .ssd: return 400 * Double(Units.MiB)
        case .hdd: return 120 * Double(Units.MiB)
        case .san: return 300 * Double(Units.MiB)
        case .nfs: return 100 * Double(Units.MiB)
        }
    }

    /// Service time of one write without queueing, ms [M].
    public var baseLatencyMs: Double {
        switch self {
        case .ssd: return 0.2
        case .san: return 1
        case .nfs: return 2
        case .hdd: return 8
        }
    }

    public var readIOPS: Double {
        switch self {
        case .ssd: return 40_000
        case .hdd: return 150
        case .san: return 5_000
        case .nfs: return 2_000
        }
    }
}

/// A file on a datastore, as the datastore browser lists it.
public struct DatastoreFile: Sendable {
    public var name: String
    public var kind: String
    public var size: Int64
    public var used: Int64
    /// The VM the file belongs to.
    public var owner: String
}

/// A datastore: storage of a given kind and capacity that hosts mount and VM files live on.
public final class Datastore {
    public let name: String
    public let capacity: Int64
    public let kind: DatastoreKind
    public internal(set) var hosts: [Host] = []
    /// Files that do not grow: .vmx, .nvram, .log, .vmsd, swap files — in the order they
    /// were added, a removed one leaving a hole until the holes are half the slots, and
    /// found by owner: a VM's swap files go and come back at every vMotion, and a
    /// datastore may hold the files of thousands of VMs.
    private var staticFiles: [DatastoreFile?] = []
    private var slotsOf: [String: [Int32]] = [:]
    private var holes = 0
    private var staticUsed: Int64 = 0
    private var staticSize: Int64 = 0
    /// Virtual disks whose extents and deltas live here, in creation order.
    public internal(set) var disks: [VirtualDisk] = [] { didSet { changes += 1 } }
    /// Counts what may change the space used: files and disks added or removed, and each
    /// usage check (made after writes, snapshots, clones), so a reader that saw the same
    /// count needs not add up every disk again (the usage alarm, at each sample).
    var changes = 0
    /// Swap traffic of the current simulated second, shared by every VM on the datastore.
    let io: IOBudget
    /// The usage alarm raised last: 0 none, 1 warning (75 %), 2 critical (85 %).
    var alarm = 0
    /// Scratch of the storage clock: this second's writers, disks still being zeroed.
    var writers: [DiskWorkload] = []
    var zeroing = 0
    /// Share of the write bandwidth used in the last second, and the write latency it
    /// gives (an M/M/1 queue: base ÷ (1 − utilization), at most 100× base) [M].
    public internal(set) var utilization = 0.0
    public var latencyMs: Double { kind.baseLatencyMs / max(0.01, 1 - utilization) }
    /// Write bandwidth the storage clock shares, bytes/s: the kind's unless the lab gave
    /// `write_rate` (swap I/O keeps the kind's figure, IOBudget).
    public let writeBandwidth: Double

    init(name: String, capacity: Int64, kind: DatastoreKind, writeRate: Double? = nil) {
        self.name = name
        self.capacity = capacity
        self.kind = kind
        self.writeBandwidth = writeRate ?? kind.writeBytesPerSecond
        self.io = IOBudget(kind: kind)
    }

    public var description: String { "Datastore(\(name))" }
    /// Every file, as the datastore browser lists them.
    public var files: [DatastoreFile] { staticFiles.compactMap { $0 } + disks.flatMap(\.files) }
    public var used: Int64 {
        var total = staticUsed
        for d in disks { total += d.allocated + 1024 }
        return total
    }
    /// What its files may grow to: thin disks at full size, deltas at their base's size.
    public var provisioned: Int64 {
        var total = staticSize
        for d in disks { total += d.provisioned + 1024 }
        return total
    }
    public var free: Int64 { capacity - used }

    func add(_ file: DatastoreFile) {
        changes += 1
        slotsOf[file.owner, default: []].append(Int32(staticFiles.count))
        staticFiles.append(file)
        staticUsed += file.used
        staticSize += file.size
    }

    func remove(owner: String, kind: String) {
        changes += 1
        removeStatic(owner: owner) { $0.kind == kind }
    }

    func removeAll(owner: String) {
        changes += 1
        removeStatic(owner: owner) { _ in true }
        disks.removeAll { $0.vm.name == owner }
    }

    private func removeStatic(owner: String, where matches: (DatastoreFile) -> Bool) {
        guard let slots = slotsOf[owner] else { return }
        var kept: [Int32] = []
        for slot in slots {
            guard let f = staticFiles[Int(slot)] else { continue }
            if matches(f) {
                staticUsed -= f.used
                staticSize -= f.size
                staticFiles[Int(slot)] = nil
                holes += 1
            } else {
                kept.append(slot)
            }
        }
        slotsOf[owner] = kept.isEmpty ? nil : kept
        if holes > 32 && holes * 2 > staticFiles.count { compact() }
    }

    /// Closes the holes, keeping the files' order.
    private func compact() {
        staticFiles.removeAll { $0 == nil }
        holes = 0
        slotsOf.removeAll(keepingCapacity: true)
        for (i, f) in staticFiles.enumerated() { slotsOf[f!.owner, default: []].append(Int32(i)) }
    }
}

/// Pages a device can still read and write in the current simulated second. Every
/// user draws from the same budget, in event order, so sharing is deterministic. The
/// budget refills when first used in a new second, by the seconds since the last refill
/// (at most ten: a device does not bank idle time).
final class IOBudget {
    var kind: DatastoreKind
    private var second: Int64 = 0
    private var reads = 0.0
    private var writes = 0.0

    init(kind: DatastoreKind) { self.kind = kind }

    private func refill(_ now: SimTime) {
        let s = now.micros / 1_000_000
        guard s != second else { return }
        let seconds = Double(min(max(s - second, 1), 10))
        second = s
        reads = kind.readIOPS * seconds
        writes = kind.writeBytesPerSecond / Double(Units.pageSize) * seconds
    }

    func readPages(at now: SimTime) -> Int64 {
        refill(now)
        return Int64(reads)
    }

    func writePages(at now: SimTime) -> Int64 {
        refill(now)
        return Int64(writes)
    }

    func use(read: Int64, write: Int64) {
        reads -= Double(read)
        writes -= Double(write)
    }
}
