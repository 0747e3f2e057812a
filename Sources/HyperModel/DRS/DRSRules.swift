/// DRS rules (datacenter-facts §2.4, vSphere 6.7 Resource Mgmt page 99, vSphere 8
/// GUID-793013E2): VM-VM affinity (keep together) and anti-affinity (separate), and
/// VM-host rules linking VMs to hosts, required ("must (not) run on") or preferential
/// ("should (not) run on").
///
/// Conflicts are handled as vCenter does: a VM-VM rule that conflicts with an older
/// enabled one (keep A and B together, then separate them) is created disabled, saying
/// which rule it conflicts with; the older wins. A rule that would leave a VM no host
/// under the required VM-host rules (an empty intersection of must groups, partners kept
/// together with no common allowed host, more VMs to separate than allowed hosts) is
/// refused with an error and nothing is created: required rules are never broken.
public final class DRSRule: CustomStringConvertible {
    public enum Kind: String, CaseIterable, Sendable {
        case vmAffinity = "vm-affinity"
        case vmAntiAffinity = "vm-anti-affinity"
        case vmHost = "vm-host"
    }

    public let name: String
    public let kind: Kind
    public let vms: [VM]
    /// The host group of a VM-host rule.
    public let hosts: [Host]
    /// VM-host: required (must) or preferential (should). VM-VM rules are always kept by DRS.
    public let must: Bool
    /// VM-host: "must/should not run on" the hosts instead of "run on".
    public let avoid: Bool
    /// Creation order: the older rule wins a conflict.
    public let order: Int
    public internal(set) var enabled: Bool
    /// Why it is disabled (the rule it conflicts with), nil when it is not.
    public internal(set) var conflict: String?

    init(name: String, kind: Kind, vms: [VM], hosts: [Host], must: Bool, avoid: Bool, order: Int) {
        self.name = name
        self.kind = kind
        self.vms = vms
        self.hosts = hosts
        self.must = must
        self.avoid = avoid
        self.order = order
        self.enabled = true
    }

    public var description: String { "Rule(\(name))" }

    /// "must run on esx01, esx02", "separate web1, web2"…
    public var summary: String {
        let names = vms.map(\.name).joined(separator: ", ")
        switch kind {
        case .vmAffinity: return "keep \(names) together"
        case .vmAntiAffinity: return "separate \(names)"
        case .vmHost: return "\(names) \(must ? "must" : "should")\(avoid ? " not" : "") run on \(hosts.map(\.name).joined(separator: ", "))"
        }
    }

    func contains(_ v: VM) -> Bool { vms.contains { $0 === v } }

    /// Whether `h` satisfies this VM-host rule.
    func allows(_ h: Host) -> Bool {
        let inGroup = hosts.contains { $0 === h }
        return avoid ? !inGroup : inGroup
    }
}

/// What `c:add_rule{...}` asks for.
public struct DRSRuleSpec {
    public var name: String
    public var kind: DRSRule.Kind
    public var vms: [VM]
    public var hosts: [Host] = []
    public var must = false
    public var avoid = false

    public init(name: String, kind: DRSRule.Kind, vms: [VM], hosts: [Host] = [], must: Bool = false, avoid: Bool = false) {
        self.name = name
        self.kind = kind
        self.vms = vms
        self.hosts = hosts
        self.must = must
        self.avoid = avoid
    }
}

extension DRS {
    /// Adds a rule: checked whole (names, members, contradictions with required rules),
    /// then created enabled, or disabled when it conflicts with an older VM-VM rule.
    @discardableResult
    public func addRule(_ spec: DRSRuleSpec) throws -> DRSRule {
        let who = "\(cluster.description):add_rule \(spec.name.isEmpty ? "(no name)" : spec.name)"
        guard !spec.name.isEmpty else { throw ModelError("\(cluster.description):add_rule: name must not be empty") }
        if rules.contains(where: { $0.name == spec.name }) {
            throw ModelError("\(who): cluster \(cluster.name) already has a rule named \(spec.name) (rule names are unique in a cluster)")
        }
        for v in spec.vms where v.host.clusterMembership !== cluster {
            throw ModelError("\(who): vms: \(v.description) runs on \(v.host.name), which is not in cluster \(cluster.name) (a rule names VMs of its own cluster)")
        }
        for (i, v) in spec.vms.enumerated() where spec.vms[..<i].contains(where: { $0 === v }) {
            throw ModelError("\(who): vms: \(v.description) is listed twice")
        }
        switch spec.kind {
        case .vmAffinity, .vmAntiAffinity:
            guard spec.vms.count >= 2 else {
                throw ModelError("\(who): vms: a \(spec.kind.rawValue) rule needs at least 2 VMs (got \(spec.vms.count))")
            }
            guard spec.hosts.isEmpty else { throw ModelError("\(who): hosts: only a vm-host rule names hosts (this is \(spec.kind.rawValue))") }
            guard !spec.must, !spec.avoid else {
                throw ModelError("\(who): must and avoid belong to vm-host rules; DRS always keeps \(spec.kind.rawValue) rules")
            }
        case .vmHost:
            guard !spec.vms.isEmpty else { throw ModelError("\(who): vms: a vm-host rule needs at least 1 VM") }
            guard !spec.hosts.isEmpty else { throw ModelError("\(who): hosts: a vm-host rule needs at least 1 host (its host group)") }
            for h in spec.hosts where h.clusterMembership !== cluster {
                throw ModelError("\(who): hosts: \(h.name) is not in cluster \(cluster.name)")
            }
        }
        let rule = DRSRule(name: spec.name, kind: spec.kind, vms: spec.vms, hosts: spec.hosts, must: spec.must, avoid: spec.avoid,
                           order: rules.count)
        if let contradiction = requiredContradiction(adding: rule) { throw ModelError("\(who): \(contradiction)") }
        if let older = olderConflict(with: rule) {
            rule.enabled = false
            rule.conflict = "conflicts with the older rule \(older.name) (\(older.summary)); the older rule wins"
        }
        rules.append(rule)
        indexRules()
        datacenter.log.record(now, "drs.rule", rule.description,
                              "\(rule.kind.rawValue): \(rule.summary); \(rule.enabled ? "enabled" : "created disabled: \(rule.conflict!)")")
        return rule
    }

