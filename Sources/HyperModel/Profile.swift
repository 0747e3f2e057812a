/// A named set of parameters and policy choices of one hypervisor family: the default
/// CPU scheduler of new hosts and how their memory is managed (ReclaimSettings).
public enum Profile: String, CaseIterable, Sendable {
    /// VMware ESXi (vSphere 6.x+): the default.
    case esxi
    /// Xen with the credit scheduler: domains populated at creation, balloon targets
    /// set by the administrator (`xl mem-set`), no page sharing or host swapping.
    case xen
    /// KVM: vCPUs as threads under CFS, guest memory as QEMU process memory with KSM,
    /// virtio-balloon targets set by the administrator, and the host's swap behind zswap.
    case kvm

    public var defaultScheduler: SchedulerKind {
        switch self {
        case .esxi: return .esx
        case .xen: return .credit
        case .kvm: return .cfs
        }
    }
}
