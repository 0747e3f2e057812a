import HyperModel
import Testing
@testable import HyperTop

/// The panels as text: esxtop's titles, the frame's values in their format, what fits.
@Suite struct ScreenTests {
    func titles(_ screen: TopScreen) -> [String] {
        let line = screen.lines.first { $0.text.contains("GID") }!
        return line.text.split(separator: " ").map(String.init)
    }

    func row(_ screen: TopScreen, _ name: String) -> [String] {
        screen.lines.first { $0.text.split(separator: " ").contains(Substring(name)) }!.text.split(separator: " ").map(String.init)
    }

    @Test func cpuPanelAt80x24() throws {
        let s = try Scenario()
        var state = TopViewState()
        state.frame = 5
        let screen = TopScreenBuilder.build(s.recording, state, width: 80, height: 24)
        #expect(screen.lines.count == 24)
        #expect(screen.lines.allSatisfy { $0.text.count <= 80 })
        #expect(titles(screen) == ["GID", "NAME", "NWLD", "%USED", "%RUN", "%WAIT", "%RDY", "%CSTP", "%MLMTD"])
        #expect(screen.lines[0].text.hasPrefix("0:02:00 up 0:02:00  esx01 [1/1]  6 VMs  frame 6/6"))
        #expect(screen.lines[1].text.hasPrefix("PCPU USED(%): "))
        #expect(screen.lines[2].text.hasPrefix("PMEM  /MB: 16384 total"))
        #expect(screen.lines[2].text.contains(" state"))
        #expect(["PSHARE/MB:", "SWAP  /MB:", "ZIP   /MB:", "MEMCTL/MB:"] == (3...6).map { String(screen.lines[$0].text.prefix(10)) })
        // the values are the frame's, with esxtop's two decimals
        let smp = s.recording.frame(5).vms(onHost: 0).first { $0.name == "smp" }!
        let cells = row(screen, "smp")
        #expect(cells[2] == "2")
        #expect(cells[3] == TopScreenBuilder.format(smp[.used], 2))
        #expect(cells[6] == TopScreenBuilder.format(smp[.ready], 2))
        #expect(cells[7] == TopScreenBuilder.format(smp[.costop], 2))
        // sorted by %USED, largest first (esxtop's default)
        let order = s.recording.frame(5).vms(onHost: 0).sorted { $0[.used] > $1[.used] || ($0[.used] == $1[.used] && $0.id < $1.id) }
        let shown = screen.lines.dropFirst(9).prefix(6).map { $0.text.split(separator: " ")[1] }
        #expect(shown.map(String.init) == order.map(\.name))
    }

    @Test func memoryPanelShowsEsxtopsColumnsAndGrowsWithTheTerminal() throws {
        let s = try Scenario()
        var state = TopViewState()
        state.panel = .memory
        state.frame = 5
        let narrow = TopScreenBuilder.build(s.recording, state, width: 80, height: 24)
        #expect(titles(narrow) == ["GID", "NAME", "MEMSZ", "GRANT", "SZTGT", "TCHD", "MCTLSZ", "SWCUR", "ZIP/MB"])
        let wide = TopScreenBuilder.build(s.recording, state, width: 160, height: 40)
        #expect(titles(wide) == ["GID", "NAME", "MEMSZ", "GRANT", "CNSM", "SZTGT", "TCHD", "MCTLSZ", "MCTLTGT", "SWCUR", "SWTGT",
                                 "ZIP/MB", "SWR/s", "SWW/s", "SHRD", "OVHD"])
        #expect(wide.lines.count == 40)
        let busy = s.recording.frame(5).vms(onHost: 0).first { $0.name == "busy1" }!
        let cells = row(narrow, "busy1")
        #expect(cells[2] == "2048")
        #expect(cells[3] == String(Int((busy[.grant] / 1048576).rounded())))
        #expect(cells[5] == String(Int((busy[.touched] / 1048576).rounded())))
    }

    @Test func diskAndNetworkPanels() throws {
        let s = try Scenario()
        var state = TopViewState()
        state.frame = 5
        state.panel = .disk
        let disk = TopScreenBuilder.build(s.recording, state, width: 80, height: 24)
        #expect(titles(disk) == ["GID", "NAME", "DATASTORE", "CMDS/s", "WRITES/s", "MBWRTN/s", "DAVG/cmd"])
        let w = row(disk, "writer")
        #expect(w[2] == "ds1")
        #expect(Double(w[5])! > 49 && Double(w[5])! < 51)
        // sorted by CMDS/s: the writer first
        #expect(disk.lines[9].text.contains("writer"))
        state.panel = .network
        let net = TopScreenBuilder.build(s.recording, state, width: 80, height: 24)
        #expect(titles(net) == ["GID", "USED-BY", "DNAME", "PKTTX/s", "MbTX/s"])
        let n = row(net, "sender")
        #expect(n[2] == "vmxnet3")
        let sender = s.recording.frame(5).vms(onHost: 0).first { $0.name == "sender" }!
        #expect(n[4] == TopScreenBuilder.format(sender[.netBitsRate] / 1e6, 2))
    }

    @Test func expandedVMShowsItsVCPUWorlds() throws {
        let s = try Scenario()
        var state = TopViewState()
        state.frame = 5
        let smp = s.recording.frame(5).vms(onHost: 0).first { $0.name == "smp" }!
        state.expanded = [smp.id]
        let screen = TopScreenBuilder.build(s.recording, state, width: 80, height: 24)
        let worlds = screen.lines.filter { $0.text.contains("vmx-vcpu-") }
        #expect(worlds.count == 2)
        let cells = worlds[1].text.split(separator: " ").map(String.init)
        #expect(cells[0].hasPrefix("vmx-vcpu-1:smp"))
        #expect(cells[2] == TopScreenBuilder.format(smp.vcpu(1, .run), 2))
        #expect(cells[5] == TopScreenBuilder.format(smp.vcpu(1, .ready), 2))
    }

    @Test func smallTerminalsSayWhatTheyShow() throws {
        let s = try Scenario()
        let state = TopViewState()
        let small = TopScreenBuilder.build(s.recording, state, width: 50, height: 12)
        #expect(small.lines.count == 12)
        #expect(small.lines.allSatisfy { $0.text.count <= 50 })
        #expect(small.lines.last!.text.hasPrefix("terminal 50x12 < 80x24: showing what fits"))
        #expect(small.lines.contains { $0.text.hasPrefix(" GID NAME") })
        let tiny = TopScreenBuilder.build(s.recording, state, width: 15, height: 2)
        #expect(tiny.lines.count == 1)
        #expect(tiny.lines[0].text == "terminal 15x2 i")
        let one = TopScreenBuilder.build(s.recording, state, width: 60, height: 3)
        #expect(one.lines.count == 3)
    }

    @Test func aHostWithoutVMsSaysSo() throws {
        let dc = Datacenter(seed: 1)
        let r = TopRecorder(attachingTo: dc)
        _ = try dc.addHost(HostSpec(name: "empty", cpus: 1, mhz: 1000, memory: 2 * Units.GiB))
        try dc.run(for: .seconds(Int64(40)))
        let screen = TopScreenBuilder.build(r.recording, TopViewState(), width: 80, height: 24)
        #expect(screen.text.contains("(no powered-on VM on this host at this time)"))
    }
}
