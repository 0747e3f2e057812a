/// How a virtual disk's space is allocated and zeroed (model-facts §3.2).
public enum Provisioning: String, CaseIterable, Sendable {
    /// Allocated and zeroed on first write, in 1 MB blocks; may over-subscribe.
    case thin
    /// Allocated at creation, each block zeroed on its first write (a zero-fill + write).
    case thickLazy = "thick-lazy"
    /// Allocated and zeroed at creation (time ∝ size / write bandwidth).
    case thickEager = "thick-eager"

    public static var names: [String] { allCases.map(\.rawValue) }
}

/// A virtual disk: a descriptor `X.vmdk` and its extent `X-flat.vmdk` on a datastore,
/// plus one delta `X-00000N-delta.vmdk` per snapshot. The guest fills it from the start
/// (new data) and rewrites by cycling over what it wrote; each layer remembers which
/// blocks it holds as a `BlockSet`, so a 2 TB disk costs a few intervals.
public final class VirtualDisk {
    public static let blockSize = Units.MiB
    public let name: String
    public unowned(unsafe) let vm: VM
    public let datastore: Datastore
    public let size: Int64
    public internal(set) var provisioning: Provisioning
    /// Blocks holding data, from block 0.
    var highWater: Int64 = 0
    /// Where the next rewrite of existing data starts.
    var rewriteCursor: Int64 = 0
    /// The base, then one delta per snapshot; writes go to the last layer.
    var layers: [BlockSet] = [BlockSet()]
    /// Lazy-zeroed and thin: blocks of the base zeroed so far (their first write did it).
    var zeroed = BlockSet()
    /// Bytes still to write before the disk can be used: zeros of an eager-zeroed disk,
    /// the data of a full clone.
    var zeroingLeft: Int64 = 0
    /// What the preparation is ("zeroed" or "copied") and how much it was in all.
    var preparing = "zeroed"
    var preparationTotal: Int64 = 0
    /// A linked clone's shared, read-only base (the template's disk).
    public let parent: VirtualDisk?

    init(name: String, vm: VM, datastore: Datastore, size: Int64, provisioning: Provisioning, parent: VirtualDisk? = nil) {
        self.name = name
        self.vm = vm
        self.datastore = datastore
        self.size = (size + VirtualDisk.blockSize - 1) / VirtualDisk.blockSize * VirtualDisk.blockSize
        self.provisioning = provisioning
        self.parent = parent
        if provisioning == .thickEager && parent == nil {
            zeroingLeft = self.size
            preparationTotal = self.size
        }
        if let p = parent {
            // a linked clone starts where its base was, with an empty delta of its own
            highWater = p.highWater
            layers = [BlockSet(), BlockSet()]
        }
    }

    public var description: String { "Disk(\(name).vmdk)" }
    var blocks: Int64 { size / VirtualDisk.blockSize }
    /// Bytes the guest has written (the disk's data, all layers together).
    public var written: Int64 { highWater * VirtualDisk.blockSize }
    /// False while an eager-zeroed disk is still being zeroed.
    public var ready: Bool { zeroingLeft == 0 }
    public var snapshotDepth: Int { layers.count - 1 - (parent == nil ? 0 : 1) }

    /// Bytes the base extent takes on the datastore: thin grows with first writes; thick
    /// is allocated whole at creation; a linked clone's base is the template's.
    public var baseAllocated: Int64 {
        if parent != nil { return 0 }
        return provisioning == .thin ? layers[0].count * VirtualDisk.blockSize : size
    }

    /// Bytes each delta takes (a delta never exceeds its base).
    public var deltaAllocated: [Int64] { layers.dropFirst().map { $0.count * VirtualDisk.blockSize } }

    /// Everything of this disk on the datastore (summed without an array: datastores add
    /// it up for every disk at every sample their usage alarm looks at).
    public var allocated: Int64 {
        var total = baseAllocated
        for layer in layers.dropFirst() { total += layer.count * VirtualDisk.blockSize }
        return total
    }

    /// Worst case: base × (1 + snapshots) (deltas may each grow to the base's size).
    public var provisioned: Int64 { (parent == nil ? size : 0) + Int64(layers.count - 1) * size }

    /// The files the datastore browser lists.
    var files: [DatastoreFile] {
        var out = [DatastoreFile(name: "\(name).vmdk", kind: "vmdk", size: 1024, used: 1024, owner: vm.name)]
        if parent == nil {
            out.append(DatastoreFile(name: "\(name)-flat.vmdk", kind: "flat-\(provisioning.rawValue)", size: size, used: baseAllocated, owner: vm.name))
        }
        for (i, d) in deltaAllocated.enumerated() {
            let n = i + 1
            let index = String(repeating: "0", count: max(0, 6 - String(n).count)) + String(n)
            out.append(DatastoreFile(name: "\(name)-\(index)-delta.vmdk", kind: "delta", size: size, used: d, owner: vm.name))
        }
        return out
    }

    // MARK: writing

    /// Blocks the next `n` block writes touch, and how many of them need new space on the
    /// datastore and how many a first-write zeroing (the I/O cost is twice theirs).
    func plan(_ n: Int64, rewrite: Bool) -> (range: Range<Int64>, newSpace: Int64, zeroing: Int64) {
        let r = target(n, rewrite: rewrite)
        let top = layers.count - 1
        let newInTop = layers[top].missing(in: r)
        let newSpace = (top == 0 && provisioning != .thin) || (top == 0 && parent != nil) ? 0 : newInTop
        let zeroing = top == 0 && provisioning != .thickEager ? zeroed.missing(in: r) : (top > 0 ? newInTop : 0)
        return (r, newSpace, zeroing)
    }

    /// The blocks of the next `n` writes: new data after the high-water mark, or a rewrite
    /// cycling over the data already there.
    private func target(_ n: Int64, rewrite: Bool) -> Range<Int64> {
        if rewrite && highWater > 0 {
            let start = rewriteCursor % highWater
            return start..<min(highWater, start + n)
        }
        let start = min(highWater, blocks)
        return start..<min(blocks, start + n)
    }

    /// Applies a write planned by `plan`.
    func commit(_ r: Range<Int64>, rewrite: Bool) {
        guard !r.isEmpty else { return }
        layers[layers.count - 1].insert(r)
        if layers.count == 1 { zeroed.insert(r) }
        if rewrite { rewriteCursor = r.upperBound % max(highWater, 1) } else { highWater = max(highWater, r.upperBound) }
    }

    // MARK: snapshots

    func addDelta() { layers.append(BlockSet()) }

    /// Discards the deltas above layer `k` and starts an empty one on it; the data goes
    /// back to what it was when layer `k` was frozen.
    func revert(toLayer k: Int, highWater hw: Int64) {
        layers.removeLast(layers.count - (k + 1))
        layers.append(BlockSet())
        highWater = hw
        rewriteCursor = 0
    }

    /// Merges delta `i` (≥ 1) into the layer below it (consolidation).
    func merge(delta i: Int) -> Int64 {
        let moved = layers[i].count * VirtualDisk.blockSize
        if i - 1 == 0 && parent == nil {
            layers[0].formUnion(layers[i])
            zeroed.formUnion(layers[i])
        } else {
            layers[i - 1].formUnion(layers[i])
        }
        layers.remove(at: i)
        return moved
    }
}
