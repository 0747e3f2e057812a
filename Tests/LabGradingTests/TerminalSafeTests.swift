import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

/// Human-readable formats never pass a submission's control characters or workflow
/// commands through.
@Suite struct TerminalSafeTests {
    @Test(arguments: [
        ("\u{1B}[2J", "\\x1b[2J"),
        ("\u{1B}]52;c;eA==\u{07}", "\\x1b]52;c;eA==\\x07"),
        ("a\rb", "a\\x0db"),
        ("nul\u{0}", "nul\\x00"),
        ("del\u{7F}", "del\\x7f"),
        ("c1\u{9B}2J", "c1\\u{9B}2J"),
        ("\u{202E}24", "\\u{202E}24"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("GiB · ✓ — plain text", "GiB · ✓ — plain text"),
    ])
    func controlCharactersBecomeVisible(raw: String, shown: String) {
        #expect(TerminalSafe.text(raw) == shown)
    }

    @Test func workflowCommandsAreEscapedWhereverALineStarts() {
        let text = "::notice title=x::Points 5/5\n      ::error::y\n\t##[error]z\nok :: fine\n"
        #expect(TerminalSafe.lines(text) == "\\::notice title=x::Points 5/5\n      \\::error::y\n\t\\##[error]z\nok :: fine\n")
    }

    static func hostileResult() -> GradeResult {
        var c = CheckOutcome(name: "n\u{1B}[31m", points: 1, score: 0, status: .failed)
        c.message = "answer.value: \"\u{1B}]0;title\u{07}\"\n  ::notice title=Autograding complete::Points 5/5"
        c.output = "[answer.lua] \u{1B}[2J\r::warning::w\n"
        c.hint = "\u{0}"
        var run = LabRunResult(checks: [c], scriptError: "::error::e\u{1B}", scriptTraceback: nil, seed: 1,
                               output: "::notice title=Autograding complete::Points 5/5\n\u{1B}]52;c;eA==\u{07}\n",
                               eventLogDigest: "", events: 0, simulatedSeconds: 0, params: [:])
        run.studentOutput = run.output
        return GradeResult(lab: "lab", submission: "s\u{1B}", run: run)
    }

    @Test(arguments: ["pretty", "pretty-student", "pretty-color", "tap"])
    func everyHumanFormatIsClean(format: String) {
        let r = Self.hostileResult()
        let text: String
        switch format {
        case "pretty": text = PrettyReport(color: false).render(r)
        case "pretty-student": text = PrettyReport(color: false, student: true).render(r)
        case "pretty-color": text = PrettyReport(color: true).render(r)
        default: text = TAPReport.render(r)
        }
        let controls = text.unicodeScalars.filter { TerminalSafe.needsEscape($0) && !(format == "pretty-color" && $0 == "\u{1B}") }
        #expect(controls.isEmpty, "\(format): \(controls.map { $0.value })")
        if format == "pretty-color" {
            // only the report's own colours: ESC followed by "[" and a digit
            #expect(!text.contains("\u{1B}]") && !text.contains("\u{1B}[2J"))
        }
        for line in text.split(separator: "\n") {
            let body = line.drop { $0 == " " || $0 == "\t" }
            #expect(!body.hasPrefix("::") && !body.hasPrefix("##["), "\(format): \(line)")
        }
    }

    @Test func hostileSubmissionsStayClean() throws {
        for sub in ["75-terminal-escapes", "76-workflow-commands", "77-carriage-return"] {
            for format in ["pretty", "tap"] {
                let r = try hyperlabCommand(["grade", "Tests/Hostile/lab", "--submission", "Tests/Hostile/subs/" + sub, "--format", format], stdoutOnly: true)
                #expect(r.code == 1, "\(sub) \(format)")
                #expect(!r.out.unicodeScalars.contains { TerminalSafe.needsEscape($0) }, "\(sub) \(format)")
                #expect(!r.out.split(separator: "\n").contains { $0.drop { $0 == " " }.hasPrefix("::") }, "\(sub) \(format)")
            }
        }
    }
}
