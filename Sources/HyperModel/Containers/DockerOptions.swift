/// What `run_container{...}` asks for, in Docker's terms (`docker run` flags) and the
/// cgroup files' own terms, before it is mapped onto the kernel's cgroup version.
/// Mapping as Docker documents it (docker/docs resource_constraints.md, datacenter-facts §4.4):
/// `--cpus=1.5` ≡ `--cpu-period=100000 --cpu-quota=150000`; `--cpu-shares` is v1 shares
/// (converted to a weight on v2 as the runtime does); `--memory` is the hard limit (at least
/// 6 MiB); `--memory-swap` is memory **plus** swap: unset → as much swap again as
/// `--memory`, equal to `--memory` → no swap, −1 → unlimited swap.
public struct DockerOptions: Equatable, Sendable {
    public var cpus: Double?
    /// `--cpu-quota` / `cfs_quota_us` and `--cpu-period` / `cfs_period_us`, µs.
    public var cpuQuota: Int64?
    public var cpuPeriod: Int64?
    /// v2 `cpu.max` written as "$MAX $PERIOD".
    public var cpuMax: String?
    public var cpuWeight: Int?
    public var cpuShares: Int?
    public var cpuset: [Int]?
    public var memory: Int64?
    /// memory + swap; −1 = unlimited.
    public var memorySwap: Int64?
    /// v2 `memory.swap.max` written directly (nil = unset).
    public var memorySwapMax: Int64?
    public var memoryHigh: Int64?
    public var namespaces: [String]?
    /// `--blkio-weight` (10–1000; io.weight through runc's map on v2) and io.weight itself.
    public var blkioWeight: Int?
    public var ioWeight: Int?
    /// `--device-write-bps` (bytes/s) and `--device-write-iops` on the root disk's device: io.max.
    public var deviceWriteBps: Double?
    public var deviceWriteIops: Double?

    public init() {}

    /// The io controller these options give, or the reason they are refused. Checked with
    /// the rest before the container exists, so nothing is half-applied.
    func ioControl(on kernel: LinuxKernel, who: String) throws -> IOControl {
        var io = IOControl()
        if kernel.cgroup == .v1 { io.weight = 500 }  // v1 blkio.weight default
        if let w = ioWeight {
            guard kernel.cgroup == .v2 else { throw ModelError("\(who): io_weight is a cgroup v2 setting; \(kernel.description) uses cgroup v1 (use blkio_weight, 10 to 1000)") }
            guard blkioWeight == nil else { throw ModelError("\(who): io_weight and blkio_weight both set the I/O weight; give one") }
            guard (1...10_000).contains(w) else { throw ModelError("\(who): io_weight \(w) is not allowed (use 1 to 10000, default 100)") }
            io.weight = w
        }
        if let b = blkioWeight {
            guard (10...1000).contains(b) else { throw ModelError("\(who): blkio_weight \(b) is not allowed (use 10 to 1000, as docker run --blkio-weight)") }
            io.weight = kernel.cgroup == .v1 ? b : IOControl.weight(blkio: b)
        }
        for (field, v) in [("device_write_bps", deviceWriteBps), ("device_write_iops", deviceWriteIops)] {
            guard let v else { continue }
            guard v > 0, v.isFinite else { throw ModelError("\(who): \(field) \(Units.trim(v)) is not allowed (use more than 0)") }
        }
        if deviceWriteBps != nil || deviceWriteIops != nil {
            let hasDisk = kernel.vm.map { !$0.disks.isEmpty } ?? !kernel.host.datastores.isEmpty
            if !hasDisk {
                throw ModelError("\(who): device_write_bps and device_write_iops limit a device, and \(kernel.description) has no disk (give the node a datastore: lab.host{ hypervisor = \"none\", datastores = { ds } })")
            }
        }
        io.wbps = deviceWriteBps
        io.wiops = deviceWriteIops
        return io
    }

    /// Docker's smallest `--memory`.
    public static let minimumMemory: Int64 = 6 * Units.MiB

