/// A host joining a cluster after it was made (`c:add_host(h)`, vCenter's "Move host into
/// cluster"): refused when it is in another cluster, has resource pools of its own, or
/// (behaviour 59) its CPU lacks a feature of the cluster's EVC baseline; and, as vCenter
/// asks, while it is in no fit state to take part (failed, entering maintenance or
/// standby). Its VMs join the cluster's root pool; DRS, HA and DPM see it from their next
/// evaluation.
extension Cluster {
    public func addHost(_ h: Host) throws {
        let who = "\(description):add_host"
        if hosts.contains(where: { $0 === h }) { throw ModelError("\(who): host \(h.name) is already in \(name)") }
        if let other = h.clusterMembership { throw ModelError("\(who): host \(h.name) is already in cluster \(other.name) (a host belongs to one cluster)") }
        guard h.hypervisor != .none else {
            throw ModelError("\(who): host \(h.name) has hypervisor \"none\" (a Linux node for containers); a vSphere cluster holds hypervisor hosts")
        }
        guard !h.failed else { throw ModelError("\(who): host \(h.name) has failed; recover it first") }
        guard h.evacuation == nil else { throw ModelError("\(who): host \(h.name) is being evacuated; wait until it is in maintenance mode or standby") }
        try h.checkCanJoinCluster(name)
        if let why = evcJoinRefusal(h) {
            datacenter.log.record(datacenter.now, "evc", description, "host \(h.name) refused: \(why)")
            throw ModelError("\(who): host \(h.name) cannot join: \(why)")
        }
        if let b = evc {
            let above = h.vms.filter { v in v.state != .off && v.cpuFeatures.map { !b.has($0) } ?? false }
            if !above.isEmpty {
                throw ModelError("\(who): host \(h.name) cannot join: \(above.map(\.name).joined(separator: ", ")) \(above.count == 1 ? "runs" : "run") with CPU features above the cluster's EVC baseline \"\(b.name)\" (power \(above.count == 1 ? "it" : "them") off first, as vCenter asks)")
            }
        }
        hosts.append(h)
        h.clusterMembership = self
        for vm in h.root.vms {
            root.vms.append(vm)
            vm.pool = root
        }
        h.root.vms.removeAll()
        h.root.solver.invalidate()
        datacenter.log.record(datacenter.now, "cluster.join", description, "host \(h.name) joined (\(h.cpuGeneration.name)); \(hosts.count) hosts")
        root.treeChanged(topology: true)
    }
}
