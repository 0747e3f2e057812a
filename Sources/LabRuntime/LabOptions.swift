import HyperModel

/// Limits of a lab run. Lab scripts are trusted only in that they get larger limits;
/// submissions run with small ones, per call.
public struct LabLimits: Sendable {
    public var labInstructions: Int64 = 4_000_000_000
    public var labWallSeconds: Double = 300
    public var labMemory = 512 << 20
    /// Per check, unless the check sets `timeout`.
    public var checkWallSeconds: Double = 20
    public var checkInstructions: Int64 = 1_000_000_000
    public var submissionMemory = 64 << 20
    public var submissionStringLimit = 4 << 20
    /// Running a submission file's top level.
    public var submissionLoadInstructions: Int64 = 200_000_000
    /// Each call the lab makes into submission code.
    public var submissionCallInstructions: Int64 = 100_000_000
    public var submissionCallWallSeconds: Double = 6
    public var outputBytes = 64 << 10
    /// A submission file larger than this is refused.
    public var submissionFileBytes = 1 << 20

    public init() {}
}

/// What to run: a lab script, optionally a submission, a seed and parameters.
public struct LabOptions: Sendable {
    /// The lab script (lab.lua).
    public var labFile: String
    /// The folder of the lab; names in messages are relative to it.
    public var labDirectory: String
    /// Where `lab.submission(file)` looks for files; nil = no submission.
    public var submissionDirectory: String?
    /// Instructor-only checks (`--hidden DIR`): every `*.lua` in it runs, in name order,
    /// in the lab's state after `lab.lua`.
    public var hiddenDirectory: String?
    /// Called as each check ends (the worker streams results with it).
    public var onCheck: (@Sendable (CheckOutcome) -> Void)?
    /// Called once with the lab's world when it is created, before any time passes
    /// (`hyperlab top` attaches its frame recorder there).
    public var onWorld: (@Sendable (Datacenter) -> Void)?
    /// Collect `RunCharts` at the end (HTML reports, terminal panels).
    public var charts = false
    /// Overrides `lab.seed(n)` when set (`--seed N`).
    public var seed: UInt64?
    /// `--param name=value`.
    public var params: [String: String] = [:]
    public var limits = LabLimits()
    /// Threads that advance hosts in parallel between samples (`--threads N`). Results do
    /// not depend on it; graders running many submissions at once keep it at 1.
    public var threads = 1

    public init(labFile: String, labDirectory: String, submissionDirectory: String? = nil, seed: UInt64? = nil) {
        self.labFile = labFile
        self.labDirectory = labDirectory
        self.submissionDirectory = submissionDirectory
        self.seed = seed
    }
}
