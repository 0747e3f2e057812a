import Testing
@testable import LineEdit

/// Key sequences as a terminal sends them, and the line they leave.
@Suite("Line editor")
struct LineEditorTests {
    /// Applies the keys decoded from `bytes`; returns the editor and the last action.
    func type(_ bytes: String, into editor: LineEditor = LineEditor()) -> (LineEditor, LineEditor.Action) {
        var e = editor
        var last = LineEditor.Action.none
        for k in LineKeys.decode(Array(bytes.utf8)) { last = e.apply(k) }
        return (e, last)
    }

    @Test func insertsAndMovesWithArrowsHomeEnd() {
        let (e, _) = type("lab.hst\u{1B}[D\u{1B}[Do\u{1B}[F()\u{1B}[H-- ")
        #expect(e.text == "-- lab.host()")
        #expect(e.cursor == 3)
    }

    @Test func backspaceDeleteAndControlKeys() {
        #expect(type("abc\u{7F}").0.text == "ab")
        #expect(type("abc\u{1}\u{1B}[3~").0.text == "bc")  // Ctrl-A, Delete
        #expect(type("hello world\u{17}").0.text == "hello ")  // Ctrl-W
        #expect(type("hello world  \u{17}").0.text == "hello ")
        #expect(type("abcdef\u{1B}[D\u{1B}[D\u{15}").0.text == "ef")  // Ctrl-U
        #expect(type("abcdef\u{1B}[D\u{1B}[D\u{B}").0.text == "abcd")  // Ctrl-K
        let (e, _) = type("abc\u{1}\u{5}x")  // Ctrl-A, Ctrl-E
        #expect(e.text == "abcx")
    }

    @Test func ctrlDExitsOnlyOnAnEmptyLine() {
        #expect(type("\u{4}").1 == .endOfInput)
        let (e, last) = type("ab\u{1B}[D\u{4}")
        #expect(e.text == "a")
        #expect(last == .redraw)
    }

    @Test func ctrlCDropsTheLine() {
        let (e, last) = type("lab.ho\u{3}")
        #expect(e.text == "")
        #expect(last == .cancelled)
    }

    @Test func enterSubmitsAndHistoryWalksBackAndForth() {
        var (e, last) = type("x = 1\r")
        #expect(last == .submit("x = 1"))
        (e, last) = type("y = 2\r", into: e)
        (e, _) = type("dra", into: e)
        (e, _) = type("\u{1B}[A", into: e)
        #expect(e.text == "y = 2")
        (e, _) = type("\u{1B}[A\u{1B}[A", into: e)  // stops at the oldest
        #expect(e.text == "x = 1")
        (e, _) = type("\u{1B}[B\u{1B}[B", into: e)
        #expect(e.text == "dra")  // the draft comes back
        #expect(e.history.entries == ["x = 1", "y = 2"])
    }

    @Test func tabAsksForCompletionAndReplaceUsesIt() {
        var (e, last) = type("lab.ru\t")
        #expect(last == .complete)
        e.replaceBeforeCursor(2, with: "run_for")
        #expect(e.text == "lab.run_for")
        #expect(e.textBeforeCursor == "lab.run_for")
    }

    @Test func decodesUTF8AndSS3AndIgnoresUnknownSequences() {
        #expect(LineKeys.decode(Array("é".utf8)) == [.char("é")])
        #expect(LineKeys.decode([0x1B, 0x4F, 0x48]) == [.home])
        #expect(LineKeys.decode([0x1B, 0x5B, 0x31, 0x35, 0x7E]) == [.unknown])  // F5
        #expect(type("a\u{1B}[15~b").0.text == "ab")
    }

    @Test func historyIsCappedSkipsRepeatsAndRoundTrips() throws {
        var h = LineHistory(cap: 3)
        for l in ["a", "b", "b", "  ", "c", "d"] { h.add(l) }
        #expect(h.entries == ["b", "c", "d"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hl-hist-\(UUID().uuidString)").path
        let path = dir + "/hyperlab/history"
        #expect(h.save(path) == nil)
        #expect(LineHistory.load(path, cap: 2).entries == ["c", "d"])
        #expect(LineHistory.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/hyperlab/history")
        #expect(LineHistory.defaultPath(environment: ["HOME": "/h"]) == "/h/.hyperlab_history")
    }
}

import Foundation
