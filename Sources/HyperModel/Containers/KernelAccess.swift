/// Where kernels live: one per bare-metal Linux node (`hypervisor = "none"`), made with the
/// host; one per VM guest, made on its first container.
extension Host {
    /// The node's Linux kernel (nil on a host with a hypervisor).
    public var kernel: LinuxKernel? {
        guard hypervisor == .none else { return nil }
        if let k = linuxKernel { return k }
        let k = LinuxKernel(host: self, vm: nil, cgroup: linuxSpec.cgroup, swap: linuxSpec.swap)
        linuxKernel = k
        return k
    }

    /// `node:run_container{...}`: only on a Linux node; with a hypervisor, containers run in a VM.
    public func runContainer(name: String, image: ContainerImage?, options: DockerOptions) throws -> Container {
        guard let k = kernel else {
            throw ModelError("run_container \(name): \(description) runs a \(hypervisor.rawValue) hypervisor, not a Linux kernel; run containers in a VM (vm.guest:run_container{...}) or on a host with hypervisor = \"none\"")
        }
        return try k.runContainer(name: name, image: image, options: options)
    }

    public func panic() throws {
        guard let k = kernel else {
            throw ModelError("panic: \(description) runs a \(hypervisor.rawValue) hypervisor; panic a VM's guest kernel (vm.guest:panic()) or a Linux node")
        }
        try k.panic()
    }
}

extension VM {
    /// The guest's Linux kernel as a container host (made on first use).
    public var kernel: LinuxKernel {
        if let k = guestKernel { return k }
        let k = LinuxKernel(host: host, vm: self, cgroup: .v2, swap: guest.guestSwapPages * Units.pageSize)
        guestKernel = k
        return k
    }

    public func runContainer(name: String, image: ContainerImage?, options: DockerOptions) throws -> Container {
        guard state == .on else { throw ModelError("run_container \(name): \(description) is \(state.rawValue); power it on first") }
        return try kernel.runContainer(name: name, image: image, options: options)
    }
}

/// What `lab.host{ hypervisor = "none" }` adds: the kernel's cgroup version and swap.
public struct LinuxSpec: Sendable {
    public var cgroup = CgroupVersion.v2
    /// Swap space of the node (2 GiB [M], a common installer default).
    public var swap: Int64 = 2 * Units.GiB
    public init() {}
}
