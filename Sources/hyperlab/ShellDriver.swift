import Foundation
import HyperTop
import LabGrading
import LabRuntime

/// What both ways of using the shell share: a line is a meta-command or Lua (an
/// unfinished chunk waits for its next lines), and its reply is written out — values on
/// standard output, errors on standard error, as a script's are.
final class ShellDriver {
    let shell: ShellSession
    private let recorder: RecorderBox
    /// The lines of a chunk still open (`function f()` and no `end` yet).
    private var pending: [String] = []
    /// Lines whose Lua failed (the exit code of a script read from standard input).
    private(set) var failures = 0
    /// Opens top on the recording so far (nil without a terminal).
    var openTop: ((TopRecording) -> Void)?

    enum Next { case goOn, quit }

    init(_ shell: ShellSession, recorder: RecorderBox) {
        self.shell = shell
        self.recorder = recorder
    }

    var continuing: Bool { !pending.isEmpty }

    func handle(_ line: String) -> Next {
        if pending.isEmpty, let meta = ShellMeta.parse(line) { return run(meta) }
        pending.append(line)
        let reply = shell.evaluate(pending.joined(separator: "\n"))
        if reply == .incomplete { return .goOn }
        pending = []
        show(reply)
        return .goOn
    }

    /// The end of the input: a chunk left open is an error, as `lua` reports it.
    func finish() {
        guard !pending.isEmpty else { return }
        pending = []
        show(.error("stdin: the input ended inside an unfinished chunk (a missing `end`, `}` or closing quote)"))
    }

    func dropPending() { pending = [] }

    private func run(_ meta: ShellMeta) -> Next {
        switch meta {
        case .quit: return .quit
        case .help: out(ShellMeta.helpText + "\n")
        case .run(let d):
            if d.isEmpty { show(.error(":run needs a duration, e.g. :run 5 min or :run 30 (seconds)")) } else { show(shell.runFor(d)) }
        case .top:
            guard let openTop else {
                show(.error(":top needs a terminal (standard input and output are not one); use `hyperlab top --batch` on a script"))
                break
            }
            guard let r = recorder.recorder?.recording, r.frameCount > 0 else {
                show(.error(":top: nothing to show yet: top shows one frame per sample; advance time first (:run 1 min)"))
                break
            }
            openTop(r)
        case .unknown(let name):
            show(.error("unknown command :\(name) (:run, :top, :help, :quit)"))
        }
        return .goOn
    }

    private func show(_ reply: ShellSession.Reply) {
        switch reply {
        case .output(let text): if !text.isEmpty { out(text + "\n") }
        case .error(let m):
            failures += 1
            FileHandle.standardError.write(Data((m + "\n").utf8))
        case .incomplete: break
        }
    }

    private func out(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }

    /// What a lab's run left, as `hyperlab check` shows it to a student: each check's
    /// result through `StudentView` (expected values only where the check reveals them),
    /// the hint of a failure, a script error.
    static func labSummary(_ name: String, _ run: LabRunResult) -> String {
        var s = run.studentOutput
        let passed = run.checks.filter { $0.status == .passed }.count
        s += "\(name): the lab script ran; \(passed) of \(run.checks.count) checks passed\n"
        for c in run.checks {
            let mark = c.status == .passed ? "✓" : "✗"
            var line = "  \(mark) \(c.name) (\(ShellDriver.points(c.score))/\(ShellDriver.points(c.points)))"
            if let m = StudentView.message(c) { line += ": " + m }
            s += line + "\n"
            if c.status != .passed && c.status != .skipped, let h = c.hint { s += "      hint: \(h)\n" }
        }
        if let e = run.scriptError { s += "the lab script failed: \(e)\n" }
        return s
    }

    private static func points(_ d: Double) -> String { Units.trim(d) }
}

import HyperModel
