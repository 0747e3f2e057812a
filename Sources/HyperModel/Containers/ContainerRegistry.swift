/// The containers' share of a datacenter: images, kernels, containers by name.
final class ContainerRegistry {
    var images: [String: ContainerImage] = [:]
    var imageList: [ContainerImage] = []
    var containerNames: Set<String> = []
    var kernels: [LinuxKernel] = []
    var sampler: ContainerSampler?
}
