import ArgumentParser
import Foundation
import HyperTop
import LabGrading
import LabRuntime
import LineEdit

struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "An interactive Lua prompt on a simulated datacenter (fresh, or the one a lab set up).",
        discussion: """
            Without LAB the datacenter is empty: build hosts and VMs with the lab API (lab.host{...}, \
            h:create_vm{...}). With LAB (a lab folder or a .lua script) the lab runs first, its checks' \
            results are shown, and the prompt continues in its state, its locals aside. What a line \
            returns is shown: an object as a panel (a VM as `hyperlab run` summarizes it), a table \
            shallowly, a number in the unit the API declares. Errors read as in scripts (stdin:1: ...). \
            :run 5 min advances time, :top opens top on the world so far (q comes back), :help, :quit. \
            Keys: Tab completes API names, up/down history (kept in $XDG_STATE_HOME/hyperlab/history or \
            ~/.hyperlab_history, last 1000 lines), Ctrl-A/E/U/K/W edit, Ctrl-C drops the line, Ctrl-D on \
            an empty line leaves. When standard input is not a terminal the lines are read from it \
            with no prompt (exit code 1 when a line failed).
            """)

    @Argument(help: "A lab folder (holding lab.lua) or a .lua script to run first (default: a fresh datacenter).")
    var lab: String?

    @Option(help: "The submission folder that lab.submission(file) reads, or its answer.lua (with LAB).")
    var submission: String?

    @Option(help: "Seed of every random choice (default: the lab's lab.seed, else 1).")
    var seed: UInt64?

    @Option(name: .customLong("param"), help: "A lab parameter, name=value (repeatable, with LAB).")
    var params: [String] = []

    func run() throws {
        let box = RecorderBox()
        var options: LabOptions
        var name = "shell"
        if let lab {
            let location = try LabLocation(lab)
            let chosen = try SubmissionChoice.resolve(submission, lab: location)
            options = LabRunner.options(for: location, submission: chosen, seed: seed, params: try parseParams(params))
            name = location.name
        } else {
            if submission != nil { throw UsageError("--submission goes with a LAB (hyperlab shell LAB --submission DIR)") }
            if !params.isEmpty { throw UsageError("--param goes with a LAB (a fresh datacenter reads no parameters)") }
            options = LabOptions(labFile: "", labDirectory: FileManager.default.currentDirectoryPath, seed: seed)
        }
        options.onWorld = { box.recorder = TopRecorder(attachingTo: $0) }
        let interactive = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        if interactive, lab != nil { FileHandle.standardError.write(Data("hyperlab shell: running \(name)...\n".utf8)) }
        let shell: ShellSession
        do { shell = try ShellSession(options: options, runLab: lab != nil) } catch {
            FileHandle.standardError.write(Data("hyperlab shell: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let run = shell.labRun { FileHandle.standardOutput.write(Data(ShellDriver.labSummary(name, run).utf8)) }
        let driver = ShellDriver(shell, recorder: box)
        guard interactive else {
            while let line = readLine(strippingNewline: true) {
                if driver.handle(line) == .quit { break }
            }
            driver.finish()
            throw ExitCode(driver.failures > 0 ? 1 : 0)
        }
        driver.openTop = { recording in
            let code = TopViewer(recording, note: "from hyperlab shell: q returns to the prompt").run()
            if code == 2 { FileHandle.standardError.write(Data("hyperlab shell: top could not start\n".utf8)) }
        }
        if lab == nil {
            print("HyperLab shell on a fresh datacenter (no hosts yet). :help for help, Ctrl-D to leave.")
        } else {
            print("The prompt is in the lab's state. :help for help, Ctrl-D to leave.")
        }
        throw ExitCode(ShellPrompt(driver, historyPath: LineHistory.defaultPath()).run())
    }
}
