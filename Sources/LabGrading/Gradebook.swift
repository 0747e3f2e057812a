import Foundation
import LabRuntime

/// The class's results: a CSV gradebook (one row per submission, one column per check)
/// and a summary table.
public enum Gradebook {
    public static func csv(_ results: [GradeResult], plan: CheckPlan) -> String {
        var names = plan.entries.map(\.name)
        for r in results { for c in r.run.checks where !names.contains(c.name) { names.append(c.name) } }
        var out = (["submission", "score", "max_score", "status", "seed", "event_log"] + names).map(field).joined(separator: ",") + "\n"
        for r in results.sorted(by: { ($0.submission ?? "") < ($1.submission ?? "") }) {
            var row = [r.submission ?? "", JSON.number(r.score), JSON.number(r.maxScore), r.status.rawValue, String(r.run.seed),
                       r.run.eventLogDigest]
            for n in names { row.append(r.run.checks.first { $0.name == n }.map { JSON.number($0.score) } ?? "") }
            out += row.map(field).joined(separator: ",") + "\n"
        }
        return out
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func summary(_ results: [GradeResult], seconds: Double, jobs: Int) -> String {
        guard !results.isEmpty else { return "no submissions\n" }
        let scores = results.map(\.score)
        let max = results.map(\.maxScore).max() ?? 0
        let mean = scores.reduce(0, +) / Double(scores.count)
        let full = results.filter { $0.status == .passed }.count
        let errors = results.filter { $0.status == .error }.count
        var out = "\nSubmissions  Full marks  Errors  Mean          Min    Max    Time\n"
        out += String(format: "%-12d %-11d %-7d %-13@ %-6@ %-6@ %.1f s (%d jobs)\n", results.count, full, errors,
                      "\(JSON.number(Score.rounded(mean)))/\(JSON.number(max))" as NSString,
                      JSON.number(scores.min() ?? 0) as NSString, JSON.number(scores.max() ?? 0) as NSString, seconds, jobs)
        let broken = results.filter { $0.status == .error }
        if !broken.isEmpty {
            out += "\nNot fully graded:\n"
            for r in broken.prefix(20) { out += "  \(r.submission ?? "?"): \(r.run.scriptError ?? "error")\n" }
            if broken.count > 20 { out += "  … and \(broken.count - 20) more\n" }
        }
        return out
    }
}
