import HyperModel
import LuaKit

/// Setters for a VM's CPU and memory settings, writable while it runs (vSphere's "Edit
/// Settings" on a powered-on VM): `vm.cpu.limit = "1 GHz"`, `vm.memory.shares = 2000`.
/// Each reads its value like `create_vm`'s options and makes one model call.
extension LabAPI {
    static func setCPU(_ v: VM, _ c: LuaCall, _ field: String) throws {
        var a = v.cpuAllocation
        let ctx = "\(v.description).cpu"
        let value = c.value(3)
        switch field {
        case "shares": a.shares = try Quantity.shares(value, ctx, field)
        case "reservation": a.reservationMHz = value.isNil ? 0 : try Quantity.mhz(value, ctx, field)
        default: a.limitMHz = value.isNil ? nil : try Quantity.mhz(value, ctx, field)
        }
        let new = a
        try model { try v.setCPUAllocation(new) }
    }

    static func setMemory(_ v: VM, _ c: LuaCall, _ field: String) throws {
        var m = v.memAllocation
        let ctx = "\(v.description).memory"
        let value = c.value(3)
        switch field {
        case "shares": m.shares = try Quantity.shares(value, ctx, field)
        case "reservation": m.reservation = value.isNil ? 0 : try Quantity.bytes(value, ctx, field, allowZero: true)
        default: m.limit = value.isNil ? nil : try Quantity.bytes(value, ctx, field)
        }
        let new = m
        try model { try v.setMemAllocation(new) }
    }

    /// `w:stop()` on every workload class.
    func stopMethod<T: Workload>(_ cls: LuaClass<T>) {
        cls.method("stop", doc: "Stops this workload; the VM's other workloads go on (memory it allocated goes back to the guest's free list).") { w, _ in
            if let k = w.container {
                try model { try k.stop(w) }
                return 0
            }
            guard let vm = w.vm else { throw LuaError("stop: \(w.summary) never ran") }
            try model { try vm.stop(w) }
            return 0
        }
    }
}
