import ArgumentParser
import Foundation
import LabGrading

/// `hyperlab pack`: one lab as a Gradescope autograder, a PrairieLearn question, a GitHub
/// Classroom template repository or the students' package. Autograder packages are
/// checked first: the lab's solution must score full marks with the checks they carry.
struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Package a lab for Gradescope, PrairieLearn, GitHub Classroom or students.",
        discussion: """
            --target gradescope: LAB-gradescope.zip (setup.sh, run_autograder, lab/ with hidden/, the binary); \
            upload it as the autograder. prairielearn: LAB-prairielearn.zip, to unzip at the top of a course \
            (serverFilesCourse/hyperlab/, questions/LAB/ with tests/ holding the hidden checks). \
            github-classroom: LAB-classroom.zip, the template repository (answer.lua, lab.lua, a workflow \
            for Classroom's grading reporter, the binary; public checks only). student: LAB-student.zip \
            (README.md, lab.lua, starter/, types/, .luarc.json; never hidden/ or solution/). \
            The binary packed is this one unless --binary is given: use the self-contained release build \
            (`make dist`), which needs nothing but glibc 2.35 or newer. Before writing an autograder package \
            the lab's solution/ is graded with the checks it carries and must score full marks \
            (--no-verify skips this). Exit codes: 0 written, 1 the solution lost points, 3 the package \
            could not be written, 4 the command was used wrongly (no lab.lua, no solution/, no starter/).
            """)

    @Argument(help: "A lab folder (holding lab.lua).")
    var lab: String

    @Option(help: "gradescope, prairielearn, github-classroom or student.")
    var target: String = "gradescope"

    @Option(help: "The zip to write (default: LAB-TARGET.zip in the current folder).")
    var output: String?

    @Option(help: "The hyperlab binary to include (default: this one).")
    var binary: String?

    @Option(help: "Wall-clock limit of one grading run, in seconds (keep it below the platform's: Gradescope 10 min, PrairieLearn at most 600 s with the job).")
    var timeout: Double = 480

    @Flag(help: "Do not grade the solution before packing.")
    var noVerify = false

    static let targets = ["gradescope", "prairielearn", "github-classroom", "student"]

    func run() throws {
        guard Self.targets.contains(target) else { throw UsageError("--target \(target): use \(Self.targets.joined(separator: ", "))") }
        guard timeout > 0, timeout <= 3600 else { throw UsageError("--timeout \(timeout): use more than 0 up to 3600 s") }
        let location = try LabLocation(lab)
        guard location.file.hasSuffix("lab.lua") else { throw UsageError("pack needs a lab folder holding lab.lua, not \(lab)") }
        let suffix = target == "github-classroom" ? "classroom" : target
        let path = output ?? "\(location.name)-\(suffix).zip"
        try PackageFiles.checkWritable(path)
        if target == "student" {
            let files = try StudentPackage.build(location)
            try files.write(to: path)
            print("wrote \(path): \(files.entries.count) files (README.md, lab.lua, starter/, types/, .luarc.json); hidden/ and solution/ left out")
            return
        }
        let withHidden = target != "github-classroom"
        let hidden = withHidden ? LabRunner.hiddenFolder(of: location) : nil
        let plan = CheckPlan(lab: location, hidden: hidden)
        if !noVerify { try verifySolution(location, hidden: hidden) }
        let exe = binary ?? ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        guard FileManager.default.isReadableFile(atPath: exe) else { throw UsageError("--binary \(exe): no such file") }
        let inputs = PackInputs(lab: location, binaryGz: try Gzip.compress(exe), timeout: timeout)
        let files: PackageFiles, hiddenCount: Int
        switch target {
        case "gradescope": (files, hiddenCount) = GradescopePackage.build(inputs)
        case "prairielearn": (files, hiddenCount) = PrairieLearnPackage.build(inputs)
        default: (files, hiddenCount) = (try ClassroomPackage.build(inputs), 0)
        }
        try files.write(to: path)
        let what = withHidden ? "lab.lua, \(hiddenCount) hidden script\(hiddenCount == 1 ? "" : "s")" : "lab.lua (public checks only: Classroom has no hidden tests)"
        print("wrote \(path): \(what), the hyperlab binary")
        print("total max_score: \(JSON.number(plan.maxScore)) points in \(plan.entries.count) checks — set the assignment's points to match")
        warnIfNotSelfContained(exe)
    }

    /// A package whose own solution loses points would grade every student wrongly.
    func verifySolution(_ lab: LabLocation, hidden: String?) throws {
        let solution = (lab.directory as NSString).appendingPathComponent("solution")
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: solution, isDirectory: &isDir), isDir.boolValue else {
            throw UsageError("\(lab.directory) has no solution/: pack grades the reference solution before packing (it must score full marks); add solution/ or pass --no-verify")
        }
        var grader = Grader(lab: lab, hidden: hidden, seed: nil, params: [:])
        grader.timeout = timeout
        let r = grader.grade(submission: solution)
        guard r.status != .passed else { return }
        let lost = r.run.checks.filter { $0.status != .passed }.map { "  \($0.name): \($0.message ?? $0.status.rawValue)" }
        var text = "not packed: the solution scores \(JSON.number(r.score))/\(JSON.number(r.maxScore)) with the checks this package carries"
        if let e = r.run.scriptError { text += "\n  the lab script failed: \(e)" }
        FileHandle.standardError.write(Data((([text] + lost).joined(separator: "\n") + "\n").utf8))
        throw ExitCode(1)
    }

    func warnIfNotSelfContained(_ exe: String) {
        guard let elf = ELFLibraries(path: exe) else { return }
        var problems: [String] = []
        if !elf.beyondGlibc.isEmpty { problems.append("it needs \(elf.beyondGlibc.joined(separator: ", "))") }
        if let (major, minor) = elf.newestGlibc, (major, minor) > (2, 35) { problems.append("it needs glibc \(major).\(minor) (Ubuntu 22.04 has 2.35)") }
        guard !problems.isEmpty else { return }
        FileHandle.standardError.write(Data("""
            warning: \(exe) will not start in a stock grader image: \(problems.joined(separator: "; ")).
            Pack the self-contained release binary instead: `make dist`, then --binary dist/…/hyperlab (see docs/grading.md).

            """.utf8))
    }
}
