/// Per-VM overhead memory (frame buffer, page tables, VMX): a fit of the vSphere 6.5/6.7
/// "Overhead Memory on Virtual Machines" table, measured with VMX swap and hardware MMU:
/// 18.4 MB + 7.6 MB per GB configured + 4 MB per vCPU beyond the first, within ±2 MB of
/// every row (model-facts §2.2). It must be available to power on and is reported apart
/// from consumed memory.
public enum Overhead {
    public static func bytes(configured: Int64, vcpus: Int) -> Int64 {
        let gb = Double(configured) / Double(Units.GiB)
        let mb = 18.4 + 7.6 * gb + 4.0 * Double(max(vcpus - 1, 0))
        return Units.pages(Int64((mb * Double(Units.MiB)).rounded()))
    }
}
