import Foundation
import LabRuntime

/// Runs a lab on a thread of its own: Lua and the Swift frames between Lua calls need a
/// deep C stack (200 nested C calls may include Swift frames), which the default thread
/// and the Swift concurrency pool do not guarantee.
public enum LabRunner {
    public static let stackSize = 64 << 20

    public static func run(_ lab: LabLocation, options: LabOptions) -> GradeResult {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = runHere(lab, options: options)
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return box.result!
    }

    /// Runs on the current thread (which must have a large stack).
    public static func runHere(_ lab: LabLocation, options: LabOptions) -> GradeResult {
        let submission = options.submissionDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
        do {
            let session = try LabSession(options: options)
            let plan = CheckPlan(lab: lab, hidden: options.hiddenDirectory)
            return GradeResult(lab: lab.name, submission: submission, run: plan.complete(session.run()))
        } catch {
            let run = LabRunResult(
                checks: [], scriptError: "the lab could not start: \(error)", scriptTraceback: nil,
                seed: options.seed ?? 1, output: "", eventLogDigest: "", events: 0, simulatedSeconds: 0, params: options.params)
            return GradeResult(lab: lab.name, submission: submission, run: run)
        }
    }

    /// Options for running `lab` with `submission` (or its default one).
    public static func options(for lab: LabLocation, submission: String?, seed: UInt64?, params: [String: String]) -> LabOptions {
        var o = LabOptions(labFile: lab.file, labDirectory: lab.directory, submissionDirectory: submission ?? lab.defaultSubmission, seed: seed)
        o.params = params
        return o
    }

    /// The lab's hidden/ folder, when it has one.
    public static func hiddenFolder(of lab: LabLocation) -> String? {
        let h = (lab.directory as NSString).appendingPathComponent("hidden")
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: h, isDirectory: &isDir) && isDir.boolValue ? h : nil
    }

    private final class Box: @unchecked Sendable {
        var result: GradeResult?
    }
}
