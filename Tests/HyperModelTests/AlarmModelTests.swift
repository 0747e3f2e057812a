import Testing
@testable import HyperModel

/// The alarm model beyond behaviours 60–65 (datacenter-facts §3.1): combining triggers,
/// alarms set on parents, event triggers and their reset, vCenter's HA alarms, built-in
/// actions and the passage through yellow.
@Suite("Alarms: triggers, scopes, events and actions")
struct AlarmModelTests {
    func cpu(_ w: Double?, _ c: Double?, lasting: Int64 = 0, below: Bool = false) -> AlarmTrigger {
        .metric(MetricTrigger(metric: AlarmMetrics.find("cpu.usage", .vm)!, warning: w, critical: c, lasting: .seconds(lasting), below: below))
    }

    func mem(_ w: Double?, _ c: Double?) -> AlarmTrigger {
        .metric(MetricTrigger(metric: AlarmMetrics.find("memory.usage", .vm, counter: "consumed")!, warning: w, critical: c))
    }

    /// vSphere 4 guide p. 235: with "all" (an AND expression) the least severe matched
    /// level wins; with "any" the most severe.
    @Test func anyAndAll() throws {
        let dc = world()
        let v = try vm(try host(dc), "web01", memory: 4 * GiB)
        let any = try dc.alarms.define(AlarmSpec(name: "any", scope: .vm(v), triggers: [cpu(50, 90), mem(10, 20)]))
        let all = try dc.alarms.define(AlarmSpec(name: "all", scope: .vm(v), triggers: [cpu(50, 90), mem(10, 20)], all: true))
        try v.run(try CPUWorkload(threads: 1, load: 0.6))       // CPU yellow
        try v.run(MemoryWorkload(size: 2 * GiB))                 // memory 50 %: red
        try dc.run(for: .seconds(Int64(60)))
        #expect(dc.alarms.state(any, .vm(v)) == .red)
        #expect(dc.alarms.state(all, .vm(v)) == .yellow)
    }

