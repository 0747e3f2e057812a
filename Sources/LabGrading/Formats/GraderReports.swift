import Foundation
import LabRuntime

/// Gradescope's results.json and PrairieLearn's results.json: what students see, so
/// every message goes through `StudentView`.
public enum GradescopeReport {
    public static func render(_ r: GradeResult) -> String {
        var tests: [JSON] = []
        for c in r.run.checks {
            var t: [String: JSON] = [
                "name": .string(c.name), "score": .number(c.score), "max_score": .number(c.points),
                "status": .string(c.status == .passed ? "passed" : "failed"),
                "visibility": .string(c.visibility.rawValue), "output": .string(StudentView.details(c)),
            ]
            t["number"] = c.number.map { .string($0) }
            if !c.tags.isEmpty { t["tags"] = .array(c.tags.map { .string($0) }) }
            tests.append(.object(t))
        }
        var root: [String: JSON] = [
            "score": .number(r.score), "tests": .array(tests), "output_format": .string("text"),
            "test_output_format": .string("text"),
            "extra_data": .object(Reproducibility.fields(r).mapValues { .string($0) }),
        ]
        var summary = "\(JSON.number(r.score)) of \(JSON.number(r.maxScore)) points · seed \(r.run.seed) · \(r.engine)"
        if let p = StudentView.submissionProblems(r) { summary += "\nYour submission could not be used:\n\(p)" }
        if let e = StudentView.scriptError(r) { summary += "\nThe lab stopped early: \(e)" }
        root["output"] = .string(summary)
        return JSON.object(root).rendered
    }
}

public enum PrairieLearnReport {
    public static func render(_ r: GradeResult) -> String {
        let tests: [JSON] = r.run.checks.filter { $0.visibility == .visible }.map { c in
            var t: [String: JSON] = [
                "name": .string(c.name), "points": .number(c.score), "max_points": .number(c.points),
            ]
            t["message"] = StudentView.message(c).map { .string($0) }
            let details = StudentView.details(c)
            if !details.isEmpty { t["output"] = .string(Truncate.text(details, limit: 16384)) }
            return .object(t)
        }
        var root: [String: JSON] = [
            "gradable": .bool(true), "score": .number(Score.fraction(r.score, of: r.maxScore)), "tests": .array(tests),
        ]
        root.merge(Reproducibility.fields(r).mapValues { .string($0) }) { a, _ in a }
        var message = "\(JSON.number(r.score)) of \(JSON.number(r.maxScore)) points"
        if let p = StudentView.submissionProblems(r) { message += "\nYour submission could not be used:\n\(p)" }
        if let e = StudentView.scriptError(r) { message += "\nThe lab stopped early: \(e)" }
        root["message"] = .string(message)
        return JSON.object(root).rendered
    }
}

/// The seed, engine, lab bundle and event log of a run, in every format.
public enum Reproducibility {
    public static func fields(_ r: GradeResult) -> [String: String] {
        var f = ["seed": String(r.run.seed), "engine": r.engine, "event_log": r.run.eventLogDigest]
        if let b = r.bundleHash { f["bundle"] = b }
        if let s = r.submission { f["submission"] = s }
        return f
    }
}

extension JSON {
    public var rendered: String {
        var out = ""
        write(into: &out, indent: 0)
        return out + "\n"
    }
}
