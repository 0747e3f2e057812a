import Testing
@testable import HyperModel

/// vApps (datacenter-facts §1.4, behaviour 47): start order by groups, Tools readiness from
/// the guest's boot, delays, stop in reverse with each stop action, and bad input.
@Suite("vApps: start order (behaviour 47)")
struct VAppTests {
    /// A 2-host cluster of 4 × 2.5 GHz, 64 GiB each; a vApp "shop" with the DB VM in
    /// group 1 (start when Tools run) and the app VM in group 2.
    struct Shop {
        let w: MaintenanceWorld
        let app: VApp
        let db: VM
        let web: VM

        init(dbBoot: Double = 30, dbTools: Bool = true, db start: (inout VAppMember) -> Void = { $0.waitForTools = true },
             web stop: VAppMember.StopAction = .powerOff, webShutdown: Double = 10) throws {
            w = try MaintenanceWorld()
            let pool = try w.cluster.root.createVApp(name: "shop")
            app = pool.vapp!
            var dbSpec = VMSpec(name: "db", vcpus: 2, memory: 4 * GiB, tools: dbTools)
            dbSpec.bootSeconds = dbBoot
            dbSpec.pool = pool
            db = try w.hosts[0].createVM(dbSpec)
            var webSpec = VMSpec(name: "web", vcpus: 1, memory: 2 * GiB)
            webSpec.shutdownSeconds = webShutdown
            web = try w.hosts[0].createVM(webSpec)
            var m1 = VAppMember()
            start(&m1)
            try app.add(db, m1)
            var m2 = VAppMember()
            m2.group = 2
            m2.stopAction = stop
            try app.add(web, m2)
        }

        /// When the event of `kind` about `vm` matching `text` happened (seconds).
        func time(_ kind: String, _ vm: VM, _ text: String) -> Double? {
            w.dc.log.events(kind: kind, subject: vm.description).first { $0.message.contains(text) }?.time.seconds
        }
        func powerOnTime(_ vm: VM) -> Double? { time("vm.power", vm, "powered on") }
        func powerOffTime(_ vm: VM) -> Double? { time("vm.power", vm, "powered off") }
    }

    /// Behaviour 47: the app VM starts only once the DB VM reports Tools ready (its guest
    /// boots in 30 s, before the 120 s delay); the vApp is started then.
    @Test func appWaitsForTheDatabasesTools() throws {
        let s = try Shop()
        try s.app.powerOn()
        #expect(s.app.state == .starting)
        #expect(s.db.state == .on && s.web.state == .off)
        #expect(!s.db.toolsReady)
        try s.w.run(29)
        #expect(s.web.state == .off, "the app VM must wait for the DB's Tools")
        try s.w.run(2)
        #expect(s.db.toolsReady)
        #expect(s.web.state == .on)
        #expect(s.powerOnTime(s.db) == 0)
        #expect(s.powerOnTime(s.web) == 30)
        #expect(s.app.state == .started)
        #expect(s.time("vapp.start", s.web, "group 2") == 30)
    }

    /// "Or its delay expires": a guest that boots in 200 s holds group 2 only until the
    /// 120 s default delay [M].
    @Test func theDelayBoundsTheWaitForTools() throws {
        let s = try Shop(dbBoot: 200)
        try s.app.powerOn()
        try s.w.run(119)
        #expect(s.web.state == .off)
        try s.w.run(2)
        #expect(s.powerOnTime(s.web) == 120)
        #expect(!s.db.toolsReady)
    }

