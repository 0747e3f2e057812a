import ArgumentParser
import Foundation
import HyperModel
import HyperTop
import LabGrading
import LabRuntime

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Run a lab and show it as esxtop does (CPU, memory, disk and network panels).",
        discussion: """
            LAB is a lab folder or a .lua scenario script (default: the current folder); the submission \
            is chosen as for `hyperlab run`. The lab runs to its end first, recording one frame per \
            sample (every 20 s of simulated time unless the lab changes it); top then plays the frames \
            back: c m d n switch panels, space pauses, s steps, + and - change the speed, left/right \
            (or [ and ]) move the time cursor, e expands a VM into its vCPU worlds, tab changes host, \
            h shows every key, q quits. It needs a terminal (exit code 2 without one). With --batch it \
            writes esxtop's batch CSV (perfmon format, one row per interval) to standard output \
            instead. docs/top.md explains every column and header field.
            """)

    @Argument(help: "A lab folder (holding lab.lua) or a .lua scenario script (default: the current folder).")
    var lab: String = "."

    @Option(help: "The submission folder that lab.submission(file) reads, or its answer.lua.")
    var submission: String?

    @Option(help: "Seed of every random choice (default: the lab's lab.seed, else 1).")
    var seed: UInt64?

    @Option(name: .customLong("param"), help: "A lab parameter, name=value (repeatable).")
    var params: [String] = []

    @Flag(help: "Write esxtop's batch CSV to standard output instead of the interactive screen.")
    var batch = false

    @Option(help: "Batch mode: seconds of simulated time between rows, a multiple of the sample interval (default: every sample).")
    var interval: Double?

    @Option(help: "Batch mode: write at most this many rows (esxtop -n).")
    var iterations: Int?

    func run() throws {
        if !batch, interval != nil || iterations != nil {
            throw UsageError("--interval and --iterations go with --batch (the interactive screen plays every frame)")
        }
        if let n = iterations, n < 1 { throw UsageError("--iterations \(n): use 1 or more") }
        if let s = interval, !(s > 0 && s.isFinite) { throw UsageError("--interval \(s): use a number of seconds above 0") }
        if !batch, isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
            FileHandle.standardError.write(Data("""
                hyperlab top: the interactive screen needs a terminal (standard input and output are not one); \
                use `hyperlab top --batch` to write esxtop's batch CSV instead\n
                """.utf8))
            throw ExitCode(2)
        }
        let (recording, result) = try record()
        if let e = result.run.scriptError {
            FileHandle.standardError.write(Data("hyperlab top: the lab script failed: \(e)\n".utf8))
        }
        guard let recording, recording.frameCount > 0 else {
            FileHandle.standardError.write(Data(
                "hyperlab top: nothing to show: the lab advanced no simulated time up to a sample (top shows one frame per sample)\n".utf8))
            throw ExitCode(2)
        }
        if batch {
            print(TopBatchCSV.render(recording, frames: try batchFrames(recording)), terminator: "")
            // the frames up to the failure are written; the exit code says the run failed
            if result.run.scriptError != nil { throw ExitCode(2) }
            return
        }
        let code = TopViewer(recording, note: result.run.scriptError.map { "the lab script failed: \($0)" }).run()
        throw ExitCode(code)
    }

    /// Runs the lab with a recorder attached to its world.
    private func record() throws -> (TopRecording?, GradeResult) {
        let location = try LabLocation(lab)
        let chosen = try SubmissionChoice.resolve(submission, lab: location)
        var options = LabRunner.options(for: location, submission: chosen, seed: seed, params: try parseParams(params))
        let box = RecorderBox()
        options.onWorld = { box.recorder = TopRecorder(attachingTo: $0) }
        if !batch { FileHandle.standardError.write(Data("hyperlab top: running \(location.name)...\n".utf8)) }
        let result = LabRunner.run(location, options: options)
        return (box.recorder?.recording, result)
    }

    private func batchFrames(_ r: TopRecording) throws -> [Int] {
        let step = r.sampleInterval
        var every = 1
        if let s = interval {
            let k = s / step
            guard k >= 1, abs(k - k.rounded()) < 1e-9 else {
                throw UsageError("--interval \(Units.trim(s)): the lab samples every \(Units.trim(step)) s; use a multiple of it")
            }
            every = Int(k.rounded())
        }
        return TopBatchCSV.frames(r, every: every, iterations: iterations)
    }
}

/// Where the recorder made in the lab's thread is handed back.
final class RecorderBox: @unchecked Sendable {
    var recorder: TopRecorder?
}
