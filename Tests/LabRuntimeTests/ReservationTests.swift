import Testing
@testable import LabRuntime

/// A CPU reservation is a guaranteed minimum, not a priority for the whole pCPU
/// (vSphere Resource Management: a VM with a reservation gets at least that much and
/// competes by shares for the rest).
@Suite("CPU reservations under contention")
struct ReservationTests {
    func used(_ reservations: [String]) -> [Double] {
        let r = runLab(#"""
            local h = lab.host{ name = "x", cpus = 1, mhz = "2.4 GHz", memory = "8 GiB" }
            local res = { \#(reservations.joined(separator: ", ")) }
            for i, mhz in ipairs(res) do
              local v = h:create_vm{ name = "v" .. i, memory = "1 GiB", cpu = mhz > 0 and { reservation = mhz } or nil }
              v:power_on()
              v:run(lab.workload.busy())
            end
            lab.run_for("1 min")
            for _, v in ipairs(h.vms) do print(v.cpu.used_mhz) end
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        return r.output.split(separator: "\n").compactMap { Double($0) }
    }

    @Test func aReservationBelowTheFairShareChangesNothing() {
        let u = used(["500", "0"])
        #expect(u.count == 2)
        #expect(abs(u[0] - 1200) <= 24 && abs(u[1] - 1200) <= 24, "\(u)")
    }

    @Test func aReservationAboveTheFairShareIsHonouredAndTheRestShared() {
        let u = used(["2000", "0", "0"])
        #expect(abs(u[0] - 2000) <= 24, "\(u)")
        #expect(abs(u[1] - 200) <= 24 && abs(u[2] - 200) <= 24, "\(u)")
    }
}
