import Testing
@testable import LabRuntime

/// What students read of a failed check: their own value and the hint, never the
/// expected value unless the check says so (issue "Feedback students can trust").
@Suite("Feedback students can trust")
struct FeedbackTests {
    @Test func revealNoneDirectionAndValue() {
        let r = runLab(#"""
            check("none", function() expect(3 * 2^30, "M.cap", "bytes"):to_equal(4 * 2^30) end)
            check("direction", { reveal = "direction" }, function() expect(3 * 2^30, "M.cap", "bytes"):to_equal(4 * 2^30) end)
            check("value", { reveal = "value" }, function() expect(3 * 2^30, "M.cap", "bytes"):to_equal(4 * 2^30) end)
            check("near", function() expect(5, "M.t", "seconds"):to_be_near(45, 1) end)
            check("string", function() expect("UNDER", "priority"):to_equal("OVER") end)
            """#)
        #expect(r.check("none")?.studentMessage == "M.cap: 3 GiB is not the right value")
        #expect(r.check("direction")?.studentMessage == "M.cap: 3 GiB is not the right value (too low)")
        #expect(r.check("value")?.studentMessage == "M.cap: expected 4 GiB, got 3 GiB")
        #expect(r.check("none")?.message == "M.cap: expected 4 GiB, got 3 GiB")  // the author's view
        #expect(r.check("near")?.studentMessage == "M.t: 5 s is not close enough to the right value")
        #expect(r.check("string")?.studentMessage == #"priority: "UNDER" is not the right value"#)
        for c in r.checks where c.reveal != .value { #expect(!(c.studentMessage ?? "").contains("4 GiB") && !(c.studentMessage ?? "").contains("45")) }
    }

    @Test func theLabsDefaultRevealApplies() {
        let r = runLab(#"""
            lab.reveal("direction")
            check("a", function() expect(7, "M.n", "count"):to_be_at_most(5) end)
            check("b", { reveal = "none" }, function() expect(7, "M.n", "count"):to_be_at_most(5) end)
            """#)
        #expect(r.check("a")?.studentMessage == "M.n: 7 is more than allowed (too high)")
        #expect(r.check("b")?.studentMessage == "M.n: 7 is more than allowed")
        #expect(runLab(#"lab.reveal("all")"#).scriptError == #"lab.lua:1: lab.reveal: "all" is not a reveal setting (use "none", "direction", "value")"#)
        #expect(runLab(#"check("x", { reveal = "yes" }, function() end)"#).scriptError?.contains(#"reveal "yes" is not a reveal setting"#) == true)
    }

    @Test func feedbackReachesStudentsAndPrintDoesNot() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            print("for the author")
            lab.feedback("for everyone")
            check("c", function()
              print("expected 42")
              lab.feedback("case 1: you answered", a.f())
            end)
            """#, submission: ["answer.lua": "print('mine') return { f = function() print('in f') return 41 end }"])
        #expect(r.output == "[answer.lua] mine\nfor the author\nfor everyone\n")
        #expect(r.studentOutput == "[answer.lua] mine\nfor everyone\n")
        #expect(r.check("c")?.output == "expected 42\n[answer.lua] in f\ncase 1: you answered 41\n")
        #expect(r.check("c")?.studentOutput == "[answer.lua] in f\ncase 1: you answered 41\n")
    }

    @Test func quantitiesBothWays() {
        let r = runLab(#"""
            check("GHz for MHz", function() expect("2 GHz", "M.slot_mhz", "MHz"):to_equal(2000) end)
            check("number for MHz", function() expect(2000, "M.slot_mhz", "MHz"):to_equal("2 GHz") end)
            check("size string", function() expect("3.5 GiB", "M.consumed", "bytes"):to_equal(3.5 * 2^30) end)
            check("percent string", function() expect("65%", "M.cap", "%"):to_equal(65) end)
            check("fraction from percent", function() expect("25%", "M.f", "fraction"):to_equal(0.25) end)
            check("duration", function() expect("45 s", "M.t", "seconds"):to_be_near(45, 1) end)
            check("wrong kind", function() expect("2 GiB", "M.slot_mhz", "MHz"):to_equal(2000) end)
            check("not a quantity", function() expect("fast", "M.t", "seconds"):to_equal(1) end)
            check("not whole", function() expect(2.5, "M.n", "count"):to_equal(2) end)
            check("author mix-up", function() expect(10, "M.b", "bytes"):to_be_at_most("5 min") end)
            """#)
        for name in ["GHz for MHz", "number for MHz", "size string", "percent string", "fraction from percent", "duration"] {
            #expect(r.check(name)?.status == .passed, "\(name): \(r.check(name)?.message ?? "")")
        }
        #expect(r.check("wrong kind")?.studentMessage == #"M.slot_mhz: a CPU speed was asked, you gave a size ("2 GiB")"#)
        #expect(r.check("not a quantity")?.studentMessage == #"M.t: "fast" is not a duration (use e.g. "50 ms", "5 min" or a number of seconds)"#)
        #expect(r.check("not whole")?.studentMessage == "M.n: 2.5 is not a whole number")
        #expect(r.check("author mix-up")?.status == .error)
        #expect(r.check("author mix-up")?.message == #"lab.lua:10: to_be_at_most: the limit "5 min" is a duration, but this expectation is about a size (bytes)"#)
    }

    @Test func labAnswerReadsEveryUnit() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            check("read", function()
              expect(lab.answer(a, "mhz", "MHz"), "mhz", "MHz"):to_equal(2000)
              expect(lab.answer(a, "size", "bytes"), "size", "bytes"):to_equal(512 * 2^20)
              expect(lab.answer(a, "t", "seconds"), "t", "seconds"):to_equal(300)
              expect(lab.answer_bytes(a, "n"), "n", "bytes"):to_equal(1024)
              expect(lab.answer(a, "word"), "word"):to_equal("soft")
            end)
            check("missing", function() lab.answer(a, "nothing", "MHz") end)
            check("wrong", function() lab.answer(a, "size", "seconds") end)
            """#, submission: ["answer.lua": #"return { mhz = "2 GHz", size = "512 MiB", t = "5 min", n = 1024, word = "soft" }"#])
        #expect(r.check("read")?.status == .passed, "\(r.check("read")?.message ?? "")")
        #expect(r.check("missing")?.studentMessage == "M.nothing: no answer (nil)")
        #expect(r.check("wrong")?.studentMessage == #"M.size: a duration was asked, you gave a size ("512 MiB")"#)
    }

    @Test func numbersShowTheDigitsThatDiffer() {
        let r = runLab(#"""
            check("close sizes", function() expect(2.41 * 2^30, "x", "bytes"):to_equal(2.4 * 2^30) end)
            check("close plain", function() expect(0.3001, "x"):to_equal(0.3) end)
            check("tables", function() expect({ a = 1, b = { 2, 3 } }, "t"):to_equal({ a = 1, b = { 2, 4 } }) end)
            check("no zero tolerance", function() expect(5, "x", "count"):to_be_near(4) end)
            check("no tiny tolerance", function() expect(0.5, "x"):to_be_near(0.25, 1e-9) end)
            check("tolerance shown", function() expect(50, "x", "%"):to_be_near(40, 2) end)
            check("percent of", function() expect(1.5, "x", "%"):to_equal(1.25) end)
            """#)
        #expect(r.check("close sizes")?.message == "x: expected 2.4 GiB, got 2.41 GiB")
        #expect(r.check("close plain")?.message == "x: expected 0.3, got 0.3001")
        #expect(r.check("tables")?.message == "t: expected { a = 1, b = { 2, 4 } }, got { a = 1, b = { 2, 3 } }")
        #expect(r.check("no zero tolerance")?.message == "x: expected 4, got 5")
        #expect(r.check("no tiny tolerance")?.message == "x: expected 0.25, got 0.5")
        #expect(r.check("tolerance shown")?.message == "x: expected 40 % ± 2 %, got 50 %")
        #expect(r.check("percent of")?.message == "x: expected 1.25 %, got 1.5 %")
    }

    @Test func scoresAreRounded() {
        let r = runLab(#"""
            for i = 1, 3 do check("p" .. i, { points = 0.2 }, function() partial(1 / 3) error("x") end) end
            """#)
        #expect(r.score == 0.21 || r.score == 0.18 || r.score == 0.2)
        #expect(String(describing: r.score).count <= 4)
        #expect(r.checks.allSatisfy { String(describing: $0.score).count <= 4 })
    }

    @Test func authoringMistakesSayWhatToWrite() {
        #expect(runLab(#"check("x", { points = 2 })"#).scriptError
                == #"lab.lua:1: check "x": the body is missing; write check(name, { options }, function() ... end)"#)
        #expect(runLab(#"check("x", { points = 2 }, 5)"#).scriptError
                == #"lab.lua:1: check "x": the body 5 is not a function; write check(name, { options }, function() ... end)"#)
        let dot = runLab(#"check("d", function() expect(1).to_equal(1) end)"#)
        #expect(dot.check("d")?.message == "lab.lua:1: expect(...).to_equal: call matchers with a colon: expect(x):to_equal(...)")
        let unknown = runLab(#"check("u", function() expect(1):to_equals(1) end)"#)
        #expect(unknown.check("u")?.message?.hasPrefix("lab.lua:1: expect(...): no matcher to_equals (did you mean 'to_equal'?)") == true)
        #expect(runLab(#"expect(1, "x", "seconds", 5)"#).scriptError?.contains("expect: takes (value, label, unit)") == true)
        #expect(runLab(#"expect(1, "x", "GiB")"#).scriptError?.contains(#"expect: unit "GiB" is not a unit"#) == true)
    }

    @Test func unknownEventKindsAndParams() {
        #expect(runLab(#"lab.events{ kind = "memory.statee" }"#).scriptError?
            .hasPrefix(#"lab.lua:1: lab.events: kind "memory.statee" is not an event kind (did you mean 'memory.state'?)"#) == true)
        #expect(runLab(#"lab.events{ kind = "memory" }"#).scriptError == nil)
        #expect(runLab(#"local x = lab.param("max_pct", 10)"#, params: ["max_pc": "20"]).scriptError
                == "unknown --param max_pc (did you mean 'max_pct'?) (this lab reads max_pct)")
        #expect(runLab("", params: ["x": "1"]).scriptError == "unknown --param x (this lab reads no parameters)")
        #expect(runLab(#"local x = lab.param("max_pct", 10)"#, params: ["max_pct": "20"]).scriptError == nil)
    }

    @Test func aPercentageGivenAsAFractionIsRefused() {
        let r = runLab(host + "\nh.reclaim.balloon.max_percent = 0.65")
        #expect(r.scriptError == #"lab.lua:2: Host(esx01).reclaim.balloon: max_percent 0.65 looks like a fraction, but max_percent is in percent: write 65 for 65 %, or "0.65%" if you mean less than one percent"#)
        #expect(runLab(host + "\nh.reclaim.balloon.max_percent = \"0.65%\"").scriptError == nil)
        #expect(runLab(host + "\nh.reclaim.balloon.max_percent = 65").scriptError == nil)
    }
}

/// A submission that cannot be loaded gets one message, and the checks that needed it
/// are "not run", never failed one by one with the same error.
@Suite("Submissions that cannot load")
struct SubmissionLoadingTests {
    let lab = #"""
        local a = lab.submission("answer.lua")
        check("one", function() expect(a.value, "M.value", "count"):to_equal(42) end)
        check("two", function() expect(a.value, "M.value", "count"):to_equal(42) end)
        check("independent", function() expect(1, "one", "count"):to_equal(1) end)
        """#

    @Test(arguments: [
        ("bom", ["answer.lua": "\u{FEFF}return { value = 42 }"], nil),
        ("nested folder", ["lab08/answer.lua": "return { value = 42 }"], nil),
        ("nested with clutter", ["lab08/answer.lua": "return { value = 42 }", ".DS_Store": "x", "__MACOSX/x": "y"], nil),
        ("capitalised", ["Answer.lua": "return { value = 42 }"],
         "answer.lua was not found in the submission; it holds Answer.lua: rename it to answer.lua (names are case-sensitive)"),
        ("txt", ["answer.lua.txt": "return { value = 42 }", "notes.md": ""],
         "answer.lua was not found in the submission; it holds answer.lua.txt: rename it to answer.lua"),
        ("other files", ["main.lua": "", "readme.md": ""], "answer.lua was not found in the submission; it holds main.lua, readme.md"),
        ("nested near miss", ["lab08/Answer.lua": ""],
         "answer.lua was not found in the submission (nor in its folder lab08/); it holds Answer.lua: rename it to answer.lua (names are case-sensitive)"),
        ("a number", ["answer.lua": "return 42"],
         "answer.lua: it returned a number (42), not a table of answers: end it with `return M`, as the starter does"),
    ] as [(String, [String: String], String?)])
    func submissionsAsStudentsHandThemIn(name: String, files: [String: String], problem: String?) {
        let r = runLab(lab, submission: files)
        #expect(r.scriptError == nil, "\(name)")
        #expect(r.check("independent")?.status == .passed, "\(name)")
        if let problem {
            #expect(r.submissionProblems == [problem], "\(name): \(r.submissionProblems)")
            #expect(r.check("one")?.status == .skipped && r.check("two")?.status == .skipped, "\(name)")
            #expect(r.check("one")?.hint == nil)
        } else {
            #expect(r.submissionProblems.isEmpty, "\(name): \(r.submissionProblems)")
            #expect(r.check("one")?.status == .passed, "\(name): \(r.check("one")?.message ?? "")")
        }
    }

    @Test func aLabThatReadsTheSubmissionOutsideChecksStopsWithoutFailing() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            local v = a.value
            check("after", function() expect(v, "M.value", "count"):to_equal(42) end)
            """#, submission: ["answer.lua": "return {"])
        #expect(r.scriptError == nil)
        #expect(r.stoppedBySubmission == "answer.lua")
        #expect(r.submissionProblems.first?.hasPrefix("answer.lua:1:") == true)
    }
}

/// `hyperlab lint` knows the matchers from a Swift list; this keeps it equal to the ones
/// stdlib-lua/expect.lua defines (read from the error an unknown matcher raises).
@Suite("The matchers lint knows")
struct MatcherListTests {
    @Test func lintsMatchersAreExpectsMatchers() {
        let r = runLab(#"check("m", function() expect(1):no_such_matcher() end)"#)
        let message = r.check("m")?.message ?? ""
        guard let open = message.range(of: "(matchers: "), let close = message.range(of: ")", range: open.upperBound..<message.endIndex) else {
            Issue.record("no list of matchers in: \(message)")
            return
        }
        let lua = message[open.upperBound..<close.lowerBound].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lua == LabVocabulary.matchers)
    }
}

/// `lab.answer(answer, name, "function")` and `to_be_a`: a student's value of another Lua
/// type fails saying what it is.
@Suite("Answers of a Lua type")
struct AnswerKindTests {
    @Test func aFunctionWasAsked() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            check("f", function() lab.answer(a, "f", "function")(1) end)
            check("n", function() lab.answer(a, "n", "function") end)
            check("missing", function() lab.answer(a, "none", "table") end)
            check("bad kind", function() expect(1):to_be_a("integer") end)
            """#, submission: ["answer.lua": "return { f = function(x) return x end, n = 42 }"])
        #expect(r.check("f")?.status == .passed)
        #expect(r.check("n")?.studentMessage == "M.n: a function was asked, got 42")
        #expect(r.check("missing")?.studentMessage == "M.none: no answer (nil)")
        #expect(r.check("bad kind")?.status == .error)
        #expect(r.check("bad kind")?.message?.contains(#"to_be_a: "integer" is not a Lua type"#) == true)
    }
}

/// Speeds below 1 MHz (fair mode's slow hosts) are shown in kHz or Hz in feedback, as in
/// the model's own messages, never as "0 MHz".
@Suite("Feedback values: slow clocks")
struct SlowClockValueTests {
    @Test func belowOneMHz() {
        #expect(ValueText.show(0.00001, unit: "MHz") == "10 Hz")
        #expect(ValueText.show(0.25, unit: "MHz") == "250 kHz")
        #expect(ValueText.show(800, unit: "MHz") == "800 MHz")
        #expect(ValueText.show(0, unit: "MHz") == "0 MHz")
    }
}
