/// The actions an alarm can take on its subject itself (vCenter's VM and host actions,
/// §3.1), as far as HyperLab models them. Each returns what it did, for the event log, or
/// throws why it could not (logged too; it does not stop the run, as a failed vCenter
/// action does not).
public enum AlarmActions {
    /// VM actions: power off, suspend, reset (a hard power cycle: the guest's memory is
    /// lost) and power on (admission control applies).
    static let vm: [String: @Sendable (VM) throws -> String] = [
        "power_off": { vm in
            try vm.powerOff()
            return "powered off"
        },
        "suspend": { vm in
            try vm.suspend()
            return "suspended"
        },
        "reset": { vm in
            if vm.state != .off { try vm.powerOff() }
            try vm.powerOn()
            return "reset (powered off and on)"
        },
        "power_on": { vm in
            if vm.state == .suspended { try vm.resume() } else { try vm.powerOn() }
            return "powered on"
        },
    ]

    /// Host actions: vCenter's enter/exit maintenance mode and enter/exit standby, as
    /// `h:enter_maintenance()` and the rest do them (DRS/Maintenance.swift,
    /// DRS/DPMStandby.swift); reboot and shut down are not modelled.
    static let host: [String: @Sendable (Host) throws -> String] = [
        "enter_maintenance": { h in
            let blocked = try h.enterMaintenance()
            return h.maintenance == .in ? "in maintenance mode" : "entering maintenance mode"
                + (blocked.isEmpty ? "" : " (\(blocked.count) VM\(blocked.count == 1 ? "" : "s") cannot be evacuated: see h.maintenance_blockers)")
        },
        "exit_maintenance": { h in
            try h.exitMaintenance()
            return "out of maintenance mode"
        },
        "enter_standby": { h in
            let blocked = try h.enterStandby()
            return h.power == .standby ? "in standby" : "entering standby"
                + (blocked.isEmpty ? "" : " (\(blocked.count) VM\(blocked.count == 1 ? "" : "s") cannot be evacuated)")
        },
        "exit_standby": { h in
            try h.exitStandby()
            return h.power == .poweringOn ? "powering on from standby" : "standby cancelled"
        },
    ]

    public static func names(for target: AlarmTarget) -> [String] {
        switch target {
        case .vm: return vm.keys.sorted()
        case .host: return host.keys.sorted()
        case .datastore, .cluster: return []
        }
    }

    /// vCenter's actions the model does not have yet, so a lab asking for one is told why.
    public static let notModelled: [AlarmTarget: [String]] = [
        .host: ["reboot", "shutdown"],
        .vm: ["migrate", "reboot_guest", "shutdown_guest"],
    ]

    static func run(_ name: String, on subject: AlarmSubject) throws -> String {
        switch subject {
        case .vm(let v): return try vm[name]!(v)
        case .host(let h): return try host[name]!(h)
        case .datastore, .cluster: throw ModelError("\(name) is not an action on \(subject.description)")
        }
    }
}
