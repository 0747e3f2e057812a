/// A container's writable layer over its image (overlayfs upperdir; datacenter-facts §4.5):
/// the first write to a lower-layer file copies the whole file up; a delete of a lower file
/// leaves a whiteout (a character device 0/0) and frees nothing below; new files live here.
public struct OverlayUpper: Sendable {
    /// Files in the upper layer (copied up or created), path → bytes.
    public private(set) var files: [String: Int64] = [:]
    /// Lower files hidden by a whiteout.
    public private(set) var whiteouts: Set<String> = []
    /// Bytes copied up from lower layers since start.
    public private(set) var copiedUp: Int64 = 0

    /// Bytes the upper layer holds on disk (whiteouts take an inode, no data).
    public var size: Int64 { files.values.reduce(0, +) }

    /// What the container sees at `path`: upper first, then the image (nil = no such file).
    func visible(_ path: String, image: ContainerImage?) -> Int64? {
        if let s = files[path] { return s }
        if whiteouts.contains(path) { return nil }
        return image?.lowerFile(path)
    }

    /// A write of `bytes` at `offset` into `path` (a new file when none is visible).
    /// Returns the bytes copied up (the whole lower file on its first write, else 0).
    mutating func write(_ path: String, offset: Int64, bytes: Int64, image: ContainerImage?) -> Int64 {
        if let s = files[path] {
            files[path] = max(s, offset + bytes)
            return 0
        }
        if !whiteouts.contains(path), let lower = image?.lowerFile(path) {
            files[path] = max(lower, offset + bytes)
            copiedUp += lower
            return lower
        }
        whiteouts.remove(path)
        files[path] = offset + bytes
        return 0
    }

    /// Deletes `path`; a lower file gets a whiteout. Returns false when nothing is there.
    mutating func delete(_ path: String, image: ContainerImage?) -> Bool {
        let lower = !whiteouts.contains(path) && image?.lowerFile(path) != nil
        let upper = files.removeValue(forKey: path) != nil
        if lower { whiteouts.insert(path) }
        return lower || upper
    }
}
