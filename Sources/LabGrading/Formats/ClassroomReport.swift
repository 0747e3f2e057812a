import Foundation
import LabRuntime

/// GitHub Classroom's runner result (version 1), the JSON that
/// `classroom-resources/autograding-grading-reporter` reads from `<RUNNER>_RESULTS`
/// (base64): the reporter adds up `tests[].score` against `max_score`, prints a table,
/// posts the "Points X/Y" notice Classroom records, and fails the job when `status` is
/// "fail" or "error". Students own the repository, so this is a student view.
public enum ClassroomReport {
    public static func render(_ r: GradeResult) -> String {
        var tests: [JSON] = r.run.checks.map { c in
            var t: [String: JSON] = [
                "name": .string(c.hidden ? "hidden check" : c.name), "status": .string(status(c.status)),
                "score": .number(c.score), "max_score": .number(c.points),
                "filename": .string(""), "line_no": .number(0), "test_code": .string(""),
            ]
            let details = StudentView.details(c)
            t["message"] = .string(Truncate.text(details, limit: 4096))
            if !c.hidden, let l = c.location, let colon = l.lastIndex(of: ":"), let line = Double(l[l.index(after: colon)...]) {
                t["filename"] = .string(String(l[..<colon]))
                t["line_no"] = .number(line)
            }
            return .object(t)
        }
        var message: [String] = []
        if let p = StudentView.submissionProblems(r) { message.append("Your submission could not be used:\n\(p)") }
        if let e = StudentView.scriptError(r) {
            message.append("The lab stopped early: \(e)")
            // the reporter prints the message of an errored test: the only place to say why
            tests.append(.object([
                "name": .string("lab script"), "status": .string("error"), "score": .number(0), "max_score": .number(0),
                "message": .string(e), "filename": .string(""), "line_no": .number(0), "test_code": .string(""),
            ]))
        }
        let overall: String
        switch r.status {
        case .passed: overall = "pass"
        case .failed: overall = r.run.checks.contains { $0.status == .error || $0.status == .timeout } ? "error" : "fail"
        case .error: overall = "error"
        }
        var root: [String: JSON] = [
            "version": .number(1), "status": .string(overall), "max_score": .number(r.maxScore), "tests": .array(tests),
        ]
        if !message.isEmpty { root["message"] = .string(message.joined(separator: "\n")) }
        root["extra_data"] = .object(Reproducibility.fields(r).mapValues { .string($0) })
        return JSON.object(root).rendered
    }

    /// The reporter's three states; a timeout is an error, as its command grader says.
    static func status(_ s: CheckStatus) -> String {
        switch s {
        case .passed: return "pass"
        case .failed, .skipped: return "fail"
        case .error, .timeout: return "error"
        }
    }

    /// The step output line the reporter is handed: `result=<base64 of the JSON>`.
    public static func stepOutput(_ r: GradeResult) -> String {
        "result=" + Data(render(r).utf8).base64EncodedString() + "\n"
    }
}
