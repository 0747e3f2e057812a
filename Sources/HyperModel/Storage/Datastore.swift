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

    public var readIOPS: Double {
        switch self {
        case .ssd: return 40_000
        case .hdd: return 150
        case .san: return 5_000
        case .nfs: return 2_000
        }
    }
}

/// A file on a datastore: a swap file now; disks and snapshot deltas later.
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
    public internal(set) var files: [DatastoreFile] = []
    /// Swap traffic of the current simulated second, shared by every VM on the datastore.
    let io: IOBudget

    init(name: String, capacity: Int64, kind: DatastoreKind) {
        self.name = name
        self.capacity = capacity
        self.kind = kind
        self.io = IOBudget(kind: kind)
    }

    public var description: String { "Datastore(\(name))" }
    public var used: Int64 { files.reduce(0) { $0 + $1.used } }
    public var provisioned: Int64 { files.reduce(0) { $0 + $1.size } }
    public var free: Int64 { capacity - used }

    func add(_ file: DatastoreFile) { files.append(file) }
    func remove(owner: String, kind: String) { files.removeAll { $0.owner == owner && $0.kind == kind } }
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
