import HyperModel
import Testing
@testable import HyperTop

/// Keys: what each does to the view, and that keys that do nothing say so and change nothing.
@Suite struct ControllerTests {
    @Test func keysDecodeFromTerminalBytes() {
        let b = Array("c\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D\u{1B}[5~\u{1B}[6~\u{1B}[H\u{1B}[4~\t\u{1B}[Z\u{03}".utf8)
        #expect(TopKey.decode(b) == [.char("c"), .up, .down, .right, .left, .pageUp, .pageDown, .home, .end, .tab, .backTab, .interrupt])
        #expect(TopKey.decode(Array("\u{1B}OA".utf8)) == [.up])
        #expect(TopKey.decode([0x1B]) == [.unknown("ESC")])
        #expect(TopKey.decode(Array("\u{1B}[".utf8)) == [.unknown("ESC")])
        #expect(TopKey.decode([0x01]) == [.unknown("Ctrl-A")])
        #expect(TopKey.decode(Array("\u{1B}[15~".utf8)) == [.unknown("ESC[15~")])
    }

    @Test func panelsSortPauseStepAndScrub() throws {
        let s = try Scenario()
        let r = s.recording
        var st = TopViewState()
        #expect(TopController.apply(.char("m"), to: &st, r) == .redraw)
        #expect(st.panel == .memory)
        _ = TopController.apply(.char("B"), to: &st, r)
        #expect(st.sortColumn(.memory) == "MCTLSZ" && st.sortColumn(.cpu) == "%USED")
        for (k, p) in [("d", TopPanel.disk), ("n", .network), ("c", .cpu)] {
            _ = TopController.apply(.char(Character(k)), to: &st, r)
            #expect(st.panel == p)
        }
        _ = TopController.apply(.char("R"), to: &st, r)
        #expect(st.sortColumn(.cpu) == "%RDY")
        _ = TopController.apply(.char("N"), to: &st, r)
        #expect(st.sortColumn(.cpu) == "GID")
        #expect(st.playing)
        _ = TopController.apply(.char(" "), to: &st, r)
        #expect(!st.playing)
        _ = TopController.apply(.char(" "), to: &st, r)
        #expect(st.playing)
        _ = TopController.apply(.char("s"), to: &st, r)
        #expect(!st.playing && st.frame == 1)
        _ = TopController.apply(.end, to: &st, r)
        #expect(st.frame == 5)
        _ = TopController.apply(.right, to: &st, r)
        #expect(st.frame == 5)  // the last frame stays the last
        _ = TopController.apply(.char("["), to: &st, r)
        _ = TopController.apply(.left, to: &st, r)
        #expect(st.frame == 3)
        _ = TopController.apply(.pageUp, to: &st, r)
        #expect(st.frame == 0)
        _ = TopController.apply(.char("}"), to: &st, r)
        #expect(st.frame == 5)
        _ = TopController.apply(.home, to: &st, r)
        #expect(st.frame == 0)
        let speed = st.speed
        _ = TopController.apply(.char("+"), to: &st, r)
        #expect(st.speed > speed)
        for _ in 0..<20 { _ = TopController.apply(.char("+"), to: &st, r) }
        #expect(st.speed == TopController.speeds.last! && st.status != nil)
        for _ in 0..<20 { _ = TopController.apply(.char("-"), to: &st, r) }
        #expect(st.speed == TopController.speeds.first!)
    }

    @Test func expandSelectAndHelp() throws {
        let s = try Scenario()
        let r = s.recording
        var st = TopViewState()
        st.frame = 5
        let first = TopScreenBuilder.sortedVMs(r.frame(5), st)
        _ = TopController.apply(.down, to: &st, r)
        #expect(st.selectedVM == first[1].id)
        _ = TopController.apply(.char("e"), to: &st, r)
        #expect(st.expanded == [first[1].id])
        _ = TopController.apply(.char("e"), to: &st, r)
        #expect(st.expanded.isEmpty)
        _ = TopController.apply(.char("m"), to: &st, r)
        _ = TopController.apply(.char("e"), to: &st, r)
        #expect(st.expanded.isEmpty && st.status!.contains("CPU panel"))
        _ = TopController.apply(.char("h"), to: &st, r)
        #expect(st.showHelp)
        let help = TopScreenBuilder.build(r, st, width: 80, height: 24)
        #expect(help.text.contains("this help") && help.lines.count == 24)
        _ = TopController.apply(.char("x"), to: &st, r)  // any key closes help
        #expect(!st.showHelp && st.status == nil)
    }

    @Test func keysThatDoNothingSaySoAndChangeNothing() throws {
        let s = try Scenario()
        let r = s.recording
        var st = TopViewState()
        let before = (st.panel, st.frame, st.playing, st.speed, st.sort)
        _ = TopController.apply(.char("X"), to: &st, r)
        #expect(st.status == "X: no such key in the cpu panel (sort keys: N U R C L; h for help)")
        _ = TopController.apply(.unknown("Ctrl-A"), to: &st, r)
        #expect(st.status == "Ctrl-A: no such key (h for help)")
        _ = TopController.apply(.tab, to: &st, r)
        #expect(st.status == "only one host")
        #expect((st.panel, st.frame, st.playing, st.speed, st.sort) == before)
        #expect(TopController.apply(.char("q"), to: &st, r) == .quit)
        #expect(TopController.apply(.interrupt, to: &st, r) == .interrupted)
    }

    @Test func playbackStopsAtTheEnd() throws {
        let s = try Scenario(seconds: 60)
        var st = TopViewState()
        for _ in 0..<5 { TopController.tick(&st, s.recording) }
        #expect(st.frame == 2 && !st.playing && st.status!.hasPrefix("end of the run"))
    }
}

/// A lab with several hosts: tab walks them, and a host built later has no row before.
@Suite struct HostSwitchTests {
    @Test func tabWalksTheHostsAndEachShowsItsOwnVMs() throws {
        let dc = Datacenter(seed: 1)
        let rec = TopRecorder(attachingTo: dc)
        let a = try dc.addHost(HostSpec(name: "esxA", cpus: 1, mhz: 1000, memory: 4 * Units.GiB))
        try a.createVM(VMSpec(name: "onA", vcpus: 1, memory: 1 * Units.GiB)).powerOn()
        try dc.run(for: .seconds(Int64(40)))
        let b = try dc.addHost(HostSpec(name: "esxB", cpus: 2, mhz: 1000, memory: 4 * Units.GiB))
        try b.createVM(VMSpec(name: "onB", vcpus: 1, memory: 1 * Units.GiB)).powerOn()
        try dc.run(for: .seconds(Int64(40)))
        let r = rec.recording
        var st = TopViewState()
        st.frame = 3
        #expect(TopScreenBuilder.build(r, st, width: 80, height: 24).text.contains("onA"))
        _ = TopController.apply(.tab, to: &st, r)
        #expect(st.host == 1)
        let onB = TopScreenBuilder.build(r, st, width: 80, height: 24)
        #expect(onB.lines[0].text.contains("esxB [2/2]") && onB.text.contains("onB") && !onB.text.contains("onA"))
        st.frame = 0  // esxB did not exist yet
        #expect(TopScreenBuilder.build(r, st, width: 80, height: 24).lines[0].text.contains("no host at this time"))
        _ = TopController.apply(.backTab, to: &st, r)
        #expect(st.host == 0)
    }
}