    /// The cgroup settings these options give on a kernel, or the reason they are refused
    /// (`who` names the container; `cpus` is what the kernel has).
    func cgroup(on kernel: LinuxKernel, who: String) throws -> (CPUControl, MemoryControl, [String]) {
        let v = kernel.cgroup
        var cpu = CPUControl()
        cpu.weight = v == .v2 ? 100 : 1024
        let setters = [cpus != nil ? "cpus" : nil, cpuQuota != nil ? "cpu_quota" : nil, cpuMax != nil ? "cpu_max" : nil].compactMap { $0 }
        if setters.count > 1 {
            throw ModelError("\(who): \(setters.joined(separator: " and ")) both set the CPU quota; give one")
        }
        if let c = cpus {
            guard c > 0, c.isFinite else { throw ModelError("\(who): cpus \(Units.trim(c)) is not allowed (use more than 0)") }
            guard c <= Double(kernel.cpus) else {
                throw ModelError("\(who): cpus \(Units.trim(c)) is more than the \(kernel.cpus) CPU\(kernel.cpus == 1 ? "" : "s") of \(kernel.description) (use at most \(kernel.cpus))")
            }
            cpu.period = cpuPeriod ?? 100_000
            cpu.quota = Int64((c * Double(cpu.period)).rounded())
        }
        if let p = cpuPeriod {
            guard (1000...1_000_000).contains(p) else {
                throw ModelError("\(who): cpu_period \(p) µs is not allowed (use 1000 to 1000000 µs, as cfs_period_us)")
            }
            cpu.period = p
        }
        if let q = cpuQuota {
            guard q == -1 || q >= 1000 else {
                throw ModelError("\(who): cpu_quota \(q) µs is not allowed (use -1 for none, or 1000 µs or more, as cfs_quota_us)")
            }
            cpu.quota = q == -1 ? nil : q
        }
        if let text = cpuMax {
            guard v == .v2 else { throw ModelError("\(who): cpu_max is a cgroup v2 file; \(kernel.description) uses cgroup v1 (use cpu_quota and cpu_period)") }
            let parts = text.split(separator: " ").map(String.init)
            guard parts.count == 1 || parts.count == 2, parts[0] == "max" || Int64(parts[0]) != nil,
                  parts.count == 1 || Int64(parts[1]) != nil else {
                throw ModelError("\(who): cpu_max \"\(text)\" is not \"$MAX $PERIOD\" (use e.g. \"50000 100000\" or \"max 100000\", in µs)")
            }
            if parts.count == 2 {
                let p = Int64(parts[1])!
                guard (1000...1_000_000).contains(p) else {
                    throw ModelError("\(who): cpu_max period \(p) µs is not allowed (use 1000 to 1000000 µs)")
                }
                cpu.period = p
            }
            if let q = Int64(parts[0]) {
                guard q >= 1000 else { throw ModelError("\(who): cpu_max quota \(q) µs is not allowed (use 1000 µs or more, or max)") }
                cpu.quota = q
            } else {
                cpu.quota = nil
            }
        }
        if let w = cpuWeight {
            guard v == .v2 else {
                throw ModelError("\(who): cpu_weight is a cgroup v2 setting; \(kernel.description) uses cgroup v1 (use cpu_shares, 2 to 262144)")
            }
            guard cpuShares == nil else { throw ModelError("\(who): cpu_weight and cpu_shares both set the weight; give one") }
            guard (1...10_000).contains(w) else { throw ModelError("\(who): cpu_weight \(w) is not allowed (use 1 to 10000, default 100)") }
            cpu.weight = w
        }
        if let s = cpuShares {
            guard (2...262_144).contains(s) else { throw ModelError("\(who): cpu_shares \(s) is not allowed (use 2 to 262144, default 1024)") }
            cpu.weight = v == .v1 ? s : kernel.sharesConversion.weight(shares: s)
        }
        if let set = cpuset {
            guard !set.isEmpty else { throw ModelError("\(who): cpuset is empty (give CPU numbers such as \"0-1\")") }
            if let bad = set.first(where: { $0 < 0 || $0 >= kernel.cpus }) {
                throw ModelError("\(who): cpuset CPU \(bad) does not exist on \(kernel.description) (use 0 to \(kernel.cpus - 1))")
            }
            cpu.cpuset = Array(Set(set)).sorted()
        }
        let mem = try memoryControl(who: who)
        let ns = try namespaceList(who: who, v)
        return (cpu, mem, ns)
    }

    private func memoryControl(who: String) throws -> MemoryControl {
        var mem = MemoryControl()
        if let m = memory {
            guard m >= DockerOptions.minimumMemory else {
                throw ModelError("\(who): memory \(Units.formatBytes(m)) is not allowed (Docker's minimum is 6 MiB)")
            }
            mem.max = m
        }
        if let s = memorySwap {
            guard let m = memory else {
                throw ModelError("\(who): memory_swap is memory plus swap; set memory too (as docker run refuses --memory-swap without --memory)")
            }
            guard s == -1 || s >= m else {
                throw ModelError("\(who): memory_swap \(Units.formatBytes(s)) is less than memory \(Units.formatBytes(m)) (it is memory plus swap: use at least memory, or -1 for unlimited swap)")
            }
            guard memorySwapMax == nil else { throw ModelError("\(who): memory_swap and memory_swap_max both set the swap limit; give one") }
            mem.swapMax = s == -1 ? nil : s - m
        } else if let m = memory, memorySwapMax == nil {
            mem.swapMax = m  // Docker: unset → as much swap again as memory
        }
        if let sm = memorySwapMax {
            guard sm >= 0 else { throw ModelError("\(who): memory_swap_max must be 0 bytes or more") }
            mem.swapMax = sm
        }
        if let h = memoryHigh {
            guard h >= Units.pageSize else { throw ModelError("\(who): memory_high \(Units.formatBytes(h)) is not allowed (use at least 4 KiB)") }
            mem.high = h
        }
        return mem
    }

    private func namespaceList(who: String, _ v: CgroupVersion) throws -> [String] {
        guard let ns = namespaces else { return Namespaces.dockerDefault(v) }
        for n in ns where !Namespaces.all.contains(n) {
            throw ModelError("\(who): namespace \"\(n)\" is not a Linux namespace (use \(Namespaces.all.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        guard ns.contains("mnt"), ns.contains("pid") else {
            throw ModelError("\(who): namespaces must include \"mnt\" and \"pid\" (a container has its own root filesystem and process tree)")
        }
        return Array(Set(ns)).sorted()
    }
}
