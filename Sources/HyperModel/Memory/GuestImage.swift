/// What a guest OS image contributes to memory: its name (VMs booted from the same
/// image hold identical OS pages), how much of it the guest keeps resident, and whether
/// the OS zeroes all memory at boot.
///
/// Model choice (the reference is silent, docs/model.md): the first pages a guest
/// touches hold its image; Windows zeroes every page at boot (its zero-page thread),
/// so a Windows VM consumes its whole configured memory until page sharing collapses
/// the zero pages. Names starting with "windows" get the Windows behaviour.
public struct GuestImage: Equatable, Sendable {
    public let name: String
    /// Resident OS pages (kernel, libraries, services), in bytes.
    public let size: Int64
    public let zeroesMemoryAtBoot: Bool

    public init(name: String) {
        self.name = name
        let windows = name.lowercased().hasPrefix("windows")
        size = windows ? Units.GiB : 256 * Units.MiB
        zeroesMemoryAtBoot = windows
    }
}

/// How well a VM's data pages compress (model-facts §2.7): the fraction that fits a 1 KB
/// quarter-page slot and the fraction that fits a 2 KB half-page slot; the rest exceed
/// 2 KB and go to swap. A running mean over what the guest wrote.
public struct Compressibility: Equatable, Sendable {
    public var quarter: Double
    public var half: Double

    public init(quarter: Double, half: Double) {
        self.quarter = quarter
        self.half = half
    }

    /// Model default [M]: 20 % of pages compress to ≤ 1 KB, 40 % to 1–2 KB.
    public static let typical = Compressibility(quarter: 0.2, half: 0.4)

    public var compressible: Double { quarter + half }

    /// The slot for a page that compresses to `bytes`: 1 KB if more than 75 % smaller,
    /// 2 KB if at least 50 % smaller, none (swap it) otherwise.
    public static func slot(forCompressedSize bytes: Double) -> Int64? {
        if bytes <= 1024 { return 1024 }
        if bytes <= 2048 { return 2048 }
        return nil
    }

    /// Mixes in `pages` written with mix `other` after `existing` pages with this mix.
    mutating func blend(_ other: Compressibility, pages: Int64, existing: Int64) {
        guard pages > 0 else { return }
        let w = Double(pages) / Double(pages + max(existing, 0))
        quarter += (other.quarter - quarter) * w
        half += (other.half - half) * w
    }
}
