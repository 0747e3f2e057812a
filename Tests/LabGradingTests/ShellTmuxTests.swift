import Foundation
import Testing

/// `hyperlab shell` in a real terminal: tmux runs it in an 80×24 pane; the test types
/// into it and reads the pane back, and checks the terminal is as it was afterwards.
@Suite(.serialized, .enabled(if: tmuxPath != nil, "tmux is not installed: `apt-get install -y tmux` (or `make deps`) to run the shell terminal tests"))
struct ShellTmuxTests {
    typealias Pane = TopTmuxTests.Pane

    func expectShows(_ pane: Pane, _ text: String) {
        let (ok, screen) = pane.waitFor(text, seconds: 30)
        #expect(ok, "expected \"\(text)\" on the screen:\n\(screen)")
    }

    func type(_ pane: Pane, _ text: String, enter: Bool = true) throws {
        try pane.keys("-l", text)
        if enter { try pane.keys("Enter") }
    }

    @Test func commandsCompletionHistoryRunTopCtrlCAndCtrlD() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("shell-state-\(UUID().uuidString)").path
        let pane = try Pane("", command: "shell", env: "XDG_STATE_HOME=\(state)")
        expectShows(pane, "HyperLab shell on a fresh datacenter")
        #expect(try pane.option("alternate_on") == "0")
        try type(pane, "h = lab.host{ name = \"esx01\", cpus = 4, mhz = \"2.4 GHz\", memory = \"16 GiB\" }")
        // completion: h:create_v<Tab> becomes h:create_vm (h:cre<Tab> lists create_vapp too)
        try type(pane, "vm = h:create_v", enter: false)
        try pane.keys("Tab")
        expectShows(pane, "> vm = h:create_vm")
        try type(pane, "{ name = \"web\", vcpus = 2, memory = \"4 GiB\" }")
        try type(pane, "vm:power_on()")
        try type(pane, "vm:run(lab.workload.cpu{})")
        expectShows(pane, "CPUWorkload(")
        try type(pane, ":run 5 min")
        expectShows(pane, "simulated time is now 5 min")
        try type(pane, "vm")
        expectShows(pane, "┌ VM web on esx01 · on")
        expectShows(pane, "%RDY")
        // history: up brings the last line back
        try type(pane, "'hist' .. 'ory'")
        expectShows(pane, "\"history\"")
        try pane.keys("Up")
        expectShows(pane, "> 'hist' .. 'ory'")
        try pane.keys("Enter")
        let (ok, screen) = pane.waitFor("\"history\"\n> 'hist' .. 'ory'\n\"history\"", seconds: 30)
        #expect(ok, "the line from history did not run again:\n\(screen)")
        // Ctrl-C drops the line being written
        try type(pane, "this is not lua", enter: false)
        try pane.keys("C-c")
        expectShows(pane, "this is not lua^C")
        try type(pane, "'after' .. '-ctrl-c'")
        expectShows(pane, "\"after-ctrl-c\"")
        #expect(!pane.screen.contains("stdin:1:"), "the dropped line ran:\n\(pane.screen)")
        // a line wider than the pane scrolls sideways instead of wrapping
        let wide = "'" + String(repeating: "w", count: 100) + "' .. 'ide'"
        try type(pane, wide)
        expectShows(pane, "wwwwide\"")
        // the row shows the prompt and the end of the line (80 columns less "> " and one)
        #expect(pane.screen.split(separator: "\n").contains { $0 == "> " + wide.suffix(77) }, "\(pane.screen)")
        // Ctrl-C while a line runs stops it, not the shell
        try type(pane, "while true do end")
        // let the line start: a Ctrl-C read with the Enter (still in raw mode) is a key of
        // the next line, not an interrupt of this one
        Thread.sleep(forTimeInterval: 1)
        try pane.keys("C-c")
        expectShows(pane, "interrupted")
        try type(pane, "'still' .. '-here'")
        expectShows(pane, "\"still-here\"")
        // :top on the world so far, q comes back to the prompt
        try type(pane, ":top")
        expectShows(pane, "PCPU USED(%)")
        #expect(try pane.option("alternate_on") == "1")
        try pane.keys("q")
        let back = pane.waitFor("simulated time", seconds: 30)
        #expect(back.0, "the prompt did not come back after q:\n\(back.1)")
        #expect(try pane.option("alternate_on") == "0")
        try type(pane, "lab.now()")
        expectShows(pane, "300.0")
        // Ctrl-D on an empty line leaves, the terminal as it was
        try pane.keys("C-d")
        expectShows(pane, "EXIT=0")
        expectShows(pane, "SETTINGS-SHOWN")
        let s = pane.screen
        #expect(s.contains("icanon echo") || s.contains("echo icanon"), "terminal settings after the shell:\n\(s)")
        #expect(try pane.option("cursor_flag") == "1")
        let history = try String(contentsOfFile: state + "/hyperlab/history", encoding: .utf8)
        #expect(history.contains("'hist' .. 'ory'\n"))
        #expect(history.contains(":run 5 min\n"))
    }
}
