/// How a check ended.
public enum CheckStatus: String, Sendable, Codable {
    case passed, failed, error, timeout, skipped
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
    /// Printed while the check ran.
    public var output: String = ""
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

    public var points: Double { checks.reduce(0) { $0 + $1.points } }
    public var score: Double { checks.reduce(0) { $0 + $1.score } }
    public var allPassed: Bool { scriptError == nil && checks.allSatisfy { $0.status == .passed } }
}
