/// Enhanced vMotion Compatibility (datacenter-facts §2.8, behaviour 59; vSphere 6.7
/// GUID-9F444D9B, KB 1005764).
///
/// A guest sees its CPU's features when it powers on and may use any of them from then
/// on, so it can only run on a CPU that has them all: the feature set is fixed at
/// power-on (the cluster's baseline under EVC, else its host's generation) and kept until
/// it powers off (a suspended VM keeps it through resume). A live migration to a host
/// lacking one of its features is refused; DRS balancing, mandatory moves and evacuations
/// skip such hosts (an evacuation names them: "no compatible host"). An HA restart and a
/// cold power-on are boots, so they fix the feature set again on the new host.
///
/// With EVC on, every host presents the baseline, so VMs powered on in the cluster move
/// between any of its hosts. The baseline must be a subset of every host's features (a
/// host that lacks one cannot join), and EVC can only be turned on, or its baseline
/// changed, while no running VM of the cluster uses a feature above the new baseline
/// (vCenter asks to power such VMs off first).
extension Cluster {
    /// `c:enable_evc("haswell")`: turns EVC on with that baseline, or changes it.
    public func enableEVC(_ baseline: CPUGeneration) throws {
        let who = "\(description):enable_evc"
        try Cluster.checkEVC(baseline, hosts: hosts, who)
        guard evc != baseline else { return }
        let was = evc
        evc = baseline
        datacenter.log.record(datacenter.now, "evc", description,
                              "EVC \(was == nil ? "enabled" : "baseline changed from \(was!.name)"): every host presents \(baseline.label) (\(baseline.features.count) features); VMs powered on from now on get it")
    }

    /// Refuses a baseline some host's CPU lacks, naming each such host and what it lacks,
    /// or one below the features a running or suspended VM on them uses.
    static func checkEVC(_ baseline: CPUGeneration, hosts: [Host], _ who: String) throws {
        let lacking = hosts.filter { !$0.cpuGeneration.has(baseline) }
        guard !lacking.isEmpty else {
            let above = hosts.flatMap(\.vms).filter { v in v.state != .off && v.cpuFeatures.map { !baseline.has($0) } ?? false }
            guard !above.isEmpty else { return }
            throw ModelError("\(who): \(above.count) VM\(above.count == 1 ? "" : "s") running or suspended with CPU features above the baseline \"\(baseline.name)\" would lose them: " + above.map {
                "\($0.name) (\($0.cpuFeatures!.name), uses \(CPUGeneration.listed(baseline.lacking($0.cpuFeatures!))))"
            }.joined(separator: "; ") + " (power them off first, as vCenter asks)")
        }
        throw ModelError("\(who): the baseline \"\(baseline.name)\" (\(baseline.label)) needs every host's CPU to have its features; " + lacking.map {
            "host \($0.name) has \($0.cpuGeneration.name) (\($0.cpuGeneration.label)), which \($0.cpuGeneration.gap(to: baseline))"
        }.joined(separator: "; ") + " (choose a baseline no newer than the oldest host's generation, of the same vendor)")
    }

    /// `c:disable_evc()`: hosts present their own CPUs again; running VMs keep the
    /// feature set they booted with.
    public func disableEVC() throws {
        guard let was = evc else { throw ModelError("\(description):disable_evc: EVC is not enabled (c.evc is nil)") }
        evc = nil
        datacenter.log.record(datacenter.now, "evc", description, "EVC disabled (was \(was.name)): VMs powered on from now on get their host's CPU features; running VMs keep theirs")
    }

    /// Why `h` cannot join this cluster's EVC, nil when it can.
    func evcJoinRefusal(_ h: Host) -> String? {
        guard let b = evc, !h.cpuGeneration.has(b) else { return nil }
        return "its CPU (\(h.cpuGeneration.name), \(h.cpuGeneration.label)) cannot present the cluster's EVC baseline \"\(b.name)\": it \(h.cpuGeneration.gap(to: b)) (a host joins an EVC cluster only if it can present the baseline)"
    }
}

extension CPUGeneration {
    /// What this CPU lacks of `baseline`, for messages: "lacks AVX2 and FMA3", or the
    /// vendor when they differ.
    func gap(to baseline: CPUGeneration) -> String {
        guard vendor == baseline.vendor else {
            return "is \(vendor == .intel ? "an Intel" : "an AMD") CPU and cannot present \(baseline.vendor == .intel ? "an Intel" : "an AMD") baseline (EVC never mixes vendors)"
        }
        return "lacks \(CPUGeneration.listed(lacking(baseline)))"
    }

    /// "AVX2, FMA3 and BMI1" for messages (at most six named).
    static func listed(_ f: [String]) -> String {
        let shown = f.prefix(6)
        let more = f.count > 6 ? " and \(f.count - 6) more" : ""
        if shown.count <= 1 { return (shown.first ?? "nothing") + more }
        return more.isEmpty ? shown.dropLast().joined(separator: ", ") + " and " + shown.last! : shown.joined(separator: ", ") + more
    }
}

extension VM {
    /// At power-on the guest sees its cluster's baseline, or its host's CPU; a resumed
    /// guest keeps what it saw.
    func fixCPUFeatures(resuming: Bool) {
        if resuming, cpuFeatures != nil { return }
        cpuFeatures = host.clusterMembership?.evc ?? host.cpuGeneration
    }

    /// Why the running guest cannot move to `target`'s CPU (vMotion's CPU compatibility
    /// check), nil when it can: `target` presents its cluster's baseline when EVC is on.
    public func cpuRefusal(on target: Host) -> String? {
        guard let f = cpuFeatures, state != .off else { return nil }
        let presented = target.clusterMembership?.evc ?? target.cpuGeneration
        if presented.has(f) { return nil }
        let evc = target.clusterMembership?.evc != nil ? " under EVC baseline \"\(presented.name)\"" : ""
        let uses = presented.vendor == f.vendor ? "uses \(CPUGeneration.listed(presented.lacking(f)))" : "is \(f.vendor == .intel ? "an Intel" : "an AMD") CPU's (vMotion never crosses vendors)"
        return "CPU incompatible: the guest booted with \(f.name) features and \(uses), which \(target.name) (\(target.cpuGeneration.name)\(evc)) does not present (power the VM off and on to boot it there, or enable EVC with an older baseline)"
    }
}
