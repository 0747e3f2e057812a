import ArgumentParser
import Foundation
import LabGrading

/// Builds a Gradescope autograder zip: setup.sh and run_autograder at the root, the lab
/// (lab.lua, README.md, hidden/) and the hyperlab binary. Students' packages never
/// contain hidden/; this one is for the grader only.
struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Package a lab: --target gradescope (an autograder zip) or student (the handout, lab.lua and starter/; never hidden/ or solution/).",
        discussion: """
            The binary packed is this one unless --binary is given; build it with \
            `swift build -c release --static-swift-stdlib` so the grader image needs no Swift runtime \
            (setup.sh installs Lua 5.4). The total of max_score is printed: it must match the assignment's points.
            """)

    @Argument(help: "A lab folder (holding lab.lua).")
    var lab: String

    @Option(help: "gradescope or student.")
    var target: String = "gradescope"

    @Option(help: "The zip to write (default: LAB-autograder.zip).")
    var output: String?

    @Option(help: "The hyperlab binary to include (default: this one).")
    var binary: String?

    @Option(help: "Wall-clock limit of one grading run, in seconds (keep it below the platform's, 10 min by default).")
    var timeout: Double = 480

    func run() throws {
        guard target == "gradescope" || target == "student" else { throw UsageError("--target \(target): use gradescope or student") }
        let location = try LabLocation(lab)
        guard location.file.hasSuffix("lab.lua") else { throw UsageError("pack needs a lab folder holding lab.lua") }
        if target == "student" { return try packStudent(location) }
        let exe = binary ?? ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        guard let binaryData = FileManager.default.contents(atPath: exe) else { throw UsageError("cannot read the binary \(exe)") }
        var zip = ZipWriter()
        zip.add("setup.sh", Data(Self.setup.utf8), executable: true)
        zip.add("run_autograder", Data(Self.runAutograder(timeout: timeout).utf8), executable: true)
        zip.add("hyperlab", binaryData, executable: true)
        let dir = location.directory
        for name in ["lab.lua", "README.md"] {
            if let d = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(name)) { zip.add("lab/" + name, d) }
        }
        let hidden = (dir as NSString).appendingPathComponent("hidden")
        var hiddenCount = 0
        for f in ((try? FileManager.default.contentsOfDirectory(atPath: hidden)) ?? []).sorted() where f.hasSuffix(".lua") {
            zip.add("lab/hidden/" + f, FileManager.default.contents(atPath: (hidden as NSString).appendingPathComponent(f)) ?? Data())
            hiddenCount += 1
        }
        let path = output ?? "\(location.name)-autograder.zip"
        do { try zip.finished().write(to: URL(fileURLWithPath: path)) } catch {
            throw UsageError("cannot write \(path): \(error.localizedDescription)")
        }
        let plan = CheckPlan(lab: location, hidden: hiddenCount > 0 ? hidden : nil)
        print("wrote \(path): lab.lua, \(hiddenCount) hidden script\(hiddenCount == 1 ? "" : "s"), the hyperlab binary")
        print("total max_score: \(JSON.number(plan.maxScore)) points in \(plan.entries.count) checks — set the assignment's points to match")
        if Self.linksSwiftRuntime(exe) {
            print("note: \(exe) links the Swift runtime dynamically; rebuild with `swift build -c release --static-swift-stdlib` for the grader image")
        }
    }

    /// What students get: README.md, lab.lua and starter/ — public checks only.
    func packStudent(_ location: LabLocation) throws {
        var zip = ZipWriter()
        let dir = location.directory
        var count = 0
        for name in ["README.md", "lab.lua"] {
            if let d = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(name)) {
                zip.add("\(location.name)/\(name)", d)
                count += 1
            }
        }
        let starter = (dir as NSString).appendingPathComponent("starter")
        if let e = FileManager.default.enumerator(atPath: starter) {
            for case let rel as String in e {
                let path = (starter as NSString).appendingPathComponent(rel)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                      let d = FileManager.default.contents(atPath: path) else { continue }
                zip.add("\(location.name)/starter/\(rel)", d)
                count += 1
            }
        }
        let path = output ?? "\(location.name).zip"
        do { try zip.finished().write(to: URL(fileURLWithPath: path)) } catch {
            throw UsageError("cannot write \(path): \(error.localizedDescription)")
        }
        print("wrote \(path): \(count) files (README.md, lab.lua, starter/); hidden/ and solution/ left out")
    }

    static let setup = """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the grader image.
        set -euo pipefail
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liblua5.4-0
        chmod +x /autograder/source/hyperlab

        """

    static func runAutograder(timeout: Double) -> String {
        """
        #!/usr/bin/env bash
        # Gradescope runs this for every submission; it must write results/results.json.
        # AUTOGRADER_ROOT lets you try it outside Gradescope.
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        mkdir -p "$ROOT/results"
        exec "$ROOT/source/hyperlab" grade "$ROOT/source/lab" --submission "$ROOT/submission" \\
          --timeout \(JSON.number(timeout)) --report "gradescope:$ROOT/results/results.json" --format tap --exit-zero

        """
    }

    static func linksSwiftRuntime(_ exe: String) -> Bool {
        guard let d = FileManager.default.contents(atPath: exe) else { return false }
        return d.range(of: Data("libswiftCore.so".utf8)) != nil
    }
}
