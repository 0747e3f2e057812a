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

    /// Host actions. Hook for maintenance mode and DPM (part D): vCenter's host actions
    /// are enter/exit maintenance mode, enter/exit standby, reboot and shut down; each is
    /// added here as the model gains it, e.g. `"enter_maintenance": { h in try h.enterMaintenance(); return "entering maintenance mode" }`.
    static let host: [String: @Sendable (Host) throws -> String] = [:]

    public static func names(for target: AlarmTarget) -> [String] {
        switch target {
        case .vm: return vm.keys.sorted()
        case .host: return host.keys.sorted()
        case .datastore, .cluster: return []
        }
    }

    /// vCenter's actions the model does not have yet, so a lab asking for one is told why.
    public static let notModelled: [AlarmTarget: [String]] = [
        .host: ["enter_maintenance", "exit_maintenance", "enter_standby", "exit_standby", "reboot", "shutdown"],
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
