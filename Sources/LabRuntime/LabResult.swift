/// How a check ended.
public enum CheckStatus: String, Sendable, Codable {
    case passed, failed, error, timeout, skipped
}

/// What a student-visible result shows of a failed expectation.
public enum Reveal: String, CaseIterable, Sendable, Codable {
    /// The student's own value and the hint, never the expected value.
    case none
    /// Also whether the value is too high or too low.
    case direction
    /// The expected value too.
    case value

    static var allowed: String { "use " + allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }
}

/// Who may see a check: Gradescope's four values.
public enum CheckVisibility: String, CaseIterable, Sendable, Codable {
    case visible, hidden
    case afterDueDate = "after_due_date"
    case afterPublished = "after_published"
}

/// The outcome of one check, as the runtime saw it.
public struct CheckOutcome: Sendable, Equatable, Codable {
    public var name: String
    public var number: String?
    public var points: Double
    public var score: Double
    public var status: CheckStatus
    /// Why it did not pass (the failed expectation, the error, the skip reason).
    public var message: String?
    public var expected: String?
    public var actual: String?
    public var hint: String?
    public var visibility: CheckVisibility = .visible
    public var tags: [String] = []
    /// Replaces the message for students when set (Gradescope's hide_errors).
    public var hideErrors: String?
    /// Where the check is declared, e.g. "lab.lua:12".
    public var location: String?
    /// Printed while the check ran (every line: the author's and instructor's view).
    public var output: String = ""
    /// What students see of that output: their own code's prints and `lab.feedback`.
    public var studentOutput: String = ""
    /// The failure as a student may read it, following `reveal`; nil when it passed.
    public var studentMessage: String?
    public var reveal: Reveal = .none
    /// Declared in an instructor-only file of `hidden/`: its name, messages and source are
    /// never shown to students unless its visibility says so, and then without sources.
    public var hidden = false

    public init(name: String, number: String? = nil, points: Double, score: Double, status: CheckStatus) {
        self.name = name
        self.number = number
        self.points = points
        self.score = score
        self.status = status
    }
}

/// Everything a lab run produced.
public struct LabRunResult: Sendable, Codable {
    public var checks: [CheckOutcome]
    /// An error outside any check (the lab script itself failed); the checks run so far are kept.
    public var scriptError: String?
    public var scriptTraceback: String?
    public var seed: UInt64
    public var output: String
    /// What students see of the run's output: their own code's prints and `lab.feedback`.
    public var studentOutput = ""
    /// Why a submission file could not be used, one line each: said once, not per check.
    public var submissionProblems: [String] = []
    /// The lab script stopped where it read this submission file, which could not be used.
    public var stoppedBySubmission: String?
    public var eventLogDigest: String
    public var events: Int
    public var simulatedSeconds: Double
    public var params: [String: String]
    /// Charts and panels, when the run was asked for them (`LabOptions.charts`).
    public var charts: RunCharts?

    public init(
        checks: [CheckOutcome], scriptError: String?, scriptTraceback: String?, seed: UInt64, output: String,
        eventLogDigest: String, events: Int, simulatedSeconds: Double, params: [String: String]
    ) {
        self.checks = checks
        self.scriptError = scriptError
        self.scriptTraceback = scriptTraceback
        self.seed = seed
        self.output = output
        self.eventLogDigest = eventLogDigest
        self.events = events
        self.simulatedSeconds = simulatedSeconds
        self.params = params
    }

    public var points: Double { Score.rounded(checks.reduce(0) { $0 + $1.points }) }
    public var score: Double { Score.rounded(checks.reduce(0) { $0 + $1.score }) }
    public var allPassed: Bool { scriptError == nil && checks.allSatisfy { $0.status == .passed } }
}

/// Scores as every format shows them: rounded to hundredths of a point, so sums of
/// fractions never print as 0.6000000000000001.
public enum Score {
    public static func rounded(_ points: Double) -> Double { (points * 100).rounded() / 100 }
    /// A score as a fraction of the maximum (PrairieLearn's [0, 1]), to four decimals.
    public static func fraction(_ score: Double, of max: Double) -> Double {
        max > 0 ? (score / max * 10_000).rounded() / 10_000 : 0
    }
}
