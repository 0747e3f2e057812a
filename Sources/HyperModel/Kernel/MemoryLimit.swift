import Foundation

/// The most memory this process may hold (resident), and what sets it: the smallest of
/// its address-space and data rlimits (a grading worker sets RLIMIT_AS: `--memory`), its
/// cgroup's memory.max, and the memory the machine has available. Each is turned into
/// "resident now + headroom", the headroom being what that limit leaves: rlimit −
/// the address space (or data segment) mapped now, memory.max − the cgroup's usage,
/// MemAvailable. macOS has none of /proc: its physical memory.
public struct MemoryLimit: Equatable, Sendable {
    public var bytes: Int64
    /// For the message: "MemAvailable", "RLIMIT_AS of 2.00 GiB", "the cgroup's memory.max of 4.00 GiB", "physical memory".
    public var source: String

    public init(bytes: Int64, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// The process's limit now (a few small files read: once per run call).
    public static func probe() -> MemoryLimit {
        #if os(Linux)
        let status = ProcStatus(read("/proc/self/status") ?? "")
        return smallest(resident: status.rss, candidates: linuxHeadrooms(status))
            ?? MemoryLimit(bytes: Int64(clamping: ProcessInfo.processInfo.physicalMemory), source: "physical memory")
        #else
        var c: [(Int64, String)] = []
        if let r = rlimit(RLIMIT_AS) { c.append((r, "RLIMIT_AS")) }
        if let r = rlimit(RLIMIT_DATA) { c.append((r, "RLIMIT_DATA")) }
        c.append((Int64(clamping: ProcessInfo.processInfo.physicalMemory), "physical memory"))
        let m = c.min { $0.0 < $1.0 }!
        return MemoryLimit(bytes: m.0, source: m.1)
        #endif
    }

    /// The tightest of `candidates` (headroom, what it is), added to what is resident now.
    static func smallest(resident: Int64, candidates: [(headroom: Int64, source: String)]) -> MemoryLimit? {
        guard let m = candidates.min(by: { $0.headroom < $1.headroom }) else { return nil }
        return MemoryLimit(bytes: resident + max(m.headroom, 0), source: m.source)
    }

    #if os(Linux)
    static func linuxHeadrooms(_ status: ProcStatus) -> [(headroom: Int64, source: String)] {
        var c: [(Int64, String)] = []
        if let r = rlimit(RLIMIT_AS), let size = status.size { c.append((r - size, "RLIMIT_AS of \(Units.formatBytes(r))")) }
        if let r = rlimit(RLIMIT_DATA), let data = status.data { c.append((r - data, "RLIMIT_DATA of \(Units.formatBytes(r))")) }
        if let (max, current) = cgroupMemory() { c.append((max - current, "the cgroup's memory.max of \(Units.formatBytes(max))")) }
        if let a = memAvailable(read("/proc/meminfo") ?? "") { c.append((a, "MemAvailable")) }
        return c
    }

    private static func rlimit(_ resource: __rlimit_resource) -> Int64? {
        var r = Glibc.rlimit()
        guard getrlimit(__rlimit_resource_t(resource.rawValue), &r) == 0, r.rlim_cur != rlim_t.max else { return nil }
        return Int64(clamping: r.rlim_cur)
    }

    /// memory.max and memory.current of the process's cgroup (v2; v1's
    /// memory.limit_in_bytes on hybrid machines), nil when unlimited or unreadable.
    static func cgroupMemory() -> (max: Int64, current: Int64)? {
        let lines = (read("/proc/self/cgroup") ?? "").split(separator: "\n")
        if let v2 = lines.first(where: { $0.hasPrefix("0::") }) {
            let path = String(v2.dropFirst(3))
            for root in ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"] {
                if let m = number(read(root + path + "/memory.max")), let c = number(read(root + path + "/memory.current")) { return (m, c) }
            }
        }
        if let v1 = lines.first(where: { $0.split(separator: ":").dropFirst().first == "memory" }) {
            let path = String(v1.split(separator: ":", maxSplits: 2).last ?? "")
            // inside a container the cgroup is mounted as the root
            for dir in ["/sys/fs/cgroup/memory" + path, "/sys/fs/cgroup/memory"] {
                if let m = number(read(dir + "/memory.limit_in_bytes")), let c = number(read(dir + "/memory.usage_in_bytes")) { return (m, c) }
            }
        }
        return nil
    }
    #else
    private static func rlimit(_ resource: Int32) -> Int64? {
        var r = Darwin.rlimit()
        guard getrlimit(resource, &r) == 0, r.rlim_cur != rlim_t.max else { return nil }
        return Int64(clamping: r.rlim_cur)
    }
    #endif

    /// A limit file's number; nil for "max", unreadable, or an unlimited v1 value (2^63 − a page).
    static func number(_ text: String?) -> Int64? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), let v = Int64(t), v < 1 << 60 else { return nil }
        return v
    }

    /// MemAvailable of /proc/meminfo, in bytes.
    static func memAvailable(_ meminfo: String) -> Int64? { kibField("MemAvailable:", meminfo) }

    static func kibField(_ name: String, _ text: String) -> Int64? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kib = Int64(line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") else { return nil }
        return kib * 1024
    }

    private static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}

/// The sizes of /proc/self/status that the limits are compared with.
struct ProcStatus {
    var rss: Int64, size: Int64?, data: Int64?

    init(_ text: String) {
        rss = MemoryLimit.kibField("VmRSS:", text) ?? 0
        size = MemoryLimit.kibField("VmSize:", text)
        data = MemoryLimit.kibField("VmData:", text)
    }
}
