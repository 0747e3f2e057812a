import Testing
@testable import LabRuntime

/// Strings are bytes: what a submission returns reaches the lab byte for byte.
@Suite struct ByteSourceTests {
    @Test func stringsThatAreNotUTF8CrossUnchanged() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            check("bytes", function()
              expect(#a.s):to_equal(2)
              expect(a.s:byte(1)):to_equal(255)
              expect(a.s:byte(2)):to_equal(233)
              expect(#a.echo("\xe9\xff")):to_equal(2)
            end)
            """#, submission: ["answer.lua": #"return { s = "\xff\xe9", echo = function(x) assert(#x == 2) return x end }"#])
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }
}
