import Testing
@testable import HyperModel

/// The alarm and statistics behaviours of the datacenter reference, each with its own
/// numbers. Sources as the reference cites them: vSphere 6.7 Monitoring and Performance
/// (alarm states, actions), ESX 4.0 guide p. 240–241 (condition length, reset, memory
/// usage = active / configured), vSphere 4.x "Alarm Triggers", blog.mwpreston.net VCP5
/// objective 7.2 (default thresholds), vSphere SDK "Performance Intervals" GUID-46697BA2
/// and vSphere 7.0 GUID-25800DE4 (intervals and levels).
@Suite("Alarms and statistics: behaviours 60–65 of datacenter-facts §7")
struct AlarmBehaviourTests {
    static let minute = SimTime.seconds(Int64(60))

    func cpuAlarm(_ dc: Datacenter, on v: VM, actions: [AlarmAction] = []) throws -> Alarm {
        try dc.alarms.define(AlarmSpec(
            name: "VM CPU usage", scope: .vm(v),
            triggers: [.metric(MetricTrigger(metric: AlarmMetrics.find("cpu.usage", .vm)!, warning: 75, critical: 90,
                                             lasting: .seconds(Int64(300))))],
            actions: actions))
    }

    /// Behaviour 60 (§3.1–3.2, ESX 4.0 guide p. 240; mwpreston 7.2 for 75/90 % over
    /// 5 min): VM CPU at 80 % for 4 min → green; after 5 min → yellow; at 95 % for 5 min
    /// → red; falling to 70 % resets it to green at once. No action runs unless one was
    /// configured.
    @Test func conditionLength() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "web01")
        let a = try cpuAlarm(dc, on: v)
        var w = try CPUWorkload(threads: 1, load: 0.8)
        try v.run(w)
        try dc.run(for: .seconds(Int64(240)))
        #expect(v.metrics.series["cpu.usage"]!.last == 80)
        #expect(dc.alarms.state(a, .vm(v)) == .green)
        try dc.run(for: Self.minute)
        #expect(dc.alarms.state(a, .vm(v)) == .yellow)
        try v.stop(w)
        w = try CPUWorkload(threads: 1, load: 0.95)
        try v.run(w)
        try dc.run(for: .seconds(Int64(280)))
        #expect(dc.alarms.state(a, .vm(v)) == .yellow)   // 95 % for 4 min 40 s
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .vm(v)) == .red)      // for 5 min
        try v.stop(w)
        try v.run(try CPUWorkload(threads: 1, load: 0.7))
        try dc.run(for: .seconds(Int64(20)))
        #expect(dc.alarms.state(a, .vm(v)) == .green)    // one sample at 70 %: reset
        #expect(a.history.map { "\($0.from.name)>\($0.to.name)@\(Int($0.time.seconds))" } == ["green>yellow@300", "yellow>red@600", "red>green@620"])
        #expect(a.history.map(\.value) == [.number(80), .number(95), .number(70)])
        #expect(dc.log.events(kind: "alarm").count == 3)
        #expect(dc.log.events(kind: "alarm.action").isEmpty)
    }

    /// Behaviour 61 (§3.2, mwpreston 7.2: datastore usage on disk 75 / 85 %): usage 74 %
    /// green, 76 % yellow, 86 % red, with no condition length.
    @Test func datastoreUsage() throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "ds1", capacity: 1000 * GiB, kind: .san)
        let h = try dc.addHost(HostSpec(name: "esx01", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds]))
        let defaults = try dc.alarms.defineDefaults()
        let a = defaults.first { $0.name == "Datastore usage on disk" }!
        func add(_ name: String, _ gib: Int64) throws {
            var spec = VMSpec(name: name, memory: 1 * GiB)
            spec.disks = [DiskSpec(size: gib * GiB, provisioning: .thickLazy, datastore: ds)]
            _ = try h.createVM(spec)
        }
        try add("a", 740)
        try dc.run(for: .seconds(Int64(20)))
        #expect(Int(Double(ds.used) / Double(ds.capacity) * 100) == 74)
        #expect(dc.alarms.state(a, .datastore(ds)) == .green)
        try add("b", 20)
        try dc.run(for: .seconds(Int64(20)))   // the next sample: no condition length
        #expect(Int(Double(ds.used) / Double(ds.capacity) * 100) == 76)
        #expect(dc.alarms.state(a, .datastore(ds)) == .yellow)
        try add("c", 100)
        try dc.run(for: .seconds(Int64(20)))
        #expect(Int(Double(ds.used) / Double(ds.capacity) * 100) == 86)
        #expect(dc.alarms.state(a, .datastore(ds)) == .red)
        #expect(a.history.map(\.time.seconds) == [40, 60])
    }

    /// Behaviour 62 (§3.1, ESX 4.0 guide p. 240: state triggers have no condition length;
    /// mwpreston 7.2: "Host connection and power state"): a host that stops responding
    /// turns the alarm red at once, before any sample; it is green again when it is back.
    @Test func stateTriggerAtOnce() throws {
        let dc = world()
        let hs = try (0..<2).map { try host(dc, "esx0\($0)") }
        let a = try dc.alarms.defineDefaults().first { $0.name == "Host connection and power state" }!
        try dc.run(for: .seconds(Int64(30)))
        try hs[0].fail()
        #expect(dc.alarms.state(a, .host(hs[0])) == .red)   // at 30 s, between samples
        #expect(dc.alarms.state(a, .host(hs[1])) == .green)
        #expect(a.history.first?.time == .seconds(Int64(30)))
        #expect(a.history.first?.value == .text("unknown") || a.history.first?.value == .text("not responding"))
        try dc.run(for: Self.minute)
        #expect(dc.alarms.state(a, .host(hs[0])) == .red)
        try hs[0].recover()
        #expect(dc.alarms.state(a, .host(hs[0])) == .green)
    }

    /// Behaviour 63 (§3.1, vSphere 6.7 Monitoring p. 138: actions once or repeated, by
    /// default every 5 min): a repeating action fires at the transition and every 5 min
    /// while the alarm stays red; a "once" action fires once per transition.
    @Test func repeatAction() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "web01")
        final class Counter: AlarmScript {
            var times: [Double] = []
            func run(_ call: AlarmActionCall) throws { times.append(call.time.seconds) }
        }
        let repeating = Counter(), once = Counter()
        _ = try cpuAlarm(dc, on: v, actions: [
            AlarmAction(body: .script(repeating), transitions: [.yellowToRed], repeats: true),
            AlarmAction(body: .script(once), transitions: [.yellowToRed]),
        ])
        let w = try CPUWorkload(threads: 1, load: 1)
        try v.run(w)
        try dc.run(for: .seconds(Int64(300 + 30 * 60)))   // red at 5 min, then 30 min red
        #expect(repeating.times == [300, 600, 900, 1200, 1500, 1800, 2100])
        #expect(once.times == [300])
        try v.stop(w)
        try dc.run(for: .seconds(Int64(600)))             // green: no repeats
        #expect(repeating.times.count == 7)
        try v.run(try CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(300)))             // red again: each fires on the new transition
        #expect(repeating.times == [300, 600, 900, 1200, 1500, 1800, 2100, 3000])
        #expect(once.times == [300, 3000])
    }

    /// Behaviour 64 (§3.2, ESX 4.0 guide p. 241: VM memory usage = active / configured):
    /// a 4 GB VM with 3.2 GB consumed but 1 GB active reports 25 % and stays green; with
    /// the counter set to consumed the same VM reports 80 % and turns yellow.
    @Test func memoryUsageIsActive() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "web01", memory: 4 * GiB)
        let active = try dc.alarms.defineDefaults().first { $0.name == "Virtual machine memory usage" }!
        let consumed = try dc.alarms.define(AlarmSpec(
            name: "VM memory usage (consumed)", scope: .all(.vm),
            triggers: [.metric(MetricTrigger(metric: AlarmMetrics.find("memory.usage", .vm, counter: "consumed")!,
                                             warning: 75, critical: 90, lasting: .seconds(Int64(300))))]))
        try v.run(MemoryWorkload(size: 3 * GiB + GiB / 5, active: 1 * GiB))
        try dc.run(for: .seconds(Int64(900)))
        #expect(v.consumed == Units.pages(3 * GiB + GiB / 5))
        let usage = v.metrics.series["memory.usage"]!.last!
        #expect(abs(usage - 25) < 1.25, "memory.usage \(usage) %")   // active → 1 GB (the estimator's decay)
        #expect(dc.alarms.state(active, .vm(v)) == .green)
        #expect(active.history.isEmpty)
        #expect(dc.alarms.state(consumed, .vm(v)) == .yellow)
        if case .number(let x)? = consumed.history.first?.value {
            #expect(abs(x - 80) < 0.01, "consumed / configured \(x) %")
        } else {
            Issue.record("the consumed-memory alarm did not change")
        }
    }

    /// Behaviour 65 (§3.3, vSphere SDK GUID-46697BA2; §8 for 4 × 30 min): one hour of
    /// real-time data has 180 points; a day has 288 five-minute points, each the mean of
    /// 15 real-time points; a week 336, a month 360, a year 365. Setting the year interval
    /// to level 4 while the month interval is level 3 is refused (GUID-25800DE4).
    @Test func rollups() throws {
        let settings = StatisticsSettings()
        settings.realtimeRetention = .seconds(Int64(3600))
        let s = SeriesSet([("cpu.usage", "%")], settings: settings)
        var t = SimTime.zero
        let step = SimTime.seconds(Int64(20))
        var n = 0
        // a year and a day of 20 s samples: the value is the sample's number, so each
        // five-minute point's mean is known
        while t < .seconds(Int64(366 * 86_400)) {
            t = t + step
            n += 1
            s.begin(t)
            s.set(0, Double(n))
            s.commit()
        }
        #expect(s.pointCount == 180)
        let day = s.series("cpu.usage", interval: .day)!
        #expect(day.count == 288)
        // the last five-minute point: the mean of the last 15 samples n-14 ... n
        #expect(day.last == Double(n) - 7)
        #expect(day.times.last == t)
        #expect(s.series("cpu.usage", interval: .week)!.count == 336)
        #expect(s.series("cpu.usage", interval: .month)!.count == 360)
        #expect(s.series("cpu.usage", interval: .year)!.count == 365)
        #expect(s.series("cpu.usage", interval: .month)!.times.last!.micros % SimTime.seconds(Int64(7200)).micros == 0)

        #expect(StatisticsSettings.refusal([4, 4, 3, 3, 4])?.contains("the year level 4 exceeds the month level 3") == true)
        let dc = world()
        #expect(throws: ModelError.self) { try dc.setStatisticsLevels([4, 4, 3, 3, 4]) }
        #expect(dc.statistics.levels == [3, 3, 3, 3, 3])   // nothing changed
        try dc.setStatisticsLevels([4, 4, 4, 3, 3])
        #expect(dc.statistics.level(.week) == 4)
    }
}
