import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

/// Every lab, read as a student who wants to cheat: neither the starter nor a wrong
/// answer (the solution with each scalar answer changed) may show, in any student view,
/// a value the author's view gives as expected.
@Suite("No lab gives its answers away")
struct LeakTests {
    static var labs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "labs")) ?? []).sorted()
            .map { "labs/" + $0 }.filter { FileManager.default.fileExists(atPath: $0 + "/lab.lua") }
    }

    @Test(arguments: labs)
    func studentViewsRevealNoExpectedValue(lab path: String) throws {
        let lab = try LabLocation(path)
        let wrong = try Self.wrongAnswer(lab)
        for submission in [path + "/starter", wrong] {
            var options = LabRunner.options(for: lab, submission: submission, seed: nil, params: [:])
            options.hiddenDirectory = LabRunner.hiddenFolder(of: lab)
            let author = LabRunner.run(lab, options: options)
            #expect(author.run.scriptError == nil, "\(path) with \(submission): \(author.run.scriptError ?? "")")
            if submission.hasSuffix("/starter") { #expect(author.score < author.maxScore, "\(path): the starter scores full marks") }
            let student = StudentView.redacted(author)
            let shown = Self.studentText(student, author)
            for (c, s) in zip(author.run.checks, student.run.checks) where c.status == .failed && c.reveal != .value && c.hideErrors == nil {
                for e in Self.forms(of: c.expected) {
                    // the label before the first ": " is the author's text (it may list the choices)
                    let message = s.message.map { m in m.range(of: ": ").map { String(m[$0.upperBound...]) } ?? m } ?? ""
                    let text = message + "\n" + s.output
                    #expect(!text.contains(e), "\(path) (\(submission)): check \"\(c.name)\" shows its expected value \(e): \(text)")
                }
            }
            // the student-facing formats say no more than the redacted result
            let formats = GradescopeReport.render(author) + PrairieLearnReport.render(author) + GitHubReport.render(author)
                + HTMLReport.render(author, view: .student)
            for c in author.run.checks where c.status == .failed && c.reveal != .value && !c.hidden {
                for e in Self.forms(of: c.expected) where !shown.contains(e) {
                    #expect(!formats.contains(e), "\(path): a student format shows \"\(c.name)\"'s expected value \(e)")
                }
            }
        }
    }

    @Test(arguments: labs)
    func everyLabHasHiddenChecks(lab path: String) throws {
        let lab = try LabLocation(path)
        let plan = CheckPlan(lab: lab, hidden: LabRunner.hiddenFolder(of: lab))
        #expect(plan.entries.contains { $0.hidden }, "\(path) has no hidden checks")
    }

    /// The strings by which an expected value could show: as given and unquoted,
    /// long enough not to match by chance.
    static func forms(of expected: String?) -> [String] {
        guard let e = expected else { return [] }
        var forms = [e]
        if e.hasPrefix("\""), e.hasSuffix("\""), e.count > 2 { forms.append(String(e.dropFirst().dropLast())) }
        for prefix in ["at most ", "at least "] where e.hasPrefix(prefix) { forms.append(String(e.dropFirst(prefix.count))) }
        // true/false/nil are words of every JSON and message; what they reveal is checked in the message itself
        return forms.filter { ($0.count >= 3 && $0.contains(where: { !$0.isNumber }) || $0.count >= 4) && !["true", "false", "nil"].contains($0) }
    }

    /// Everything of a result a student reads, with the checks' hints.
    static func studentText(_ student: GradeResult, _ author: GradeResult) -> String {
        student.run.checks.map { ($0.message ?? "") + "\n" + $0.output + "\n" + ($0.hint ?? "") }.joined(separator: "\n")
            + student.run.output
    }

    /// The solution with every scalar answer changed: numbers and quantities scaled,
    /// words replaced, booleans flipped; functions and tables kept.
    static func wrongAnswer(_ lab: LabLocation) throws -> String {
        let solution = lab.directory + "/solution/answer.lua"
        let source = try String(contentsOfFile: solution, encoding: .utf8)
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("leak-probe-\(UUID().uuidString).lua")
        try #"""
            local a = lab.submission("answer.lua")
            for k, v in pairs(a) do
              if type(k) == "string" and (type(v) == "number" or type(v) == "string" or type(v) == "boolean") then
                print(k .. "\t" .. type(v) .. "\t" .. tostring(v))
              end
            end
            """#.write(to: probe, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: probe) }
        let probeLab = LabLocation(file: probe.path, directory: probe.deletingLastPathComponent().path, name: "probe")
        let r = LabRunner.run(probeLab, options: LabOptions(labFile: probe.path, labDirectory: probeLab.directory,
                                                           submissionDirectory: lab.directory + "/solution"))
        var overrides = ""
        for line in r.run.output.split(separator: "\n") {
            let f = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3 else { continue }
            overrides += "M[\"\(f[0])\"] = \(changed(type: f[1], value: f[2]))\n"
        }
        guard let end = source.range(of: "return M", options: .backwards) else { throw UsageError("\(solution) does not end with return M") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wrong-\(lab.name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try (source[..<end.lowerBound] + overrides + source[end.lowerBound...])
            .write(to: dir.appendingPathComponent("answer.lua"), atomically: true, encoding: .utf8)
        return dir.path
    }

    static func changed(type: String, value: String) -> String {
        switch type {
        case "boolean": return value == "true" ? "false" : "true"
        case "number":
            let n = Double(value) ?? 0
            return n == 0 ? "7" : (n == n.rounded() && abs(n) < 1e15 ? String(Int64(n) * 3 + 1) : String(n * 1.37 + 0.11))
        default:
            if let (v, _) = ValueText.parse(value) { return String(format: "%.0f", v * 1.37 + 4096) }
            return "\"zz-wrong\""
        }
    }
}
