/// ESXi's per-VM swap files (model-facts §2.8): at power-on a `.vswp` of configured
/// memory minus reservation (0 bytes when fully reserved) and the VMX process's own
/// swap, on the VM's datastore; both deleted at power-off and suspend. A VM whose
/// datastore cannot hold them does not power on.
extension HostMemory {
    /// The VMX swap file, "about 50–150 MB per VM" (§2.2): the middle, 100 MiB [M].
    static let vmxSwapBytes: Int64 = 100 * Units.MiB

    var usesSwapFiles: Bool { settings.swap.mode == .vswp && settings.swap.available }

    func swapFileSize(of vm: VM) -> Int64 { max(0, vm.guest.configured - vm.memAllocation.reservation) }

    /// Why the VM's swap files do not fit its datastore, or nil.
    func swapFileRefusal(for vm: VM) -> String? {
        guard usesSwapFiles else { return nil }
        let ds = vm.swapDatastore
        let need = swapFileSize(of: vm) + HostMemory.vmxSwapBytes
        guard need > ds.free else { return nil }
        return "its swap files need \(Units.formatBytes(need)) (.vswp \(Units.formatBytes(swapFileSize(of: vm))) = configured − reservation, + VMX swap \(Units.formatBytes(HostMemory.vmxSwapBytes))) but \(ds.description) has only \(Units.formatBytes(ds.free)) free"
    }

    func createSwapFile(for vm: VM) {
        guard usesSwapFiles else { return }
        let ds = vm.swapDatastore
        let size = swapFileSize(of: vm)
        ds.add(DatastoreFile(name: "\(vm.name).vswp", kind: "vswp", size: size, used: size, owner: vm.name))
        ds.add(DatastoreFile(name: "vmx-\(vm.name).vswp", kind: "vmx-swap", size: HostMemory.vmxSwapBytes,
                             used: HostMemory.vmxSwapBytes, owner: vm.name))
        log("memory.swapfile", vm.description,
                              "created \(vm.name).vswp (\(Units.formatBytes(size))) and its VMX swap on \(ds.description)")
    }

    func deleteSwapFile(of vm: VM) {
        guard usesSwapFiles, vm.state.holdsResources else { return }
        let ds = vm.swapDatastore
        ds.remove(owner: vm.name, kind: "vswp")
        ds.remove(owner: vm.name, kind: "vmx-swap")
        log("memory.swapfile", vm.description, "deleted \(vm.name).vswp from \(ds.description)")
    }
}