    /// "Is below": an idle VM under both thresholds turns red after the condition length.
    @Test func below() throws {
        let dc = world()
        let v = try vm(try host(dc), "idle")
        let a = try dc.alarms.define(AlarmSpec(name: "idle", scope: .all(.vm), triggers: [cpu(20, 5, lasting: 600, below: true)]))
        try v.run(try CPUWorkload(threads: 1, load: 0.02))
        try dc.run(for: .seconds(Int64(580)))
        #expect(dc.alarms.state(a, .vm(v)) == .green)
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .vm(v)) == .red)
        #expect(a.history.count == 1 && a.history[0].from == .green)
    }

    /// An alarm set on a cluster watches the VMs of its hosts, and follows a VM that moves
    /// in; objects elsewhere are not watched.
    @Test func parentScope() throws {
        let dc = world()
        let hs = try (0..<3).map { try host(dc, "esx0\($0)") }
        let c = try dc.addCluster(name: "prod", hosts: [hs[0], hs[1]])
        let inside = try vm(hs[0], "in"), outside = try vm(hs[2], "out")
        let a = try dc.alarms.define(AlarmSpec(name: "prod CPU", scope: .cluster(c), target: .vm, triggers: [cpu(50, 90)]))
        let onHosts = try dc.alarms.define(AlarmSpec(name: "prod hosts", scope: .cluster(c), target: .host,
            triggers: [.metric(MetricTrigger(metric: AlarmMetrics.find("cpu.usage", .host)!, warning: 10, critical: 20))]))
        for v in [inside, outside] { try v.run(try CPUWorkload(threads: 1, load: 1)) }
        try dc.run(for: .seconds(Int64(40)))
        #expect(dc.alarms.state(a, .vm(inside)) == .red)
        #expect(dc.alarms.state(a, .vm(outside)) == nil)
        #expect(dc.alarms.subjects(of: a).map(\.description) == ["VM(in)"])
        #expect(dc.alarms.state(onHosts, .host(hs[0])) == .red)      // 1 of 4 pCPUs: 25 %
        #expect(dc.alarms.state(onHosts, .host(hs[1])) == .green)
        #expect(dc.alarms.state(onHosts, .host(hs[2])) == nil)
        #expect(throws: ModelError.self) {
            try dc.alarms.define(AlarmSpec(name: "bad", scope: .vm(inside), target: .host, triggers: [cpu(50, 90)]))
        }
    }

    /// An event trigger turns red at the event and stays so until its reset event (or a
    /// manual reset), as vCenter's event alarms.
    @Test func eventTriggerAndReset() throws {
        let dc = world()
        let h = try host(dc)
        let withReset = try dc.alarms.define(AlarmSpec(name: "failed", scope: .all(.host),
            triggers: [.event(EventTrigger(kind: "host.fail", reset: "host.recover"))]))
        let manual = try dc.alarms.define(AlarmSpec(name: "failed once", scope: .all(.host),
            triggers: [.event(EventTrigger(kind: "host.fail", level: .yellow))]))
        try h.fail()
        #expect(dc.alarms.state(withReset, .host(h)) == .red)
        #expect(dc.alarms.state(manual, .host(h)) == .yellow)
        #expect(withReset.history.first?.value == .text("failed: 0 VM(s) stop"))
        try dc.run(for: .seconds(Int64(60)))
        try h.recover()
        #expect(dc.alarms.state(withReset, .host(h)) == .green)
        #expect(dc.alarms.state(manual, .host(h)) == .yellow)
        #expect(dc.alarms.reset(manual, .host(h)))
        #expect(dc.alarms.state(manual, .host(h)) == .green)
        #expect(dc.log.events(kind: "alarm").map(\.message).contains("failed: red → green: reset by host.recover (back online)"))
    }

    /// vCenter's HA alarms: failover in progress from the failure's detection to the end
    /// of the restarts; a VM HA could not restart stays red until it is powered on again;
    /// a cluster whose failover capacity is below the configured one is red.
    @Test func haAlarms() throws {
        let dc = world()
        let hs = try (0..<2).map { try host(dc, "esx0\($0)", memory: 16 * GiB) }
        let c = try dc.addCluster(name: "prod", hosts: hs)
        var ha = HASettings()
        ha.admission = .none
        try c.enableHA(ha)
        let defaults = try dc.alarms.defineDefaults()
        func alarm(_ name: String) -> Alarm { defaults.first { $0.name == name }! }
        let big = try vm(hs[0], "big", memory: 12 * GiB, mem: MemoryAllocation(reservation: 12 * GiB))
        _ = try vm(hs[1], "other", memory: 8 * GiB, mem: MemoryAllocation(reservation: 8 * GiB))
        try dc.run(for: .seconds(Int64(20)))
        try hs[0].fail()
        try dc.run(for: .seconds(Int64(16)))
        #expect(dc.alarms.state(alarm("vSphere HA failover in progress"), .cluster(c)) == .red)
        try dc.run(for: .seconds(Int64(30)))
        #expect(dc.alarms.state(alarm("vSphere HA failover in progress"), .cluster(c)) == .green)
        #expect(big.state == .off)   // no room on esx01
        #expect(dc.alarms.state(alarm("vSphere HA virtual machine failover failed"), .vm(big)) == .red)
        try hs[0].recover()
        try big.powerOn()
        #expect(dc.alarms.state(alarm("vSphere HA virtual machine failover failed"), .vm(big)) == .green)

        // slots: 12 GiB reservations on two 16 GiB hosts leave no room for a failure
        try c.enableHA(HASettings())
        try dc.run(for: .seconds(Int64(20)))
        #expect(c.failoverCapacity() == 0)
        #expect(dc.alarms.state(alarm("Insufficient vSphere HA failover resources"), .cluster(c)) == .red)
    }

    /// A jump from green to red passes through yellow: the actions of green→yellow and
    /// yellow→red both run, in that order; a built-in action acts on the VM.
    @Test func actionsAlongThePath() throws {
        let dc = world()
        let v = try vm(try host(dc), "runaway")
        final class Log: AlarmScript {
            var seen: [String] = []
            func run(_ call: AlarmActionCall) throws { seen.append("\(call.from.name)->\(call.to.name)") }
        }
        let log = Log()
        let a = try dc.alarms.define(AlarmSpec(name: "runaway", scope: .vm(v), triggers: [cpu(50, 90)], actions: [
            AlarmAction(body: .script(log), transitions: AlarmTransitionKind.allCases),
            AlarmAction(body: .builtin("power_off"), transitions: [.yellowToRed]),
        ]))
        try v.run(try CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(20)))
        #expect(log.seen == ["green->yellow", "yellow->red"])
        #expect(v.state == .off)
        #expect(dc.log.events(kind: "alarm.action").last?.message == "runaway: action power_off: powered off")
        try dc.run(for: .seconds(Int64(40)))   // off: no data, so the alarm resets
        #expect(dc.alarms.state(a, .vm(v)) == .green)
        #expect(log.seen == ["green->yellow", "yellow->red", "red->yellow", "yellow->green"])
    }

    /// Actions that keep undoing each other at one instant are stopped with a clear error
    /// instead of running for ever.
    @Test func actionLoopIsStopped() throws {
        let dc = world()
        let v = try vm(try host(dc), "flip", on: false)
        for (name, value, act) in [("off", "off", "power_on"), ("on", "on", "power_off")] {
            _ = try dc.alarms.define(AlarmSpec(name: name, scope: .vm(v),
                triggers: [.state(StateTrigger(state: AlarmStates.find("power", .vm)!, values: [value]))],
                actions: [AlarmAction(body: .builtin(act))]))
        }
        #expect { try dc.run(for: .seconds(Int64(20))) } throws: { ($0 as? ModelError)?.message.contains("keep triggering each other") == true }
    }

    /// The datastore alarm adds up a datastore's disks only when something changed it;
    /// every change is seen at the next sample: a swap file made at power-on and removed
    /// at power-off, a disk written.
    @Test func datastoreUsageSeesEveryChange() throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "ds", capacity: 10 * GiB, kind: .ssd)
        let h = try dc.addHost(HostSpec(name: "esx01", cpus: 4, mhz: 2400, memory: 16 * GiB, datastores: [ds]))
        var spec = VMSpec(name: "v", memory: 4 * GiB)
        spec.disks = [DiskSpec(size: 8 * GiB, provisioning: .thin)]
        let v = try h.createVM(spec)
        let a = try dc.alarms.define(AlarmSpec(name: "space", scope: .all(.datastore),
            triggers: [.metric(MetricTrigger(metric: AlarmMetrics.find("usage", .datastore)!, warning: 30, critical: 70))]))
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .datastore(ds)) == .green)
        try v.powerOn()                                        // a 4 GiB .vswp: 40 %
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .datastore(ds)) == .yellow)
        try v.run(DiskWorkload(write: 4 * GiB, rate: Double(400 * MiB)))
        try dc.run(for: .seconds(Int64(60)))                  // 80 %
        #expect(dc.alarms.state(a, .datastore(ds)) == .red)
        try v.powerOff()                                       // the .vswp goes: 40 %
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .datastore(ds)) == .yellow)
    }

    /// VM alarms on every VM are evaluated in the sampler's pass, which keeps their states
    /// side by side: an alarm defined later keeps the earlier ones' conditions running.
    @Test func alarmsDefinedLaterKeepEarlierStates() throws {
        let dc = world()
        let v = try vm(try host(dc), "web01")
        let a = try dc.alarms.define(AlarmSpec(name: "cpu", scope: .all(.vm), triggers: [cpu(50, 90, lasting: 300)]))
        try v.run(try CPUWorkload(threads: 1, load: 0.6))
        try dc.run(for: .seconds(Int64(200)))
        let b = try dc.alarms.define(AlarmSpec(name: "mem", scope: .all(.vm), triggers: [mem(10, 90)]))
        #expect(dc.alarms.reset(b, .vm(v)))
        try dc.run(for: .seconds(Int64(100)))
        #expect(a.history.map(\.time.seconds) == [300])      // held since 0: yellow at 5 min
        #expect(dc.alarms.state(a, .vm(v)) == .yellow)
        #expect(dc.alarms.state(b, .vm(v)) == .green)
        let c = try vm(try host(dc, "esx02"), "web02")            // a VM created later
        try c.run(try CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .vm(c)) == .green && dc.alarms.state(a, .vm(v)) == .yellow)
    }

    /// Host metric alarms on every host are evaluated in the sampler's pass too; a failed
    /// host reports nothing, so its metric alarm resets.
    @Test func hostAlarmsInTheSamplePass() throws {
        let dc = world()
        let hs = try (0..<2).map { try host(dc, "esx0\($0)") }
        let a = try dc.alarms.define(AlarmSpec(name: "host cpu", scope: .all(.host),
            triggers: [.metric(MetricTrigger(metric: AlarmMetrics.find("cpu.usage", .host)!, warning: 20, critical: 40))]))
        #expect(a.inSamplePass)
        try vm(hs[1], "busy", vcpus: 2).run(try CPUWorkload(threads: 2, load: 1))   // 2 of 4 pCPUs: 50 %
        try dc.run(for: .seconds(Int64(40)))
        #expect(dc.alarms.state(a, .host(hs[0])) == .green && dc.alarms.state(a, .host(hs[1])) == .red)
        try hs[1].fail()
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .host(hs[1])) == .green)
        #expect(a.history.last?.value == AlarmValue.none)
    }

    /// The sampler's pass and the general path give the same history: the same alarm set
    /// on every VM (evaluated as VMs are sampled) and on the cluster that holds them all,
    /// through loads above and below both thresholds, a VM powered off and on, a VM
    /// created later, and a host failure.
    @Test func samplePassAgreesWithTheGeneralPath() throws {
        let dc = world(seed: 5)
        let hs = try (0..<3).map { try host(dc, "esx0\($0)") }
        let c = try dc.addCluster(name: "all", hosts: hs)
        var vms = try (0..<6).map { try vm(hs[$0 % 3], "v\($0)", vcpus: 2) }
        let fused = try dc.alarms.define(AlarmSpec(name: "every VM", scope: .all(.vm), triggers: [cpu(50, 80, lasting: 60)]))
        let general = try dc.alarms.define(AlarmSpec(name: "cluster", scope: .cluster(c), target: .vm, triggers: [cpu(50, 80, lasting: 60)]))
        #expect(fused.inSamplePass && !general.inSamplePass)
        var loads: [CPUWorkload?] = Array(repeating: nil, count: 8)
        func load(_ i: Int, _ x: Double) throws {
            if let w = loads[i], w.isRunning, vms[i].workloads.contains(where: { $0 === w }) { try vms[i].stop(w) }
            loads[i] = try CPUWorkload(threads: 2, load: x)
            if vms[i].state == .on { try vms[i].run(loads[i]!) }
        }
        for step in 0..<40 {
            try load(step % vms.count, [0.3, 0.6, 0.9, 0.55, 0.1][step % 5])
            if step == 10 { try vms[2].powerOff() }
            if step == 14 { try vms[2].powerOn() }
            if step == 20 { vms.append(try vm(hs[1], "late", vcpus: 2)) }
            if step == 25 { try hs[0].fail() }
            try dc.run(for: .seconds(Int64(45)))
        }
        func text(_ a: Alarm) -> [String] { a.history.map { "\($0.time.micros) \($0.subject.description) \($0.from.name)>\($0.to.name) \($0.value)" } }
        #expect(text(fused).count > 10)
        #expect(text(fused) == text(general))
    }

    /// VM heartbeat (ESX 4.0 guide p. 241): gray without Tools or when not running, red
    /// when none (paused), green when normal.
    @Test func heartbeat() throws {
        let dc = world()
        let h = try host(dc)
        let tools = try vm(h, "tools"), none = try h.createVM(VMSpec(name: "no-tools", memory: 1 * GiB, tools: false))
        try none.powerOn()
        let gray = AlarmStates.find("heartbeat", .vm)!
        let a = try dc.alarms.define(AlarmSpec(name: "no heartbeat", scope: .all(.vm),
            triggers: [.state(StateTrigger(state: gray, values: ["red"])), .state(StateTrigger(state: gray, values: ["gray"], level: .yellow))]))
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .vm(tools)) == .green)
        #expect(dc.alarms.state(a, .vm(none)) == .yellow)
    }

    /// The same lab and seed give the same alarm events, whatever the threads.
    @Test func deterministic() throws {
        func run(threads: Int) throws -> String {
            let dc = world(seed: 3)
            dc.parallelism = threads
            let hs = try (0..<16).map { try host(dc, "esx\($0)") }
            for (i, h) in hs.enumerated() {
                let v = try vm(h, "vm\(i)")
                try v.run(try CPUWorkload(threads: 1, load: Double(i % 5) / 4))
            }
            _ = try dc.alarms.defineDefaults()
            try dc.run(for: .seconds(Int64(900)))
            return dc.log.digest
        }
        #expect(try run(threads: 1) == run(threads: 2))
    }
}
