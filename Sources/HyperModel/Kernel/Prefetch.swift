import CPrefetch

/// Cache prefetch hints for the sampler's pass over the hosts: a datacenter's state does
/// not fit in cache, and each host's is spread over many objects, each a miss when first
/// touched. Asking for the next hosts' objects while the current one is worked on lets
/// those misses overlap with work instead of stalling it. Hints only: they read nothing
/// the model sees and change nothing, so results do not depend on them.
enum Prefetch {
    @inline(__always)
    static func object(_ o: AnyObject, lines: Int32) {
        hl_prefetch(Unmanaged.passUnretained(o).toOpaque(), lines)
    }

    @inline(__always)
    static func bytes(_ p: UnsafeRawPointer, _ n: Int) {
        hl_prefetch(p, Int32(min((n + 63) / 64, 64)))
    }

    @inline(__always)
    static func array<T>(_ a: [T]) {
        a.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { bytes(base, b.count * MemoryLayout<T>.stride) }
        }
    }

    /// The header and first elements of an array held in a stored property, asked for
    /// without reading the array: a retain, a count or a uniqueness check would each wait
    /// for the very line being asked for. (An array is one reference to its buffer.)
    @inline(__always)
    static func arrayHead<T>(_ a: inout [T], lines: Int32) {
        withUnsafeMutablePointer(to: &a) { p in
            hl_prefetch(UnsafeRawPointer(p).load(as: UnsafeRawPointer.self), lines)
        }
    }

    /// The pipeline of `Sampler`: before host `i` is sampled, host i + 3's object is asked
    /// for, host i + 2's engine, memory and VM list, and host i + 1's engine state and VMs,
    /// each stage reading only what the stage before brought in.
    @inline(__always)
    static func hosts(_ hosts: [Host], before i: Int, stride: Int) {
        let n = hosts.count
        if i + 3 * stride < n { object(hosts[i + 3 * stride], lines: 4) }
        if i + 2 * stride < n {
            let h = hosts[i + 2 * stride]
            h.cpu.prefetchObject()
            object(h.memory, lines: 2)
            array(h.vms)
        }
        if i + stride < n {
            let h = hosts[i + stride]
            h.cpu.prefetchState()
            for vm in h.vms { object(vm, lines: 8) }
        }
    }
}
