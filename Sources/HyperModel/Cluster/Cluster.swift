/// A group of hosts managed together (HA, migration and placement act within it).
public final class Cluster {
    public let name: String
    public let hosts: [Host]
    /// vSphere HA, when enabled.
    public internal(set) var ha: HASettings?
    /// The root resource pool: the cluster's total resources (datacenter-facts §1.1).
    public internal(set) var root: ResourcePool!

    init(name: String, hosts: [Host]) {
        self.name = name
        self.hosts = hosts
    }
}
