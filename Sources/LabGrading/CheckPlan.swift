import Foundation
import LabRuntime

/// The checks a lab declares, read from its sources without running them: every
/// `check("name", { points = N, number = "…" }, …)` with a literal name. A worker that
/// dies still yields a result for each planned check it did not reach, and graders see
/// the same maximum score for every submission. Checks whose names are computed at run
/// time are not planned; they appear when they run.
public struct CheckPlan: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var points: Double
        public var number: String?
        public var hidden: Bool
        public var visibility: CheckVisibility? = nil
    }

    public var entries: [Entry] = []

    public init(lab: LabLocation, hidden: String?) {
        entries = CheckPlan.scan(file: lab.file, hidden: false)
        if let dir = hidden, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) {
            for f in files.filter({ $0.hasSuffix(".lua") }).sorted() {
                entries += CheckPlan.scan(file: (dir as NSString).appendingPathComponent(f), hidden: true)
            }
        }
    }

    static func scan(file: String, hidden: Bool) -> [Entry] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        let ns = text as NSString
        let call = try! NSRegularExpression(pattern: #"(?m)^[^\n-]*?\bcheck\s*\(\s*(["'])((?:\\.|(?!\1).)*)\1"#)
        let points = try! NSRegularExpression(pattern: #"\bpoints\s*=\s*([0-9]+(?:\.[0-9]+)?)"#)
        let number = try! NSRegularExpression(pattern: #"\bnumber\s*=\s*["']([^"']*)["']"#)
        let visibility = try! NSRegularExpression(pattern: #"\bvisibility\s*=\s*["']([^"']*)["']"#)
        var out: [Entry] = []
        for m in call.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: m.range(at: 2))
            // the options table, if any, sits between the name and the body's `function`
            let rest = NSRange(location: m.range.upperBound, length: min(600, ns.length - m.range.upperBound))
            var options = ns.substring(with: rest)
            if let f = options.range(of: "function") { options = String(options[..<f.lowerBound]) }
            let o = options as NSString
            let whole = NSRange(location: 0, length: o.length)
            let p = points.firstMatch(in: options, range: whole).map { Double(o.substring(with: $0.range(at: 1))) ?? 1 } ?? 1
            let n = number.firstMatch(in: options, range: whole).map { o.substring(with: $0.range(at: 1)) }
            let v = visibility.firstMatch(in: options, range: whole).flatMap { CheckVisibility(rawValue: o.substring(with: $0.range(at: 1))) }
            if !out.contains(where: { $0.name == name }) { out.append(Entry(name: name, points: p, number: n, hidden: hidden, visibility: v)) }
        }
        return out
    }

    public var maxScore: Double { entries.reduce(0) { $0 + $1.points } }

    /// The planned checks a run did not reach, as results that say why: every submission
    /// sees the same checks and the same maximum, whatever stopped its run.
    public func missing(from run: LabRunResult, reason: String, status: CheckStatus) -> [CheckOutcome] {
        entries.filter { e in !run.checks.contains { $0.name == e.name } }.map { e in
            var c = CheckOutcome(name: e.name, number: e.number, points: e.points, score: 0, status: status)
            c.message = reason
            c.studentMessage = e.hidden ? nil : reason
            c.hidden = e.hidden
            c.visibility = e.visibility ?? (e.hidden ? .hidden : .visible)
            return c
        }
    }

    /// `run` with every planned check it did not reach, marked with the reason.
    public func complete(_ run: LabRunResult) -> LabRunResult {
        var out = run
        if let file = run.stoppedBySubmission {
            out.checks += missing(from: run, reason: "not run: \(file) could not be used (see the message about the submission)",
                                  status: .skipped)
        } else if let e = run.scriptError {
            out.checks += missing(from: run, reason: "not run: the lab stopped before this check (\(e))", status: .error)
        }
        return out
    }
}
