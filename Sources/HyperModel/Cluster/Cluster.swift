/// A group of hosts managed together (HA, migration and placement act within it).
public final class Cluster {
    public let name: String
    public internal(set) var hosts: [Host]
    /// vSphere HA, when enabled.
    public internal(set) var ha: HASettings?
    /// The root resource pool: the cluster's total resources (datacenter-facts §1.1).
    public internal(set) var root: ResourcePool!
    /// DRS: off until `enableDRS`; host eligibility and mandatory moves live here too.
    public var drs: DRS {
        if let d = drsIfAny { return d }
        let d = DRS(cluster: self)
        drsIfAny = d
        return d
    }
    /// The DRS object if anything made it (so checks need not create one).
    private(set) var drsIfAny: DRS?
    /// Maintenance-mode and DPM bookkeeping, made when a host enters maintenance or
    /// standby or DPM is enabled (DRS/MaintenanceClock.swift).
    var modes: HostModes?
    /// The EVC baseline every host presents, nil when EVC is off (DRS/EVC.swift).
    public internal(set) var evc: CPUGeneration?

    init(name: String, hosts: [Host]) {
        self.name = name
        self.hosts = hosts
    }
}
