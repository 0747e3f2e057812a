/// A VM's memory counters as vSphere and esxtop name them (model-facts §2.1), in bytes.
extension VM {
    /// Guest-physical memory mapped to machine memory, private or shared.
    public var granted: Int64 { state.holdsResources ? GuestMemory.bytes(guest.grantedPages) : 0 }
    /// Machine memory the VM uses for guest memory: its private pages, its compression
    /// cache, and its part of the shared pages it maps (a page shared by two VMs counts
    /// half to each). Never more than configured memory; overhead is reported apart.
    public var consumed: Int64 { consumed(in: host.memory) }
    /// `consumed`, with its host's memory at hand (the sampler's, once per host).
    @inline(__always)
    func consumed(in memory: HostMemory) -> Int64 {
        guard state.holdsResources else { return 0 }
        return GuestMemory.bytes(guest.privatePages) + memory.cacheBytes(of: guest)
            + Int64((guest.sharedCharge * Double(Units.pageSize)).rounded())
    }
    /// The VMkernel's estimate of memory the guest actively uses.
    public var active: Int64 { state == .on ? guest.estimator.value : 0 }
    /// Overhead memory held while powered on.
    public var overhead: Int64 { state.holdsResources ? overheadReservation : 0 }
    /// Guest memory mapped to pages shared with itself or other VMs.
    public var shared: Int64 { state.holdsResources ? GuestMemory.bytes(guest.sharedPages) : 0 }
    /// Pinned by the balloon driver (MCTLSZ).
    public var ballooned: Int64 { GuestMemory.bytes(guest.balloonPages) }
    /// Guest memory held compressed in the cache.
    public var compressed: Int64 { state.holdsResources ? GuestMemory.bytes(guest.compressedPages) : 0 }
    /// What the compression cache uses (esxtop CACHEUSD): its 1 KB and 2 KB slots.
    public var compressionCacheUsed: Int64 { state.holdsResources ? host.memory.cacheBytes(of: self) : 0 }
    /// The cache's size (CACHESZ): the machine pages it occupies, grown as pages are
    /// compressed into it [M].
    public var compressionCacheSize: Int64 { Units.pages(compressionCacheUsed) }
    /// Memory compression saves (ZSAVE): compressed guest memory less the cache it takes.
    public var compressionSaved: Int64 { max(0, compressed - compressionCacheUsed) }
    /// Guest memory in the host swap file (SWCUR).
    public var swapped: Int64 { state.holdsResources ? GuestMemory.bytes(guest.swappedPages) : 0 }
    /// The balloon size the host asks for (MCTLTGT).
    public var balloonTarget: Int64 { GuestMemory.bytes(guest.balloonTargetPages) }
    /// What the host wants compressed or swapped (SWTGT).
    public var swapTarget: Int64 { GuestMemory.bytes(guest.swapTargetPages) }
    /// The host's allocation target for the VM.
    public var memoryTarget: Int64 { GuestMemory.bytes(guest.targetPages) }

    var memLimitPages: Int64? { memAllocation.limit.map { $0 / Units.pageSize } }

    /// Xen: the domain's memory when its maxmem is larger (it boots ballooned down).
    var xenTarget: Int64? {
        guard host.memory.settings.profile == .xen, let m = memAllocation.max, m > memory else { return nil }
        return memory
    }

    /// The datastore of the VM's swap file: its host's first datastore, else the
    /// host's local disk.
    public var swapDatastore: Datastore { host.datastores.first ?? host.localDatastore }
}

extension VM {
    /// The most its balloon may hold now, in bytes.
    public var balloonCap: Int64 { state.holdsResources ? host.memory.balloonCap(self) * Units.pageSize : 0 }
    /// Blocked from allocating in the low state.
    public var memoryBlocked: Bool { state == .on && guest.blocked }
    /// Its .vswp file while it holds memory (0 when off or without swap files).
    public var swapFileSize: Int64 {
        state.holdsResources && host.memory.usesSwapFiles ? host.memory.swapFileSize(of: self) : 0
    }
}
