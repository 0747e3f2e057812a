import HyperModel
import LuaKit

/// State of the check being run: what expectations failed and what partial credit was given.
final class RunningCheck {
    var failure: Failure?
    var fraction: Double?
    var output: [String] = []
    /// What students may read of the output: their own code's prints and `lab.feedback`.
    var studentOutput: [String] = []
    /// The check read a submission that could not be used: it did not run, rather than failed.
    var needsSubmission: String?
    /// Declared in hidden/ (what it reads is for the author's report only).
    var hidden = false
    /// The keys `lab.feedback_once` has shown in this check.
    var feedbackKeys: Set<String> = []

    /// A failed expectation: the full message and the one that names only the student's value.
    struct Failure {
        var message: String
        var expected: String?
        var actual: String?
        var student: String?
        var direction: String?
    }
}

extension LabAPI {
    static let checkOptions = LuaRecord(
        "lab.CheckOptions", doc: "Options of a check.",
        fields: [
            LuaParam("points", "number", "Points the check is worth (default 1).", optional: true),
            LuaParam("visibility", "\"visible\"|\"hidden\"|\"after_due_date\"|\"after_published\"",
                     "Who sees the result (Gradescope's values; default \"visible\").", optional: true),
            LuaParam("hint", "string", "Shown to the student when the check does not pass.", optional: true),
            LuaParam("depends", "string", "Name of an earlier check; this one is skipped unless it passed.", optional: true),
            LuaParam("timeout", "number|string", "Wall-time limit of the check (default 20 s, at most 600 s).", optional: true),
            LuaParam("tags", "string[]", "Labels for filtering and reports.", optional: true),
            LuaParam("number", "string", "Ordering number such as \"1.2\".", optional: true),
            LuaParam("hide_errors", "string", "Shown to students instead of the failure message.", optional: true),
            LuaParam("reveal", "\"none\"|\"direction\"|\"value\"",
                     "What a student-visible result shows of a failed expectation: only the student's value (\"none\", the default unless `lab.reveal` says otherwise), also whether it is too high or too low (\"direction\"), or the expected value too (\"value\").",
                     optional: true),
        ])

