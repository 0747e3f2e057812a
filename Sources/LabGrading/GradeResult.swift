import LabRuntime

/// The one result model: every output format is a rendering of it.
public struct GradeResult: Sendable {
    public var lab: String
    /// The submission folder's name ("solution", "starter", a student id), or nil.
    public var submission: String?
    public var engine = Engine.description
    public var run: LabRunResult
    /// "sha256:…" of the lab's scripts (lab.lua and hidden/*.lua), when grading.
    public var bundleHash: String?
    /// Why this submission was not graded at all (the run was interrupted, or grade-many's
    /// global time budget ran out before it started): not a zero, so grade-many --resume
    /// grades it again.
    public var notGraded: String?

    public init(lab: String, submission: String?, run: LabRunResult) {
        self.lab = lab
        self.submission = submission
        self.run = run
    }

    public enum Status: String, Sendable {
        case passed, failed, error
    }

    /// error: the lab script failed; failed: a check did not pass; passed: all did.
    public var status: Status {
        if run.scriptError != nil { return .error }
        return run.checks.allSatisfy { $0.status == .passed } ? .passed : .failed
    }

    /// 0 all passed, 1 a check failed, 2 the lab script failed.
    public var exitCode: Int32 {
        switch status {
        case .passed: return 0
        case .failed: return 1
        case .error: return 2
        }
    }

    public var score: Double { run.score }
    public var maxScore: Double { run.points }
}
