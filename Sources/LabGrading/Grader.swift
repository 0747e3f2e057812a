import Foundation
import LabRuntime

/// Grading a submission the way every grading command does: in a worker process, with
/// the lab's plan, bundle hash and limits.
public struct Grader: Sendable {
    public var lab: LabLocation
    public var hidden: String?
    public var seed: UInt64?
    public var params: [String: String] = [:]
    /// Wall-clock limit of one run, in seconds.
    public var timeout: Double = 25
    public var memoryMiB = 2048
    /// Collect charts (for HTML reports).
    public var charts = false
    public let plan: CheckPlan
    public let bundleHash: String

    public init(lab: LabLocation, hidden: String?, seed: UInt64?, params: [String: String]) {
        self.lab = lab
        self.hidden = hidden
        self.seed = seed
        self.params = params
        plan = CheckPlan(lab: lab, hidden: hidden)
        bundleHash = LabBundle.hash(lab, hidden: hidden)
    }

    public func grade(submission: String?) -> GradeResult {
        var request = WorkerRequest(lab: lab, submission: submission, hidden: hidden, seed: seed, params: params)
        request.memoryMiB = memoryMiB
        request.charts = charts
        request.cpuSeconds = Int(timeout.rounded(.up)) + 5
        var result = IsolatedRun.run(request, plan: plan, timeout: timeout)
        result.bundleHash = bundleHash
        return result
    }
}

/// Every format a result can be written in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case json, gradescope, prairielearn, junit, tap, github, html, pretty

    /// `author` chooses the author's view where a format has two (html: `run` shows
    /// hidden checks and expected values; grading commands show what students may see).
    public func render(_ r: GradeResult, color: Bool = false, author: Bool = false) -> String {
        switch self {
        case .json: return JSONReport.render(r)
        case .gradescope: return GradescopeReport.render(r)
        case .prairielearn: return PrairieLearnReport.render(r)
        case .junit: return JUnitReport.render(r)
        case .tap: return TAPReport.render(r)
        case .github: return GitHubReport.render(r)
        case .html: return HTMLReport.render(r, view: author ? .author : .student)
        case .pretty: return PrettyReport(color: color).render(r)
        }
    }

    /// Writes `r` to `path` atomically and durably (`AtomicFile`): a crash never leaves
    /// half a file. `author` renders the author's view where a format has two (html).
    public func write(_ r: GradeResult, to path: String, author: Bool = false) throws {
        try AtomicFile.write(render(r, author: author), to: path)
    }
}
