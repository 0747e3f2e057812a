/// CPU settings of a resource pool (datacenter-facts §1.1): shares among its siblings, a
/// reservation in MHz, a limit (nil = unlimited) and whether the reservation may borrow
/// from the parent (expandable, the default).
public struct PoolCPUSettings: Equatable, Sendable {
    public var shares: Shares = .normal
    public var reservationMHz: Double = 0
    public var limitMHz: Double? = nil
    public var expandable = true

    public init(shares: Shares = .normal, reservationMHz: Double = 0, limitMHz: Double? = nil, expandable: Bool = true) {
        self.shares = shares
        self.reservationMHz = reservationMHz
        self.limitMHz = limitMHz
        self.expandable = expandable
    }
}

/// Memory settings of a resource pool, in bytes (nil limit = unlimited).
public struct PoolMemorySettings: Equatable, Sendable {
    public var shares: Shares = .normal
    public var reservation: Int64 = 0
    public var limit: Int64? = nil
    public var expandable = true

    public init(shares: Shares = .normal, reservation: Int64 = 0, limit: Int64? = nil, expandable: Bool = true) {
        self.shares = shares
        self.reservation = reservation
        self.limit = limit
        self.expandable = expandable
    }
}

extension Shares {
    /// CPU shares of a pool: as if it were a VM with 4 vCPUs, High/Normal/Low =
    /// 8000/4000/2000 (datacenter-facts §1.1, MF §1.1), or the number given.
    public var poolCPUShares: Int64 {
        switch self {
        case .low: return 2000
        case .normal: return 4000
        case .high: return 8000
        case .custom(let n): return n
        }
    }

    /// Memory shares of a pool: as if it were a 16 GB VM, 20/10/5 per MB =
    /// 327,680/163,840/81,920, or the number given.
    public var poolMemoryShares: Int64 {
        switch self {
        case .low: return 81_920
        case .normal: return 163_840
        case .high: return 327_680
        case .custom(let n): return n
        }
    }

    /// vSphere 7 scalable shares (Epping, datacenter-facts §1.3 [M]): the per-vCPU value
    /// of the level, 2000/1000/500; nil for custom shares, which do not scale.
    var scalableCPUPerVCPU: Int64? {
        switch self {
        case .low: return 500
        case .normal: return 1000
        case .high: return 2000
        case .custom: return nil
        }
    }

    /// The per-MB memory value of the level for scalable shares, 20/10/5.
    var scalableMemoryPerMB: Int64? {
        switch self {
        case .low: return 5
        case .normal: return 10
        case .high: return 20
        case .custom: return nil
        }
    }
}

extension PoolCPUSettings {
    var summary: String {
        "shares \(shares), reservation \(Units.formatMHz(reservationMHz)) (\(expandable ? "expandable" : "fixed")), limit "
            + (limitMHz.map { Units.formatMHz($0) } ?? "unlimited")
    }
}

extension PoolMemorySettings {
    var summary: String {
        "shares \(shares), reservation \(Units.formatBytes(reservation)) (\(expandable ? "expandable" : "fixed")), limit "
            + (limit.map { Units.formatBytes($0) } ?? "unlimited")
    }
}
