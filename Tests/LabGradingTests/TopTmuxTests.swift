import Foundation
import Testing

/// Whether tmux can run here (`make deps` installs it, so CI always has it).
let tmuxPath = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// `hyperlab top` end to end in a real terminal: tmux runs it in an 80×24 pane, the test
/// sends keys and reads the pane back, and checks the terminal is as it was afterwards.
@Suite(.serialized, .enabled(if: tmuxPath != nil, "tmux is not installed: `apt-get install -y tmux` (or `make deps`) to run the top terminal tests"))
struct TopTmuxTests {
    /// One tmux server of its own per test, on a private socket.
    final class Pane {
        let socket = "hyperlab-top-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("top-tmux-\(UUID().uuidString)")

        /// Runs `hyperlab <command> <args>` (top by default) with `env` (`NAME=value ...`) set.
        init(_ args: String, command: String = "top", env: String = "", width: Int = 80, height: Int = 24) throws {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let bin = CommandTests.binary.path
            let pidFile = dir.appendingPathComponent("pid").path
            // the inner shell execs top (so its pid is top's); the outer one reports how it
            // ended and what the terminal settings are afterwards
            let inner = "echo $$ > \(pidFile); exec env \(env) \(bin) \(command) \(args)"
            let script = "cd \(CommandTests.root.path) && sh -c '\(inner)'; echo EXIT=$?; stty -a | tr -s ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; echo SETTINGS-SHOWN; sleep 120"
            // the server this starts is a daemon that inherits what the client has open:
            // spawned directly and waited for by pid (Foundation's Process would wait on it)
            try spawnAndWait(["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)", script])
        }

        func spawnAndWait(_ args: [String]) throws {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
            let argv = ([tmuxPath!] + args).map { strdup($0) } + [nil]
            defer { for p in argv { free(p) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, tmuxPath!, &actions, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }

        deinit {
            _ = try? tmux("kill-server")
            try? FileManager.default.removeItem(at: dir)
        }

        @discardableResult
        func tmux(_ args: String...) throws -> String { try tmux(args) }

        @discardableResult
        func tmux(_ args: [String]) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tmuxPath!)
            p.arguments = ["-L", socket, "-f", "/dev/null"] + args
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        var screen: String { (try? tmux("capture-pane", "-p", "-t", "t")) ?? "" }

        func keys(_ k: String...) throws { try tmux(["send-keys", "-t", "t"] + k) }

        /// Waits (up to `seconds`) until the pane shows `text`; the pane on failure.
        func waitFor(_ text: String, seconds: Double = 60) -> (Bool, String) {
            let end = Date().addingTimeInterval(seconds)
            var s = ""
            while Date() < end {
                s = screen
                if s.contains(text) { return (true, s) }
                usleep(100_000)
            }
            return (false, s)
        }

        func option(_ name: String) throws -> String {
            try tmux("display-message", "-p", "-t", "t", "#{\(name)}").trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var topPID: Int32? { (try? String(contentsOf: dir.appendingPathComponent("pid"), encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
    }

    func expectShows(_ pane: Pane, _ text: String, _ comment: Comment? = nil) {
        let (ok, screen) = pane.waitFor(text)
        #expect(ok, "expected \"\(text)\" on the screen:\n\(screen)")
    }

    /// The terminal after top: out of the alternate screen, cursor shown, line mode and echo back.
    func expectRestored(_ pane: Pane, exit code: Int) throws {
        expectShows(pane, "EXIT=\(code)")
        // the settings line follows the exit line; read the pane once it is there
        expectShows(pane, "SETTINGS-SHOWN")
        let s = pane.screen
        #expect(s.contains("icanon echo") || s.contains("echo icanon"), "terminal settings after top:\n\(s)")
        #expect(try pane.option("alternate_on") == "0")
        #expect(try pane.option("cursor_flag") == "1")
    }

    @Test func panelsPauseScrubExpandAndQuit() throws {
        let pane = try Pane("Tests/Fixtures/top-scenario.lua")
        expectShows(pane, "PCPU USED(%)")
        #expect(try pane.option("alternate_on") == "1")
        try pane.keys("Space")
        expectShows(pane, "PAUSED")
        try pane.keys("m")
        expectShows(pane, "MEMSZ")
        expectShows(pane, "SWCUR")
        expectShows(pane, "TCHD")
        try pane.keys("d")
        expectShows(pane, "CMDS/s")
        try pane.keys("n")
        expectShows(pane, "MbTX/s")
        try pane.keys("c")
        expectShows(pane, "%RDY")
        try pane.keys("Home")
        expectShows(pane, "frame 1/30")
        try pane.keys("Right", "Right")
        expectShows(pane, "frame 3/30")
        try pane.keys("[")
        expectShows(pane, "frame 2/30")
        try pane.keys("End")
        expectShows(pane, "frame 30/30")
        try pane.keys("e")
        expectShows(pane, "vmx-vcpu-0:")
        try pane.keys("X")
        expectShows(pane, "X: no such key")
        try pane.keys("h")
        expectShows(pane, "this help")
        try pane.keys("x")
        expectShows(pane, "PCPU USED(%)")
        try pane.tmux("resize-window", "-t", "t", "-x", "60", "-y", "16")
        try pane.keys("s")  // any redraw: the size is read before each one
        expectShows(pane, "terminal 60x16 < 80x24")
        try pane.keys("q")
        try expectRestored(pane, exit: 0)
    }

    @Test func ctrlCRestoresTheTerminal() throws {
        let pane = try Pane("Tests/Fixtures/top-scenario.lua")
        expectShows(pane, "PCPU USED(%)")
        try pane.keys("C-c")
        try expectRestored(pane, exit: 130)
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let pane = try Pane("Tests/Fixtures/top-scenario.lua")
        expectShows(pane, "PCPU USED(%)")
        let pid = try #require(pane.topPID)
        kill(pid, SIGTERM)
        try expectRestored(pane, exit: 128 + Int(SIGTERM))
    }
}
