/// A state an alarm can watch ("is" / "is not" one of its values), as vCenter's state
/// triggers: VM power and heartbeat, host connection and power, cluster HA resources.
public struct AlarmState {
    public let name: String
    public let target: AlarmTarget
    public let values: [String]
    public let meaning: String
    let reader: Reader

    enum Reader { case vmPower, vmHeartbeat, hostConnection, hostPower, clusterHA }
}

public enum AlarmStates {
    public static func catalogue(_ target: AlarmTarget) -> [AlarmState] {
        switch target {
        case .vm:
            return [
                AlarmState(name: "power", target: .vm, values: vmPower,
                           meaning: "The VM's power state (`vm.state`).", reader: .vmPower),
                AlarmState(name: "heartbeat", target: .vm, values: heartbeat,
                           meaning: "VMware Tools heartbeat: gray without Tools or when not running, red when none (the VM is paused with a question), yellow when intermittent (its vCPUs spent half the last sample interval or more ready or co-stopped [M]), green when normal.",
                           reader: .vmHeartbeat),
            ]
        case .host:
            return [
                AlarmState(name: "connection", target: .host, values: connection,
                           meaning: "\"not responding\" once the host has failed, until it recovers.", reader: .hostConnection),
                AlarmState(name: "power", target: .host, values: power,
                           meaning: "The host's power state: \"unknown\" while it does not respond, \"standby\" when DPM put it there.",
                           reader: .hostPower),
            ]
        case .cluster:
            return [
                AlarmState(name: "ha_resources", target: .cluster, values: ha,
                           meaning: "vSphere HA's failover resources: \"insufficient\" when the current failover capacity is below the configured one (slots) or the unreserved share below the percentage kept (percentage); \"off\" without HA.",
                           reader: .clusterHA),
            ]
        case .datastore:
            return []
        }
    }

    public static func names(_ target: AlarmTarget) -> [String] { catalogue(target).map(\.name) }
    public static func find(_ name: String, _ target: AlarmTarget) -> AlarmState? { catalogue(target).first { $0.name == name } }

    // MARK: reading

    /// Each reader's values, in the order of its catalogue entry.
    static func values(_ r: AlarmState.Reader) -> [String] {
        switch r {
        case .vmPower: return vmPower
        case .vmHeartbeat: return heartbeat
        case .hostConnection: return connection
        case .hostPower: return power
        case .clusterHA: return ha
        }
    }
    static let vmPower = ["on", "off", "suspended", "paused"]
    static let heartbeat = ["gray", "green", "yellow", "red"]
    static let connection = ["connected", "not responding"]
    static let power = ["on", "standby", "unknown"]
    static let ha = ["off", "sufficient", "insufficient"]

    /// The index of the VM's value among `values(r)`.
    static func read(_ r: AlarmState.Reader, vm: VM) -> Int {
        switch r {
        case .vmPower:
            switch vm.state {
            case .on: return 0
            case .off: return 1
            case .suspended: return 2
            case .paused: return 3
            }
        case .vmHeartbeat:
            guard vm.tools else { return 0 }
            switch vm.state {
            case .paused: return 3
            case .on:
                let c = vm.metrics.cpu
                return c.ready + c.costop >= 50 ? 2 : 1
            case .off, .suspended: return 0
            }
        default: return 0
        }
    }

    static func read(_ r: AlarmState.Reader, host: Host) -> Int {
        switch r {
        case .hostConnection: return host.failed ? 1 : 0
        case .hostPower: return hostPower(host)
        default: return 0
        }
    }

    /// The host power state alarms see, as an index of `power`: a host in standby (or
    /// booting out of it, vSphere's standBy until it is on) reads 1 ("standby"), which
    /// the default "Host connection and power state" alarm leaves green.
    static func hostPower(_ host: Host) -> Int {
        if host.failed { return 2 }  // "unknown"
        return host.power == .standby || host.power == .poweringOn ? 1 : 0
    }

    static func read(_ r: AlarmState.Reader, cluster c: Cluster) -> Int {
        guard let ha = c.ha else { return 0 }
        switch ha.admission {
        case .none: return 1
        case .slots: return c.failoverCapacity() < ha.failures ? 2 : 1
        case .percentage:
            let live = c.hosts.filter { !$0.failed }
            let cpu = live.reduce(0) { $0 + $1.capacityMHz }
            let mem = live.reduce(Int64(0)) { $0 + $1.memory.capacity }
            guard cpu > 0, mem > 0 else { return 2 }
            let freeCPU = (cpu - live.reduce(0) { $0 + $1.reservedMHz }) / cpu * 100
            let freeMem = Double(mem - live.reduce(Int64(0)) { $0 + $1.memory.reserved }) / Double(mem) * 100
            return min(freeCPU, freeMem) < ha.percent ? 2 : 1
        }
    }
}
