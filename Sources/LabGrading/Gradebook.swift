import Foundation
import LabRuntime

/// The class's results: a CSV gradebook (one row per submission, one column per check)
/// and a summary table.
public enum Gradebook {
    public static let fixedColumns = ["submission", "score", "max_score", "status", "reason", "seed", "event_log"]

    /// Rows in submission order. A not-graded row has no score, seed or check cells, so a
    /// spreadsheet never takes it for a zero; its status and reason say why.
    public static func csv(_ rows: [GradebookRow], plan: CheckPlan) -> String {
        var names = plan.entries.map(\.name)
        var known = Set(names)
        for r in rows { for c in r.checks where !known.contains(c.check) { names.append(c.check); known.insert(c.check) } }
        var out = (fixedColumns + names).map(field).joined(separator: ",") + "\n"
        for r in rows.sorted(by: { $0.submission < $1.submission }) {
            let graded = r.status != .notGraded
            var row = [r.submission, graded ? JSON.number(r.score) : "", JSON.number(r.maxScore), r.status.rawValue, r.reason,
                       graded ? String(r.seed) : "", graded ? r.eventLog : ""]
            let scores = Dictionary(r.checks.map { ($0.check, $0.score) }, uniquingKeysWith: { first, _ in first })
            for n in names { row.append(graded ? scores[n].map { JSON.number($0) } ?? "" : "") }
            out += row.map(field).joined(separator: ",") + "\n"
        }
        return out
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The table printed at the end of grade-many. `kept` results came from an earlier
    /// run's folder (--resume); `resumable` says whether --resume can finish the rest.
    public static func summary(_ rows: [GradebookRow], seconds: Double, jobs: Int, kept: Int = 0, resumable: Bool = false) -> String {
        guard !rows.isEmpty else { return "no submissions\n" }
        let graded = rows.filter { $0.status != .notGraded }
        let scores = graded.map(\.score)
        let max = rows.map(\.maxScore).max() ?? 0
        let errors = rows.filter { $0.status.isError }
        let notGraded = rows.filter { $0.status == .notGraded }
        let mean = scores.isEmpty ? "-" : "\(JSON.number(Score.rounded(scores.reduce(0, +) / Double(scores.count))))/\(JSON.number(max))"
        var out = "\n" + table([
            ["Submissions", "Full marks", "Errors", "Not graded", "Mean", "Min", "Max", "Time"],
            [String(rows.count), String(rows.filter { $0.status == .passed }.count), String(errors.count), String(notGraded.count),
             mean, scores.min().map { JSON.number($0) } ?? "-", scores.max().map { JSON.number($0) } ?? "-",
             String(format: "%.1f s", seconds) + " (\(jobs) job\(jobs == 1 ? "" : "s"))"],
        ])
        if kept > 0 { out += "\n\(kept) result\(kept == 1 ? "" : "s") kept from the earlier run, \(rows.count - kept) graded now.\n" }
        if !errors.isEmpty {
            out += "\nCould not be graded or loaded (\(errors.count)):\n" + list(errors)
        }
        if !notGraded.isEmpty {
            out += "\nNot graded (\(notGraded.count))"
            out += resumable ? "; run the same command with --resume to grade only these:\n" : "; give --out DIR to be able to --resume:\n"
            // the same reason for many: said once, with the names
            var reasons: [String] = []
            var names: [String: [String]] = [:]
            for r in notGraded.sorted(by: { $0.submission < $1.submission }) {
                if names[r.reason] == nil { reasons.append(r.reason) }
                names[r.reason, default: []].append(r.submission)
            }
            for reason in reasons {
                let all = names[reason]!
                out += "  \(reason): " + all.prefix(10).joined(separator: ", ")
                out += all.count > 10 ? " … and \(all.count - 10) more\n" : "\n"
            }
        }
        return out
    }

    private static func list(_ rows: [GradebookRow]) -> String {
        let shown = rows.sorted { $0.submission < $1.submission }.prefix(20)
        var out = table(shown.map { [$0.submission, $0.status.rawValue, $0.reason] }, indent: "  ")
        if rows.count > shown.count { out += "  … and \(rows.count - shown.count) more (the CSV has every reason)\n" }
        return out
    }

    /// Columns padded to their widest cell, two spaces apart, no trailing blanks.
    public static func table(_ rows: [[String]], indent: String = "") -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = Swift.max(widths[i], cell.count)
            }
        }
        var out = ""
        for row in rows {
            var line = indent
            for (i, cell) in row.enumerated() {
                line += cell
                if i + 1 < row.count { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
