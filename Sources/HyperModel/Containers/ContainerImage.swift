/// A container image: read-only layers, lowest first (overlayfs lowerdirs; datacenter-facts
/// §4.5). A layer is its size on disk; files named in it are what a container can write
/// or delete (so copy-up is whole-file); the rest of the layer is anonymous content.
public final class ContainerImage {
    public let name: String
    public let layers: [ImageLayer]
    /// Memory its entry process has resident once started (its working set), charged to the
    /// container's cgroup at start: a `memory` limit below it (with no swap) kills it at once.
    public let workingSet: Int64
    /// Its place among the datacenter's images (layers are identified by image and index).
    let id: Int

    init(name: String, layers: [ImageLayer], workingSet: Int64, id: Int) {
        self.name = name
        self.layers = layers
        self.workingSet = workingSet
        self.id = id
    }

    public var description: String { "Image(\(name))" }
    /// Bytes of all layers.
    public var size: Int64 { layers.reduce(0) { $0 + $1.size } }

    /// The file at `path` as the merged view shows it without a container's upper layer:
    /// the highest layer holding it (upper layers hide lower ones).
    func lowerFile(_ path: String) -> Int64? {
        for layer in layers.reversed() { if let s = layer.files[path] { return s } }
        return nil
    }

    /// Every file path in the image, sorted (for listings).
    public var filePaths: [String] { Array(Set(layers.flatMap { $0.files.keys })).sorted() }
}

/// One read-only layer: its files (path → bytes) and content not named as files.
public struct ImageLayer: Sendable {
    public let size: Int64
    public let files: [String: Int64]

    public init(size: Int64, files: [String: Int64] = [:]) throws {
        let named = files.values.reduce(0, +)
        guard size >= named else {
            throw ModelError("image layer: size \(Units.formatBytes(size)) is less than its files (\(Units.formatBytes(named)))")
        }
        for (p, s) in files {
            guard p.hasPrefix("/"), p.count > 1 else { throw ModelError("image layer: file \"\(p)\" is not an absolute path (use e.g. \"/data/db.bin\")") }
            guard s >= 0 else { throw ModelError("image layer: file \(p) has a negative size") }
        }
        self.size = size
        self.files = files
    }
}

extension Datacenter {
    /// `lab.image{...}`: a named image. Names are unique.
    public func addImage(name: String, layers: [ImageLayer], workingSet: Int64 = 0) throws -> ContainerImage {
        guard !name.isEmpty else { throw ModelError("image: name must not be empty") }
        guard !layers.isEmpty else { throw ModelError("image \(name): layers must list at least one layer (e.g. { \"80 MiB\" })") }
        guard layers.count <= 127 else { throw ModelError("image \(name): \(layers.count) layers is more than overlayfs stacks (use at most 127)") }
        guard workingSet >= 0 else { throw ModelError("image \(name): memory must be 0 bytes or more") }
        let registry = containerRegistry
        guard registry.images[name] == nil else { throw ModelError("image \(name): an image with this name already exists") }
        let image = ContainerImage(name: name, layers: layers, workingSet: Units.pages(workingSet), id: registry.imageList.count)
        registry.images[name] = image
        registry.imageList.append(image)
        log.record(now, "container.image", image.description,
                   "\(layers.count) layer\(layers.count == 1 ? "" : "s"), \(Units.formatBytes(image.size))")
        return image
    }
}
