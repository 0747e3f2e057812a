/// CPU generations and EVC baselines (datacenter-facts §2.8; vSphere 6.7 GUID-9F444D9B,
/// KB 1005764 "EVC and CPU Compatibility FAQ").
///
/// A simplification, documented in docs/datacenter.md: each vendor's generations form
/// one ordered list and each one adds the user-level features named here to everything
/// the one before it has, so "host has the baseline" is "same vendor, same or later
/// generation". Real EVC modes are feature masks (a few features were dropped between
/// generations, e.g. AMD's 3DNow!), which this order does not show. The features named
/// are the ones that matter for vMotion (what a guest may have seen with CPUID); EVC hides
/// nothing else (speed and core count stay as they are).
public struct CPUGeneration: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Vendor: String, Sendable { case intel, amd }

    public let vendor: Vendor
    /// Position in its vendor's list, 0 = oldest.
    public let level: Int
    /// The EVC mode's name as labs write it, e.g. "haswell", "zen2".
    public let name: String
    /// vCenter's label for the mode, e.g. "Intel® \"Haswell\" Generation".
    public let label: String
    /// User-level features this generation adds to the one before it.
    public let adds: [String]

    public var description: String { name }

    /// Every feature a CPU of this generation has, oldest first.
    public var features: [String] {
        CPUGeneration.list(vendor).prefix(level + 1).flatMap(\.adds)
    }

    /// Whether a CPU of this generation has every feature of `baseline`.
    public func has(_ baseline: CPUGeneration) -> Bool { vendor == baseline.vendor && level >= baseline.level }

    /// The features of `other` this generation lacks (all of them across vendors).
    public func lacking(_ other: CPUGeneration) -> [String] {
        guard vendor == other.vendor else { return other.features }
        return level >= other.level ? [] : CPUGeneration.list(vendor)[(level + 1)...other.level].flatMap(\.adds)
    }

    private init(_ vendor: Vendor, _ level: Int, _ name: String, _ label: String, _ adds: [String]) {
        self.vendor = vendor
        self.level = level
        self.name = name
        self.label = label
        self.adds = adds
    }

    /// Intel's EVC modes, Merom (2006) to Sapphire Rapids (2023).
    public static let intel: [CPUGeneration] = [
        ("merom", "Merom", ["SSE3", "SSSE3", "CMPXCHG16B"]),
        ("penryn", "Penryn", ["SSE4.1"]),
        ("nehalem", "Nehalem", ["SSE4.2", "POPCNT"]),
        ("westmere", "Westmere", ["AES-NI", "PCLMULQDQ"]),
        ("sandy-bridge", "Sandy Bridge", ["AVX", "XSAVE"]),
        ("ivy-bridge", "Ivy Bridge", ["F16C", "RDRAND", "FSGSBASE"]),
        ("haswell", "Haswell", ["AVX2", "FMA3", "BMI1", "BMI2", "MOVBE"]),
        ("broadwell", "Broadwell", ["ADX", "RDSEED", "PREFETCHW"]),
        ("skylake", "Skylake", ["AVX-512F", "AVX-512BW", "XSAVEC", "CLFLUSHOPT"]),
        ("cascade-lake", "Cascade Lake", ["AVX-512 VNNI"]),
        ("ice-lake", "Ice Lake", ["AVX-512 VBMI2", "GFNI", "VAES", "SHA"]),
        ("sapphire-rapids", "Sapphire Rapids", ["AMX-TILE", "AMX-BF16", "AVX-512 FP16"]),
    ].enumerated().map { CPUGeneration(.intel, $0.offset, $0.element.0, "Intel® \"\($0.element.1)\" Generation", $0.element.2) }

    /// AMD's EVC modes, Opteron Generation 1 to Zen 4.
    public static let amd: [CPUGeneration] = [
        ("opteron-g1", "Opteron™ Generation 1", ["SSE3"]),
        ("opteron-g2", "Opteron™ Generation 2", ["CMPXCHG16B", "RDTSCP"]),
        ("opteron-g3", "Opteron™ Generation 3", ["SSE4A", "LZCNT", "POPCNT"]),
        ("bulldozer", "\"Bulldozer\" Generation", ["AVX", "AES-NI", "PCLMULQDQ", "SSE4.2", "XOP", "FMA4"]),
        ("piledriver", "\"Piledriver\" Generation", ["FMA3", "F16C", "BMI1", "TBM"]),
        ("steamroller", "\"Steamroller\" Generation", ["FSGSBASE", "XSAVEOPT"]),
        ("zen", "\"Zen\" Generation", ["AVX2", "BMI2", "ADX", "RDSEED", "SHA", "CLZERO"]),
        ("zen2", "\"Zen 2\" Generation", ["CLWB", "RDPID", "WBNOINVD"]),
        ("zen3", "\"Zen 3\" Generation", ["INVPCID", "PKU", "VAES", "VPCLMULQDQ"]),
        ("zen4", "\"Zen 4\" Generation", ["AVX-512F", "AVX-512 VNNI", "AVX-512 BF16"]),
    ].enumerated().map { CPUGeneration(.amd, $0.offset, $0.element.0, "AMD \($0.element.1)", $0.element.2) }

    public static func list(_ v: Vendor) -> [CPUGeneration] { v == .intel ? intel : amd }

    /// Every generation, Intel's then AMD's, oldest first.
    public static let all = intel + amd

    /// A host's CPU when its spec names none [M]: every host alike, so a lab that never
    /// mentions CPUs sees no compatibility problem.
    public static let standard = intel.first { $0.name == "cascade-lake" }!

    public static func named(_ name: String) -> CPUGeneration? { all.first { $0.name == name } }

    /// The generation called `name`, or an error naming `who`, `field`, the value and what
    /// is allowed.
    public static func parse(_ name: String, _ who: String, _ field: String) throws -> CPUGeneration {
        guard let g = named(name) else {
            throw ModelError("\(who): \(field) \"\(name)\" is not a CPU generation (use one of Intel's \(intel.map { "\"\($0.name)\"" }.joined(separator: ", ")) or AMD's \(amd.map { "\"\($0.name)\"" }.joined(separator: ", ")), oldest first)")
        }
        return g
    }
}
