/// Shares as vSphere sets them: a level, or a custom number.
public enum Shares: Equatable, Sendable, CustomStringConvertible {
    case low, normal, high
    case custom(Int64)

    /// CPU shares of a VM: 500 / 1000 / 2000 per vCPU (GUID-C0D2EFAE), or the number given.
    public func cpuShares(vcpus: Int) -> Int64 {
        switch self {
        case .low: return 500 * Int64(vcpus)
        case .normal: return 1000 * Int64(vcpus)
        case .high: return 2000 * Int64(vcpus)
        case .custom(let n): return n
        }
    }

    /// Memory shares: 5 / 10 / 20 per MB of configured memory, or the number given.
    public func memoryShares(configured: Int64) -> Int64 {
        let mb = configured / Units.MiB
        switch self {
        case .low: return 5 * mb
        case .normal: return 10 * mb
        case .high: return 20 * mb
        case .custom(let n): return n
        }
    }

    public var description: String {
        switch self {
        case .low: return "low"
        case .normal: return "normal"
        case .high: return "high"
        case .custom(let n): return String(n)
        }
    }
}

/// CPU shares, reservation and limit of a VM. Reservation and limit are MHz of the
/// whole VM; nil limit = unlimited.
public struct CPUAllocation: Equatable, Sendable {
    public var shares: Shares = .normal
    public var reservationMHz: Double = 0
    public var limitMHz: Double? = nil
    public init(shares: Shares = .normal, reservationMHz: Double = 0, limitMHz: Double? = nil) {
        self.shares = shares
        self.reservationMHz = reservationMHz
        self.limitMHz = limitMHz
    }
}

/// Memory shares, reservation and limit of a VM, in bytes; nil limit = unlimited.
public struct MemoryAllocation: Equatable, Sendable {
    public var shares: Shares = .normal
    public var reservation: Int64 = 0
    public var limit: Int64? = nil
    public init(shares: Shares = .normal, reservation: Int64 = 0, limit: Int64? = nil) {
        self.shares = shares
        self.reservation = reservation
        self.limit = limit
    }
}
