import Foundation
import Testing

/// Runs `hyperlab shell ARGS` with `input` on a pipe (no terminal): exit code, stdout, stderr.
func shellCommand(_ args: [String], input: String) throws -> (code: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = CommandTests.binary
    p.arguments = ["shell"] + args
    p.currentDirectoryURL = CommandTests.root
    let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
    p.standardInput = stdin
    p.standardOutput = stdout
    p.standardError = stderr
    try p.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

@Suite("hyperlab shell without a terminal")
struct ShellCommandTests {
    let build = """
        h = lab.host{ name = "esx01", cpus = 4, mhz = "2.4 GHz", memory = "16 GiB" }
        vm = h:create_vm{ name = "web", vcpus = 2, memory = "4 GiB", guest = "linux" }
        vm:power_on()
        vm:run(lab.workload.cpu{})

        """

    @Test func linesFromStandardInputRunAndTheirValuesAreShown() throws {
        let r = try shellCommand([], input: build + ":run 5 min\nvm\nvm.memory.configured\nfunction f()\n  return 6 * 7\nend\nf()\n:help\n")
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err == "")
        #expect(r.out.contains("simulated time is now 5 min\n"))
        #expect(r.out.contains("┌ VM web on esx01 · on · linux\n"))
        #expect(r.out.contains("%RUN 50.0 · %RDY 0.0"))
        #expect(r.out.contains("\n4 GiB  (4294967296)\n"))
        #expect(r.out.contains("\n42\n"))
        #expect(r.out.contains(":run 5 min"))  // the help
        #expect(!r.out.contains("> "))  // no prompt without a terminal
    }

    @Test func errorsGoToStandardErrorAsInScriptsAndSetTheExitCode() throws {
        let r = try shellCommand([], input: "nosuch()\n1 + 1\n:top\n:frob\nfunction g()\n")
        #expect(r.code == 1)
        #expect(r.out == "2\n")
        #expect(r.err.contains("stdin:1: attempt to call a nil value (global 'nosuch')\n"))
        #expect(r.err.contains(":top needs a terminal"))
        #expect(r.err.contains("unknown command :frob"))
        #expect(r.err.contains("the input ended inside an unfinished chunk"))
    }

    @Test func quitStopsReadingAndALabRunsFirst() throws {
        let q = try shellCommand([], input: "1\n:quit\nnosuch()\n")
        #expect(q.code == 0 && q.out == "1\n")
        let r = try shellCommand(["labs/01-lazy-allocation", "--submission", "labs/01-lazy-allocation/solution"], input: "#lab.vms() > 0\n")
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("01-lazy-allocation: the lab script ran;"))
        #expect(!r.out.contains("✗"))
        #expect(r.out.hasSuffix("\ntrue\n"))
    }

    /// A lab's checks are shown as `hyperlab check` shows them: no expected value.
    @Test func aLabsFailedChecksShowTheStudentsViewOnly() throws {
        let dir = temporaryFolder()
        try "return { provisioned = \"1 GiB\" }\n".write(toFile: dir + "/answer.lua", atomically: true, encoding: .utf8)
        let r = try shellCommand(["labs/01-lazy-allocation", "--submission", dir], input: "")
        #expect(r.out.contains("✗ provisioned memory (0/1): M.provisioned: 1 GiB is not the right value\n"), "\(r.out)")
        #expect(r.out.contains("      hint: "))
        #expect(!r.out.contains("expected 4 GiB"))
    }

    @Test func badArgumentsAreRefused() throws {
        let r = try shellCommand(["--submission", "x"], input: "")
        #expect(r.code == 4)
        #expect(r.err.contains("--submission goes with a LAB"))
        let missing = try shellCommand(["no/such/lab"], input: "")
        #expect(missing.code == 4, "\(missing.err)")
    }
}