    func checkFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "check",
            doc: "Declares and runs a check where it stands. A failed expectation fails it; any other error makes it an error; the script goes on either way.",
            params: [
                LuaParam("name", "string", "Unique name shown in results."),
                LuaParam("options", "lab.CheckOptions", "Points, visibility, hint, depends, timeout, tags.", optional: true),
                LuaParam("fn", "fun()", "The body: expectations about the simulated world."),
            ]
        ) { [unowned(unsafe) self] call in try self.runCheck(call) }
    }

    private func runCheck(_ call: LuaCall) throws -> Int32 {
        let name = try call.string(1, "name")
        guard !name.isEmpty else { throw LuaError("check: name must not be empty") }
        let hasOptions = call.count >= 3
        guard case .function = call.value(hasOptions ? 3 : 2) else {
            let given = call.value(hasOptions ? 3 : 2)
            if !hasOptions, case .table = given {
                throw LuaError("check \"\(name)\": the body is missing; write check(name, { options }, function() ... end)")
            }
            throw LuaError("check \"\(name)\": the body \(call.describe(given)) is not a function; write check(name, { options }, function() ... end)")
        }
        let fn = try call.function(hasOptions ? 3 : 2, "function")
        var outcome = CheckOutcome(name: name, points: 1, score: 0, status: .passed)
        outcome.reveal = session.defaultReveal
        outcome.location = call.position
        outcome.hidden = call.position.hasPrefix("hidden/")
        // hidden checks stay hidden unless their author says otherwise
        if outcome.hidden { outcome.visibility = .hidden }
        var timeout = session.options.limits.checkWallSeconds
        var depends: String?
        if hasOptions && !call.value(2).isNil {
            let o = try call.options(2, LabAPI.checkOptions, context: "check \"\(name)\"")
            if let p = try o.number("points") {
                guard p >= 0, p.isFinite else { throw o.bad("points", o["points"], expected: "a number of points of 0 or more") }
                outcome.points = p
            }
            if let v = try o.string("visibility") {
                guard let vis = CheckVisibility(rawValue: v) else {
                    throw o.bad("visibility", o["visibility"], expected: "a visibility",
                                hint: "use " + CheckVisibility.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                }
                outcome.visibility = vis
            }
            outcome.hint = try o.string("hint")
            outcome.number = try o.string("number")
            outcome.hideErrors = try o.string("hide_errors")
            if let r = try o.string("reveal") {
                guard let reveal = Reveal(rawValue: r) else {
                    throw o.bad("reveal", o["reveal"], expected: "a reveal setting", hint: Reveal.allowed)
                }
                outcome.reveal = reveal
            }
            depends = try o.string("depends")
            if o.has("timeout") {
                timeout = try Quantity.seconds(o["timeout"], "check \"\(name)\"", "timeout", allowZero: false)
                guard timeout <= 600 else { throw o.bad("timeout", o["timeout"], expected: "at most 600 s") }
            }
            if let tags = try o.array("tags") {
                outcome.tags = try tags.map {
                    guard case .string(let s) = $0 else { throw o.bad("tags", $0, expected: "a list of strings") }
                    return s
                }
            }
        }
        guard session.runningCheck == nil else { throw LuaError("check \"\(name)\": checks cannot be nested inside another check") }
        guard !session.checks.contains(where: { $0.name == name }) else {
            throw LuaError("check \"\(name)\": a check with this name already exists; names must be unique")
        }
        if let parent = depends {
            guard let p = session.checks.first(where: { $0.name == parent }) else {
                throw LuaError("check \"\(name)\": depends on \"\(parent)\", which is not an earlier check")
            }
            if p.status != .passed {
                outcome.status = .skipped
                outcome.message = "skipped because \"\(parent)\" did not pass"
                session.record(outcome)
                return 0
            }
        }
        let running = RunningCheck()
        running.hidden = outcome.hidden
        session.runningCheck = running
        call.pushValue(fn)
        let result = call.state.protectedCall(
            nargs: 0, nresults: 0,
            limits: LuaLimits(instructions: session.options.limits.checkInstructions, wallSeconds: timeout), on: call.L)
        session.runningCheck = nil
        outcome.output = running.output.map { $0 + "\n" }.joined()
        outcome.studentOutput = running.studentOutput.map { $0 + "\n" }.joined()
        finish(&outcome, running, result)
        session.record(outcome)
        if call.state.isKilled { throw LuaError(relayed: call.state.killReason) }  // the whole run's limit
        return 0
    }

    private func finish(_ o: inout CheckOutcome, _ r: RunningCheck, _ result: LuaOutcome) {
        let fraction = r.fraction
        if let file = r.needsSubmission, r.failure == nil {
            o.status = .skipped
            o.message = "not run: \(file) could not be used (see the message about the submission)"
            o.studentMessage = o.message
        } else if let f = r.failure {
            o.status = .failed
            o.message = f.message
            o.expected = f.expected
            o.actual = f.actual
            switch o.reveal {
            case .value: o.studentMessage = f.message
            case .direction: o.studentMessage = (f.student ?? f.message) + (f.direction.map { " (\($0))" } ?? "")
            case .none: o.studentMessage = f.student ?? f.message
            }
        } else {
            switch result {
            case .ok:
                if let f = fraction, f < 1 {
                    o.status = .failed
                    o.message = "partial credit: \(Int((f * 100).rounded())) % of the points"
                }
            case .error(let m, _):
                o.status = .error
                o.message = m
            case .limit(let m):
                o.status = m.contains("memory") ? .error : .timeout
                o.message = m
            }
        }
        o.score = o.status == .passed ? o.points : Score.rounded(o.points * (fraction ?? 0))
        // an error raised with a huge message (or a failure quoting one) is cut here: a
        // result's size never depends on what a submission makes
        for field in [\CheckOutcome.message, \.studentMessage, \.expected, \.actual] {
            if let text = o[keyPath: field] { o[keyPath: field] = LuaValue.bounded(text) }
        }
    }

    func partialFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "partial", doc: "Inside a check: award this fraction (0 to 1) of its points, even if it fails later.",
            params: [LuaParam("fraction", "number", "From 0 to 1.")]
        ) { [unowned(unsafe) self] call in
            let f = try call.number(1, "fraction")
            guard f >= 0, f <= 1 else { throw LuaError("partial: fraction \(call.describe(call.value(1))) is not between 0 and 1") }
            guard let running = self.session.runningCheck else { throw LuaError("partial: only inside a check") }
            running.fraction = f
            return 0
        }
    }

    /// Internal to the engine's Lua library: records a failed expectation and raises it.
    func failFunction() -> LuaFunctionDecl {
        LuaFunctionDecl("fail", doc: "", params: []) { [unowned(unsafe) self] call in
            let message = try call.string(1, "message")
            let failure = RunningCheck.Failure(
                message: message, expected: try call.optionalString(2, "expected"), actual: try call.optionalString(3, "actual"),
                student: try call.optionalString(4, "student"), direction: try call.optionalString(5, "direction"))
            if let running = self.session.runningCheck, running.failure == nil {
                running.failure = failure
            }
            throw LuaError(message)
        }
    }
}

/// Names lab scripts use, for static checks (`hyperlab lint`) and suggestions.
public enum LabVocabulary {
    public static var checkOptions: [String] { LabAPI.checkOptions.fieldNames }
    /// The matchers of `expect` (stdlib-lua/expect.lua; a test keeps the two equal).
    public static let matchers = [
        "to_be_a", "to_be_at_least", "to_be_at_most", "to_be_between", "to_be_false", "to_be_near", "to_be_nil", "to_be_set",
        "to_be_true", "to_contain", "to_equal", "to_error", "to_hash", "to_match",
    ]
}