    /// Removes a rule; a rule it had disabled stays disabled (as in vCenter, enable it again).
    public func removeRule(_ rule: DRSRule) throws {
        guard let i = rules.firstIndex(where: { $0 === rule }) else {
            throw ModelError("\(cluster.description):remove_rule: \(rule.description) is not a rule of \(cluster.name)")
        }
        rules.remove(at: i)
        indexRules()
        datacenter.log.record(now, "drs.rule", rule.description, "removed")
    }

    /// Enabled rules that name `v`.
    func rules(of v: VM) -> [DRSRule] { rulesByVM[ObjectIdentifier(v)] ?? [] }

    private func indexRules() {
        rulesByVM.removeAll()
        for r in rules where r.enabled {
            for v in r.vms { rulesByVM[ObjectIdentifier(v), default: []].append(r) }
        }
    }

    // MARK: conflicts

    /// The hosts `v` may run on under the enabled required VM-host rules (and `extra`).
    func allowedHosts(_ v: VM, with extra: DRSRule? = nil) -> [Host] {
        var list = rules.filter { $0.enabled && $0.kind == .vmHost && $0.must && $0.contains(v) }
        if let extra, extra.kind == .vmHost, extra.must, extra.contains(v) { list.append(extra) }
        return cluster.hosts.filter { h in list.allSatisfy { $0.allows(h) } }
    }

    /// Why adding `rule` would break a required rule, if it would: a VM with no allowed
    /// host, a keep-together group with no common allowed host, or a separate group with
    /// fewer allowed hosts than VMs.
    func requiredContradiction(adding rule: DRSRule) -> String? {
        let must = rules.filter { $0.enabled && $0.kind == .vmHost && $0.must } + (rule.kind == .vmHost && rule.must ? [rule] : [])
        guard !must.isEmpty else { return nil }
        for v in rule.vms where allowedHosts(v, with: rule).isEmpty {
            let names = must.filter { $0.contains(v) }.map(\.name).joined(separator: ", ")
            return "\(v.description) could run on no host: the required vm-host rules \(names) leave no host in common (rules are not ranked; a VM in two must rules runs only on the intersection of their host groups)"
        }
        let groups = rules.filter { $0.enabled && $0.kind != .vmHost } + (rule.kind != .vmHost ? [rule] : [])
        for g in groups where g === rule || (rule.kind == .vmHost && g.vms.contains(where: rule.contains)) {
            let sets = g.vms.map { allowedHosts($0, with: rule) }
            if g.kind == .vmAffinity {
                let common = cluster.hosts.filter { h in sets.allSatisfy { $0.contains { $0 === h } } }
                if common.isEmpty {
                    return "it contradicts a required rule: \(g.name) keeps \(g.vms.map(\.name).joined(separator: ", ")) together, but the required vm-host rules leave them no host in common"
                }
            } else {
                let union = cluster.hosts.filter { h in sets.contains { $0.contains { $0 === h } } }
                if union.count < g.vms.count {
                    return "it contradicts a required rule: \(g.name) separates \(g.vms.count) VMs, but the required vm-host rules leave them only \(union.count) host(s) (\(union.map(\.name).joined(separator: ", ")))"
                }
            }
        }
        return nil
    }

    /// The older enabled VM-VM rule `rule` conflicts with: separating two VMs that an
    /// older rule (or a chain of them) keeps together, or keeping together two VMs an
    /// older rule separates.
    func olderConflict(with rule: DRSRule) -> DRSRule? {
        guard rule.kind != .vmHost else { return nil }
        let vmvm = rules.filter { $0.enabled && $0.kind != .vmHost }
        // keep-together groups, joined through shared VMs, with the new rule if it is one
        var group: [ObjectIdentifier: Int] = [:]
        func find(_ v: VM) -> Int { group[ObjectIdentifier(v)] ?? -1 }
        let together = vmvm.filter { $0.kind == .vmAffinity } + (rule.kind == .vmAffinity ? [rule] : [])
        var next = 0
        for r in together {
            let ids = Set(r.vms.map(find).filter { $0 >= 0 })
            let g = ids.min() ?? { next += 1; return next }()
            for (k, v) in group where ids.contains(v) { group[k] = g }
            for v in r.vms { group[ObjectIdentifier(v)] = g }
        }
        let separate = vmvm.filter { $0.kind == .vmAntiAffinity } + (rule.kind == .vmAntiAffinity ? [rule] : [])
        for s in separate {
            for (i, a) in s.vms.enumerated() {
                for b in s.vms[(i + 1)...] where find(a) >= 0 && find(a) == find(b) {
                    // the older of the rules involved wins; the new rule is always the newest
                    if s !== rule { return s }
                    return together.first { $0.contains(a) || $0.contains(b) } ?? together[0]
                }
            }
        }
        return nil
    }
}
