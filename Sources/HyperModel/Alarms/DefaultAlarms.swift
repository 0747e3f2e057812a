/// vCenter's default alarm definitions (datacenter-facts §3.2), set at the root so they
/// apply to every object of their kind, and shipped without actions (§3.1).
public enum DefaultAlarms {
    static func metric(_ name: String, _ target: AlarmTarget, _ metric: String, _ warning: Double, _ critical: Double,
                       lasting seconds: Int64) -> AlarmSpec {
        AlarmSpec(name: name, scope: .all(target),
                  triggers: [.metric(MetricTrigger(metric: AlarmMetrics.find(metric, target)!, warning: warning, critical: critical,
                                                   lasting: .seconds(seconds)))])
    }

    public static var specs: [AlarmSpec] {
        [
            metric("Virtual machine CPU usage", .vm, "cpu.usage", 75, 90, lasting: 300),
            metric("Virtual machine memory usage", .vm, "memory.usage", 75, 90, lasting: 300),
            // the source gives no durations for the host alarms: 5 min, as the VM ones [M] (§8)
            metric("Host CPU usage", .host, "cpu.usage", 75, 90, lasting: 300),
            metric("Host memory usage", .host, "memory.usage", 75, 90, lasting: 300),
            metric("Datastore usage on disk", .datastore, "usage", Datastore.usageWarning, Datastore.usageCritical, lasting: 0),
            metric("Virtual machine max total disk latency", .vm, "disk.max_latency", 50, 75, lasting: 300),
            // vCenter's trigger: connection "not responding" and power not "standby" (a host DPM
            // put in standby does not respond either, and is no alarm)
            AlarmSpec(name: "Host connection and power state", scope: .all(.host), triggers: [
                .state(StateTrigger(state: AlarmStates.find("connection", .host)!, values: ["not responding"])),
                .state(StateTrigger(state: AlarmStates.find("power", .host)!, values: ["standby"], negate: true)),
            ], all: true),
            AlarmSpec(name: "Insufficient vSphere HA failover resources", scope: .all(.cluster), triggers: [
                .state(StateTrigger(state: AlarmStates.find("ha_resources", .cluster)!, values: ["insufficient"])),
            ]),
            AlarmSpec(name: "vSphere HA failover in progress", scope: .all(.cluster), triggers: [
                .event(EventTrigger(kind: "ha.failover", reset: "ha.failover_done")),
            ]),
            AlarmSpec(name: "vSphere HA virtual machine failover failed", scope: .all(.vm), triggers: [
                .event(EventTrigger(kind: "ha.failover_failed", reset: "vm.power", resetMessage: "powered on")),
            ]),
        ]
    }
}

extension AlarmEngine {
    /// Defines vCenter's default alarms (once: a second call returns the same alarms).
    public func defineDefaults() throws -> [Alarm] {
        try DefaultAlarms.specs.map { spec in
            if let a = alarms.first(where: { $0.name == spec.name }) { return a }
            return try define(spec)
        }
    }
}