    /// A start delay without waiting for Tools: group 2 starts after 45 s, however fast
    /// the guest boots; with start action None the DB is not powered on and nothing waits.
    @Test(arguments: [(45.0, true, 45.0), (0, false, 0)])
    func startDelayOrNone(delay: Double, powerOn: Bool, webAt: Double) throws {
        let s = try Shop(db: { $0.startDelay = delay; $0.powerOn = powerOn })
        try s.app.powerOn()
        try s.w.run(200)
        #expect(s.powerOnTime(s.web) == webAt)
        #expect(s.db.state == (powerOn ? .on : .off))
        if !powerOn { #expect(s.time("vapp.start", s.db, "start action none") == 0) }
    }

    /// A DB without Tools cannot be waited for: asking is refused, naming the field.
    @Test func toolsAreNeededToWaitForThem() throws {
        let message = error { _ = try Shop(dbTools: false) }
        #expect(message.contains("VApp(shop):add: db: start \"tools\" waits for VMware Tools, but the VM has none (tools = false)"), "\(message)")
    }

    /// Behaviour 47's stop: the app VM (group 2) stops first, then the DB; power-off is
    /// immediate, so both go off at the same time, the app first in the log.
    @Test func stopRunsInReverseOrder() throws {
        let s = try Shop()
        try s.app.powerOn()
        try s.w.run(60)
        try s.app.powerOff()
        #expect(s.app.state == .stopped)
        let offs = s.w.dc.log.events(kind: "vm.power").filter { $0.message == "powered off" }.map(\.subject)
        #expect(offs == ["VM(web)", "VM(db)"])
        #expect(s.time("vapp.stop", s.web, "group 2: powered off") == 60)
    }

    /// A guest shutdown takes the guest's 10 s: the DB powers off when the app's guest is
    /// off; one slower than its stop delay (300 s vs 120 s) lets the DB stop at 120 s,
    /// and the vApp is stopped when the last guest is off.
    @Test(arguments: [(10.0, 10.0, 10.0), (300, 120, 300)])
    func guestShutdownWaitsAtMostTheStopDelay(shutdown: Double, dbOffAfter: Double, stoppedAfter: Double) throws {
        let s = try Shop(web: .guestShutdown, webShutdown: shutdown)
        try s.app.powerOn()
        try s.w.run(60)
        try s.app.powerOff()
        #expect(s.app.state == .stopping)
        #expect(s.web.state == .on)
        try s.w.run(400)
        #expect(s.powerOffTime(s.db) == 60 + dbOffAfter)
        #expect(s.powerOffTime(s.web) == 60 + shutdown)
        let stopped = s.w.dc.log.events(kind: "vapp", subject: "VApp(shop)").first { $0.message == "stopped" }?.time.seconds
        #expect(stopped == 60 + stoppedAfter)
        #expect(s.app.state == .stopped)
    }

    /// Suspend and None as stop actions; a guest shutdown before Tools run is a power-off.
    @Test func otherStopActions() throws {
        let s = try Shop(web: .suspend)
        try s.app.powerOn()
        try s.w.run(60)
        try s.app.powerOff()
        #expect(s.web.state == .suspended)
        #expect(s.db.state == .off)
        // started again: a suspended member is resumed, with Tools at once
        try s.app.powerOn()
        #expect(s.db.state == .on)
        try s.w.run(31)
        #expect(s.web.state == .on && s.web.toolsReady)

        let t = try Shop(db: { $0.startDelay = 5; $0.stopAction = .guestShutdown }, web: .none)
        try t.app.powerOn()
        try t.w.run(6)
        try t.app.powerOff()
        #expect(t.web.state == .on, "stop action none leaves it running")
        #expect(t.db.state == .off, "Tools were not running yet (boot 30 s), so it was powered off")
        #expect(t.time("vapp.stop", t.db, "VMware Tools not running yet") == 6)
    }

    /// Stopping a vApp that is still starting ends its start sequence: group 2 never starts.
    @Test func powerOffWhileStarting() throws {
        let s = try Shop()
        try s.app.powerOn()
        try s.w.run(10)
        try s.app.powerOff()
        try s.w.run(200)
        #expect(s.web.state == .off && s.db.state == .off)
        #expect(s.powerOnTime(s.web) == nil)
        #expect(s.app.state == .stopped)
    }

    /// A refusal in group 1 raises, naming the vApp, group and VM, and leaves nothing
    /// started; one in a later group ends the sequence with an event.
    @Test func refusedPowerOns() throws {
        let s = try Shop(db: { $0.startDelay = 5 })
        try s.app.pool.setCPU(PoolCPUSettings(reservationMHz: 1000, expandable: false))
        var big = VMSpec(name: "big", vcpus: 1, memory: 1 * GiB, cpu: CPUAllocation(reservationMHz: 2000))
        big.pool = s.app.pool
        let b = try s.w.hosts[0].createVM(big)
        try s.app.add(b, VAppMember())
        let message = error { try s.app.powerOn() }
        #expect(message.contains("VApp(shop):power_on: group 1, big:"), "\(message)")
        #expect(message.contains("insufficient CPU resources"), "\(message)")
        #expect(s.db.state == .off, "the DB powered on by the refused call is off again")
        #expect(s.app.state == .stopped)

        var m = VAppMember()
        m.group = 3
        try s.app.add(b, m)
        try s.app.powerOn()
        try s.w.run(200)
        #expect(s.db.state == .on && s.web.state == .on && b.state == .off)
        #expect(s.app.state == .started)
        // group 2 started at 5 s (the DB's delay), group 3 after web's 120 s default
        #expect(s.time("vapp.start", b, "could not start") == 125)
    }

    /// A group-1 member that was suspended is suspended again when the call is refused.
    @Test func refusedPowerOnRestoresASuspendedMember() throws {
        let s = try Shop()
        try s.db.powerOn()
        try s.db.suspend()
        try s.app.pool.setCPU(PoolCPUSettings(reservationMHz: 1000, expandable: false))
        var big = VMSpec(name: "big", vcpus: 1, memory: 1 * GiB, cpu: CPUAllocation(reservationMHz: 2000))
        big.pool = s.app.pool
        try s.app.add(try s.w.hosts[0].createVM(big), VAppMember())
        #expect(error { try s.app.powerOn() }.contains("group 1, big:"))
        #expect(s.db.state == .suspended)
        #expect(s.app.state == .stopped)
    }

    /// Bad input: each a clear message naming the object, the field, the value and what
    /// is allowed, with nothing changed.
    @Test func badInput() throws {
        let s = try Shop()
        var m = VAppMember()
        m.group = 0
        #expect(error { try s.app.add(s.web, m) }.contains("VApp(shop):add: web: group 0 is not allowed (use 1 to 100"))
        #expect(s.app.member(s.web).group == 2, "nothing changed")
        m = VAppMember()
        m.startDelay = -1
        #expect(error { try s.app.add(s.web, m) }.contains("start_delay -1 s is not allowed (use 0 s to 1 h)"))
        #expect(error { try s.w.cluster.root.createVApp(name: "x", delay: 4000) }.contains("create_vapp x: delay 4000 s is not allowed"))
        #expect(error { try s.app.pool.createPool(name: "inner") }.contains("VApp(shop) is a vApp; a vApp holds VMs"))
        #expect(error { try s.app.pool.createVApp(name: "inner") }.contains("not resource pools or nested vApps"))
        #expect(error { try s.app.powerOff() }.contains("VApp(shop):power_off: the vApp is stopped"))
        try s.app.powerOn()
        #expect(error { try s.app.powerOn() }.contains("VApp(shop):power_on: the vApp is starting; it powers on from \"stopped\""))
        let empty = try s.w.cluster.root.createVApp(name: "empty").vapp!
        #expect(error { try empty.powerOn() }.contains("the vApp has no VMs"))
        #expect(empty.state == .stopped)
        var noTools = VMSpec(name: "plain", memory: 1 * GiB, tools: false)
        noTools.pool = empty.pool
        let plain = try s.w.hosts[1].createVM(noTools)
        m = VAppMember()
        m.stopAction = .guestShutdown
        #expect(error { try empty.add(plain, m) }.contains("stop \"guest-shutdown\" needs VMware Tools"))
        var spec = VMSpec(name: "slow", memory: 1 * GiB)
        spec.bootSeconds = -3
        #expect(error { _ = try s.w.hosts[1].createVM(spec) }.contains("create_vm slow: boot -3 s is not allowed (use 0 s to 1 h"))
    }

    /// A vApp is a resource pool: its reservation is admitted like any pool's, a VM
    /// created in it is a member with the defaults (group 1, power on, 120 s).
    @Test func aVAppIsAPool() throws {
        let w = try MaintenanceWorld()
        #expect(error { try w.cluster.root.createVApp(name: "huge", cpu: PoolCPUSettings(reservationMHz: 30_000)) }
            .contains("insufficient CPU resources"))
        let pool = try w.cluster.root.createVApp(name: "a", cpu: PoolCPUSettings(reservationMHz: 2000))
        var spec = VMSpec(name: "m", memory: 1 * GiB)
        spec.pool = pool
        let v = try w.hosts[0].createVM(spec)
        let order = pool.vapp!.order
        #expect(order.count == 1 && order[0].vm === v)
        #expect(order[0].member == VAppMember(delay: 120))
        #expect(pool.description == "VApp(a)")
        #expect(abs(w.cluster.root.reservedMHz - 2000) < 1e-9)
    }

    func error(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as ModelError { return e.message } catch { return "\(error)" }
        return "no error"
    }
}
