import Foundation
import LabRuntime

/// One submission's line in a class's gradebook: what the CSV and the summary need, read
/// either from a fresh result or from the JSON result file an earlier run wrote, so that
/// a resumed run's gradebook equals an uninterrupted one byte for byte.
public struct GradebookRow: Equatable, Sendable {
    /// How a submission stands: a score (passed, failed), or why it has none that counts.
    public enum Status: String, Sendable, CaseIterable {
        /// Every check passed.
        case passed
        /// Graded; some check did not pass.
        case failed
        /// Could not be graded: the lab script or the worker failed (crash, memory, time limit).
        case error
        /// The submission could not be loaded (missing file, syntax error, no table returned).
        case notLoaded = "not_loaded"
        /// Never graded: interrupted, or the global time budget ran out. Not a zero.
        case notGraded = "not_graded"

        /// Counted under "errors" in the summary and the exit code.
        public var isError: Bool { self == .error || self == .notLoaded }
    }

    public struct Cell: Equatable, Sendable {
        public var check: String
        public var score: Double
    }

    public var submission: String
    public var score: Double
    public var maxScore: Double
    public var status: Status
    /// Why the status is error, not_loaded or not_graded, on one line; empty otherwise.
    public var reason: String
    public var seed: UInt64
    public var eventLog: String
    public var checks: [Cell]

    public init(_ r: GradeResult) {
        submission = r.submission ?? ""
        score = r.score
        maxScore = r.maxScore
        (status, reason) = GradebookRow.standing(
            notGraded: r.notGraded, problems: r.run.submissionProblems, error: r.run.scriptError, passed: r.status == .passed)
        seed = r.run.seed
        eventLog = r.run.eventLogDigest
        checks = r.run.checks.map { Cell(check: $0.name, score: $0.score) }
    }

    /// Reads a result file as `JSONReport` writes it. Throws when it is not one (truncated,
    /// edited, another tool's); the caller decides whether it is this run's.
    public init(json data: Data) throws {
        let s = try JSONDecoder().decode(StoredResult.self, from: data)
        submission = s.submission ?? ""
        score = s.score
        maxScore = s.max_score
        guard let recorded = GradeResult.Status(rawValue: s.status) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown status \(s.status)"))
        }
        (status, reason) = GradebookRow.standing(
            notGraded: s.not_graded, problems: s.submission_problems ?? [], error: s.error?.message, passed: recorded == .passed)
        seed = s.seed
        eventLog = s.event_log.sha256
        checks = s.checks.map { Cell(check: $0.name, score: $0.score) }
        origin = Origin(lab: s.lab, engine: s.engine, bundle: s.bundle)
    }

    /// What made a result file: read from it, so a resumed run can tell another run's.
    public struct Origin: Equatable, Sendable {
        public var lab: String
        public var engine: String
        public var bundle: String?
    }

    /// Set only when the row was read from a file.
    public private(set) var origin: Origin?

    public static func == (a: GradebookRow, b: GradebookRow) -> Bool {
        a.submission == b.submission && a.score == b.score && a.maxScore == b.maxScore && a.status == b.status
            && a.reason == b.reason && a.seed == b.seed && a.eventLog == b.eventLog && a.checks == b.checks
    }

    /// The one place a result's standing is decided. A submission that could not be loaded
    /// is the student's error, said with the loader's reason; not graded wins over all,
    /// since nothing about it is final.
    static func standing(notGraded: String?, problems: [String], error: String?, passed: Bool) -> (Status, String) {
        if let why = notGraded { return (.notGraded, oneLine(why)) }
        if !problems.isEmpty { return (.notLoaded, oneLine(problems.joined(separator: "; "))) }
        if let e = error { return (.error, oneLine(e)) }
        return (passed ? .passed : .failed, "")
    }

    /// Spreadsheets and CI logs read one line per row.
    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

/// The fields of `JSONReport`'s output a gradebook reads back (its key names).
private struct StoredResult: Decodable {
    struct Check: Decodable {
        var name: String
        var score: Double
    }
    struct EventLog: Decodable {
        var sha256: String
    }
    struct ScriptError: Decodable {
        var message: String
    }
    var lab: String
    var engine: String
    var bundle: String?
    var submission: String?
    var seed: UInt64
    var status: String
    var score: Double
    var max_score: Double
    var checks: [Check]
    var event_log: EventLog
    var error: ScriptError?
    var submission_problems: [String]?
    var not_graded: String?
}
