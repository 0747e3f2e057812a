/// Virtual I/O devices (model-facts §3.5): emulated devices trap every register access,
/// paravirtual ones share rings with the hypervisor, pass-through (DirectPath I/O) hands
/// the physical device to one VM. Throughput: pass-through ≥ paravirtual > emulated;
/// mobility the reverse.
public enum DeviceKind: String, CaseIterable, Sendable {
    case nic
    case controller = "disk-controller"
}

public enum Adapter: String, CaseIterable, Sendable {
    case e1000, vmxnet3, lsilogic, pvscsi, passthrough

    public var kind: DeviceKind? {
        switch self {
        case .e1000, .vmxnet3: return .nic
        case .lsilogic, .pvscsi: return .controller
        case .passthrough: return nil   // either
        }
    }

    public var family: String {
        switch self {
        case .e1000, .lsilogic: return "emulated"
        case .vmxnet3, .pvscsi: return "paravirtual"
        case .passthrough: return "pass-through"
        }
    }

    /// The cost model [M, docs/storage.md]: the most one device moves (Gb/s), the CPU it
    /// takes per Gb/s (guest driver + hypervisor work), and the added latency per I/O.
    public var maxGbps: Double {
        switch self {
        case .e1000: return 1
        case .lsilogic: return 4
        case .vmxnet3, .pvscsi: return 10
        case .passthrough: return 10
        }
    }

    public var mhzPerGbps: Double {
        switch self {
        case .e1000, .lsilogic: return 1200
        case .vmxnet3, .pvscsi: return 250
        case .passthrough: return 80
        }
    }

    public var latencyMicros: Double {
        switch self {
        case .e1000, .lsilogic: return 80
        case .vmxnet3, .pvscsi: return 30
        case .passthrough: return 8
        }
    }
}

public struct DeviceSpec: Sendable, Equatable {
    public var kind: DeviceKind
    public var adapter: Adapter

    public init(kind: DeviceKind, adapter: Adapter) {
        self.kind = kind
        self.adapter = adapter
    }
}

extension VMSpec {
    func validateDevices(on host: Host, who: String) throws {
        for (i, d) in devices.enumerated() {
            if let k = d.adapter.kind, k != d.kind {
                let fit = Adapter.allCases.filter { $0.kind == d.kind || $0.kind == nil }.map { "\"\($0.rawValue)\"" }
                throw ModelError("\(who): devices[\(i + 1)]: \(d.adapter.rawValue) is not a \(d.kind.rawValue) adapter (use \(fit.joined(separator: ", ")))")
            }
        }
        let passthrough = devices.filter { $0.adapter == .passthrough }.count
        guard passthrough > 0 else { return }
        guard passthrough <= 6 else { throw ModelError("\(who): \(passthrough) pass-through devices; a VM may have at most 6") }
        guard host.passthroughDevices > 0 else {
            throw ModelError("\(who): \(host.name) has no device to pass through (an IOMMU and assignable devices: lab.host{ passthrough_devices = N })")
        }
        guard mem.reservation >= memory else {
            throw ModelError("\(who): a VM with a pass-through device needs all its memory reserved (mem.reservation = \(Units.formatBytes(memory))): DirectPath I/O pins guest memory for the device's DMA")
        }
    }
}

extension VM {
    public var devices: [DeviceSpec] { spec.devices }
    public var hasPassthrough: Bool { spec.devices.contains { $0.adapter == .passthrough } }

    /// Operations DirectPath I/O rules out (§3.5, behaviour 32).
    func refusePassthroughDevices(_ operation: String) throws {
        guard hasPassthrough else { return }
        let names = ["snapshot": "snapshots", "suspend": "suspend and resume", "clone": "cloning", "vMotion": "live migration (vMotion)"]
        let what = names[operation] ?? operation
        let others = ["snapshots", "suspend and resume", "cloning", "live migration (vMotion)", "FT", "HA"].filter { $0 != what }
        throw ModelError("\(operation == "vMotion" ? "migrate" : operation): \(description) has a pass-through (DirectPath I/O) device, which rules out \(what) (and \(others.joined(separator: ", "))); use an emulated or paravirtual adapter (e1000, vmxnet3, lsilogic, pvscsi)")
    }
}

extension Host {
    /// Pass-through devices held by powered-on VMs.
    var passthroughInUse: Int {
        vms.filter { $0.state.holdsResources }.reduce(0) { $0 + $1.spec.devices.filter { $0.adapter == .passthrough }.count }
    }
}
