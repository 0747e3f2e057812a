import HyperModel
import LuaKit

/// `vm.memory` (the host's view, as vSphere and esxtop name it), `vm.guest` (the guest
/// OS's view) and `vm:mem_set`.
extension LabAPI {
    func defineVMMemory() {
        vmMemory.property("configured", "integer", "Configured memory (what the guest sees); writable (\"8 GiB\"): freely while the VM is off, upward only while it runs and only when created with memory_hot_add = true (vSphere's memory hot plug). Overhead and the .vswp file follow; a reservation above the new size is refused.",
                          get: { v, c in c.push(v.memory) },
                          set: { v, c in
                              let b = try Quantity.bytes(c.value(3), "\(v.description).memory", "configured")
                              try model { try v.reconfigure(memory: b) }
                          })
            .property("provisioned", "integer", "Provisioned memory: the configured size.") { v, c in c.push(v.memory) }
            .property("granted", "integer", "Guest memory backed by machine memory.") { v, c in c.push(v.granted) }
            .property("consumed", "integer", "Machine memory used by the VM (granted minus sharing savings), overhead excluded.") { v, c in
                c.push(v.consumed)
            }
            .property("active", "integer", "The VMkernel's estimate of memory the guest actively uses.") { v, c in c.push(v.active) }
            .property("overhead", "integer", "Overhead memory while powered on (reported apart from consumed).") { v, c in c.push(v.overhead) }
            .property("shared", "integer", "Guest memory backed by pages shared with itself or other VMs (vCenter's shared).") { v, c in c.push(v.shared) }
            .property("ballooned", "integer", "Memory held by the balloon driver (esxtop MCTLSZ).") { v, c in c.push(v.ballooned) }
            .property("balloon_target", "integer", "What the balloon should hold (esxtop MCTLTGT).") { v, c in c.push(v.balloonTarget) }
            .property("max_balloon", "integer", "The most the balloon may hold now: min(max_percent × configured, mem.max_balloon, configured − reservation − compressed − swapped); 0 without tools.") { v, c in
                c.push(v.balloonCap)
            }
            .property("compressed", "integer", "Guest memory held in the compression cache (esxtop ZIP).") { v, c in c.push(v.compressed) }
            .property("compression_cache_used", "integer", "What the compression cache uses: 1 KB or 2 KB per compressed page (esxtop CACHEUSD).") { v, c in c.push(v.compressionCacheUsed) }
            .property("compression_cache_size", "integer", "The machine memory the compression cache occupies, in whole pages (esxtop CACHESZ).") { v, c in c.push(v.compressionCacheSize) }
            .property("compression_saved", "integer", "Memory compression saves: compressed memory less the cache it takes (esxtop ZSAVE).") { v, c in c.push(v.compressionSaved) }
            .property("swapped", "integer", "Guest memory swapped out by the host (esxtop SWCUR).") { v, c in c.push(v.swapped) }
            .property("swap_target", "integer", "What the host means to swap (esxtop SWTGT).") { v, c in c.push(v.swapTarget) }
            .property("target", "integer", "The host's allocation target from shares, reservation, limit and the idle tax (ESXi).") { v, c in
                c.push(v.memoryTarget)
            }
            .property("swap_in_rate", "number", "Bytes/s read back from host swap in the last sample interval (esxtop SWR/s).") { v, c in
                c.push(v.metrics.memory.swapIn)
            }
            .property("swap_out_rate", "number", "Bytes/s written to host swap (esxtop SWW/s).") { v, c in c.push(v.metrics.memory.swapOut) }
            .property("compress_rate", "number", "Bytes/s compressed (esxtop ZIP/s).") { v, c in c.push(v.metrics.memory.compress) }
            .property("decompress_rate", "number", "Bytes/s decompressed (esxtop UNZIP/s).") { v, c in c.push(v.metrics.memory.decompress) }
            .property("blocked", "boolean", "The VM may not allocate: the host is in the low state and the VM is above its target.") { v, c in
                c.push(v.memoryBlocked)
            }
            .property("reservation", "integer", "Reserved memory; writable, also while it runs (admission control applies).",
                      get: { v, c in c.push(v.memAllocation.reservation) }, set: { v, c in try LabAPI.setMemory(v, c, "reservation") })
            .property("limit", "integer?", "Memory limit, nil when unlimited; writable, also while it runs (nil removes it).",
                      get: { v, c in if let l = v.memAllocation.limit { c.push(l) } else { c.pushNil() } },
                      set: { v, c in try LabAPI.setMemory(v, c, "limit") })
            .property("shares", "integer", "Memory shares (10 per MB configured for normal); writable, also while it runs.",
                      get: { v, c in c.push(v.memShares) }, set: { v, c in try LabAPI.setMemory(v, c, "shares") })
            .property("swap_file", "integer", "Size of the VM's .vswp file while powered on: configured − reservation (0 when off).") { v, c in
                c.push(v.swapFileSize)
            }

        guest.property("os", "string", "The guest OS image.", stable: true) { v, c in c.push(v.guestOS) }
            .property("used", "integer", "Bytes the guest OS and its applications hold.") { v, c in c.push(v.guest.used) }
            .property("free_list", "integer", "Bytes the guest freed but the host still backs (invisible to the host).") { v, c in
                c.push(v.guest.freeList)
            }
            .property("touched", "integer", "Bytes written since boot.") { v, c in c.push(v.guest.touched) }
            .property("available", "integer", "Bytes the guest can still allocate.") { v, c in c.push(v.guest.available) }
            .property("swapped", "integer", "Bytes the guest paged out to its own swap (to make room for the balloon).") { v, c in
                c.push(v.guest.swappedByGuest)
            }
            .method(
                "touch",
                doc: "The guest allocates and writes memory: free-list pages are reused first, then new pages are backed by the host. Pages the host cannot back yet wait until it can.",
                params: [LuaParam("size", "integer|string", "e.g. \"1 GiB\"."), LuaParam("options", "lab.TouchOptions", "", optional: true)]
            ) { v, call in
                let ctx = "\(v.description).guest:touch"
                let b = try Quantity.bytes(call.value(2), ctx, "size", allowZero: true)
                var zero = 0.0
                var mix = Compressibility.typical
                if !call.value(3).isNil {
                    let o = try call.options(3, LabAPI.touchOptions, context: ctx)
                    (zero, mix) = try LabAPI.content(o)
                }
                try model { try v.guestTouch(b, zero: zero, mix: mix) }
                return 0
            }
            .method(
                "free", doc: "The guest frees memory: its free list grows; the host cannot tell, so consumed memory stays.",
                params: [LuaParam("size", "integer|string", "e.g. \"512 MiB\".")]
            ) { v, call in
                let b = try Quantity.bytes(call.value(2), "\(v.description).guest:free", "size", allowZero: true)
                try model { try v.guestFree(b) }
                return 0
            }
            .method(
                "write",
                doc: "The guest writes over memory it holds: `over = \"image\"` (an OS update: its image pages become private), \"zero\" (zeroed pages get data) or \"data\". Shared pages are copied first (copy-on-write), so sharing savings shrink.",
                params: [LuaParam("size", "integer|string", "e.g. \"256 MiB\"."),
                         LuaParam("over", "\"image\"|\"zero\"|\"data\"", "Which pages (default \"data\").", optional: true)]
            ) { v, call in
                let ctx = "\(v.description).guest:write"
                let b = try Quantity.bytes(call.value(2), ctx, "size", allowZero: true)
                var kind = PageKind.active
                switch call.value(3) {
                case .none, .nil, .string("data"): kind = .active
                case .string("image"): kind = .image
                case .string("zero"): kind = .zeroUsed
                case let x: throw Quantity.bad(ctx, "over", x, "a page content (use \"image\", \"zero\" or \"data\")")
                }
                try model { try v.guestWrite(b, over: kind) }
                return 0
            }

        vm.method(
            "mem_set",
            doc: "Sets the memory the guest keeps, as Xen's `xl mem-set` and libvirt's `virsh setmem`: its balloon inflates or deflates to configured − size (up to mem.max on Xen). Refused on ESXi, which sets balloon targets itself.",
            params: [LuaParam("size", "integer|string", "e.g. \"2 GiB\".")]
        ) { v, call in
            let b = try Quantity.bytes(call.value(2), "\(v.description):mem_set", "size")
            try model { try v.setMemoryTarget(b) }
            return 0
        }
    }

    /// `zero` and `compressible` of a touch or a memory workload.
    static func content(_ o: LuaOptions) throws -> (zero: Double, mix: Compressibility) {
        var zero = 0.0
        var mix = Compressibility.typical
        if let z = try o.number("zero") {
            guard z >= 0, z <= 1 else { throw o.bad("zero", o["zero"], expected: "a fraction from 0 to 1") }
            zero = z
        }
        if let c = try o.number("compressible") {
            guard c >= 0, c <= 1 else { throw o.bad("compressible", o["compressible"], expected: "a fraction from 0 to 1") }
            // a third of the compressible pages shrink to 1 KB, as in the default mix
            mix = Compressibility(quarter: c / 3, half: c * 2 / 3)
        }
        return (zero, mix)
    }
}
