import Foundation
import HyperModel

/// What every package of a lab is made from.
public struct PackInputs {
    public var lab: LabLocation
    /// The hyperlab binary, gzip-compressed (`Gzip.compress`).
    public var binaryGz: Data
    /// Wall-clock limit of one grading run, in seconds.
    public var timeout: Double

    public init(lab: LabLocation, binaryGz: Data, timeout: Double) {
        self.lab = lab
        self.binaryGz = binaryGz
        self.timeout = timeout
    }

    func path(_ name: String) -> String { (lab.directory as NSString).appendingPathComponent(name) }

    /// lab.lua, README.md and, with `hidden`, every hidden/*.lua, below `prefix`; returns
    /// how many hidden scripts went in.
    @discardableResult
    func addLab(to files: inout PackageFiles, as prefix: String, hidden: Bool) -> Int {
        files.addFile(lab.file, as: prefix + "lab.lua")
        files.addFile(path("README.md"), as: prefix + "README.md")
        guard hidden else { return 0 }
        return files.addFolder(path("hidden"), as: prefix + "hidden/") { !$0.contains("/") && $0.hasSuffix(".lua") }
    }
}

/// Gradescope's autograder zip: setup.sh and run_autograder at the root, the lab with
/// hidden/ in lab/, and the self-contained binary as hyperlab.gz. setup.sh only unpacks
/// the binary: nothing is installed, so it starts on a stock Ubuntu 22.04 image.
public enum GradescopePackage {
    public static func build(_ p: PackInputs) -> (files: PackageFiles, hidden: Int) {
        var f = PackageFiles()
        f.add("setup.sh", text: setup, executable: true)
        f.add("run_autograder", text: runAutograder(timeout: p.timeout), executable: true)
        f.add("hyperlab.gz", p.binaryGz)
        let hidden = p.addLab(to: &f, as: "lab/", hidden: true)
        return (f, hidden)
    }

    static let setup = """
        #!/bin/sh
        # Gradescope runs this once, as root, when it builds the grader image. The hyperlab
        # binary is self-contained (glibc 2.35 or newer: Ubuntu 22.04, Gradescope's default
        # image): nothing to install, only unpack it.
        set -eu
        cd "$(dirname "$0")"
        gzip -dc hyperlab.gz > hyperlab
        chmod 755 hyperlab
        ./hyperlab --version

        """

    static func runAutograder(timeout: Double) -> String {
        """
        #!/bin/sh
        # Gradescope runs this for every submission; it must write results/results.json.
        # AUTOGRADER_ROOT lets you try it outside Gradescope (see docs/grading.md).
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        SRC="$ROOT/source"
        mkdir -p "$ROOT/results"
        if [ ! -x "$SRC/hyperlab" ]; then
          gzip -dc "$SRC/hyperlab.gz" > "$SRC/hyperlab" && chmod 755 "$SRC/hyperlab"
        fi
        exec "$SRC/hyperlab" grade "$SRC/lab" --submission "$ROOT/submission" \\
          --timeout \(JSON.number(timeout)) --report "gradescope:$ROOT/results/results.json" --format tap --exit-zero

        """
    }
}

/// A PrairieLearn external-grader question, laid out as in a course repository:
/// `serverFilesCourse/hyperlab/hyperlab.gz` (shared by every HyperLab question) and
/// `questions/LAB/` with info.json, question.html, the student's files in
/// clientFilesQuestion/ and the grader's in tests/ (run.sh, the lab with hidden/). The
/// image is stock `ubuntu:22.04`; run.sh reads /grade/student and writes
/// /grade/results/results.json.
public enum PrairieLearnPackage {
    public static func build(_ p: PackInputs) -> (files: PackageFiles, hidden: Int) {
        var f = PackageFiles()
        let q = "questions/\(p.lab.name)/"
        f.add("serverFilesCourse/hyperlab/hyperlab.gz", p.binaryGz)
        f.add(q + "info.json", text: info(p))
        f.add(q + "question.html", text: questionHTML(p))
        f.addFile(p.path("README.md"), as: q + "clientFilesQuestion/README.md")
        f.addFile(p.lab.file, as: q + "clientFilesQuestion/lab.lua")
        f.addFolder(p.path("starter"), as: q + "clientFilesQuestion/")
        f.add(q + "tests/run.sh", text: runScript(timeout: p.timeout), executable: true)
        let hidden = p.addLab(to: &f, as: q + "tests/lab/", hidden: true)
        return (f, hidden)
    }

    /// A stable question id: the same lab always gets the same uuid (PrairieLearn keys
    /// students' work by it).
    static func uuid(_ name: String) -> String {
        var h = SHA256()
        h.update("hyperlab-prairielearn:\(name)".utf8)
        var hex = Array(h.hexDigest().prefix(32))
        hex[12] = "5"                                   // name-based
        hex[16] = ["8", "9", "a", "b"][Int(String(hex[16]), radix: 16)! & 3]  // RFC 4122 variant
        let s = String(hex)
        func part(_ a: Int, _ b: Int) -> Substring { s.dropFirst(a).prefix(b - a) }
        return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
    }

    static func info(_ p: PackInputs) -> String {
        let job = min(600, Int(p.timeout.rounded(.up)) + 60)
        let options: [String: JSON] = [
            "enabled": .bool(true), "image": .string("ubuntu:22.04"),
            "serverFilesCourse": .array([.string("hyperlab/")]),
            "entrypoint": .string("/grade/tests/run.sh"), "timeout": .number(Double(job)),
        ]
        let root: [String: JSON] = [
            "uuid": .string(uuid(p.lab.name)), "title": .string("HyperLab: \(p.lab.name)"), "topic": .string("Virtualization"),
            "tags": .array([.string("hyperlab")]), "type": .string("v3"), "singleVariant": .bool(true),
            "gradingMethod": .string("External"), "externalGradingOptions": .object(options),
        ]
        return JSON.object(root).rendered
    }

    static func questionHTML(_ p: PackInputs) -> String {
        let answers = SubmissionChoice.answerFiles(of: p.lab)
        let editors = answers.map {
            "<pl-file-editor file-name=\"\($0)\" ace-mode=\"ace/mode/lua\" source-file-name=\"clientFilesQuestion/\($0)\"></pl-file-editor>"
        }.joined(separator: "\n")
        return """
            <pl-question-panel>
              <p>Read the handout and the lab, complete <code>\(answers.joined(separator: ", "))</code> below and submit:
              the lab's public checks and the instructor's hidden ones grade it.</p>
              <p><pl-file-download file-name="README.md"></pl-file-download>
                 <pl-file-download file-name="lab.lua"></pl-file-download></p>
            </pl-question-panel>
            \(editors)
            <pl-submission-panel>
              <pl-external-grader-results></pl-external-grader-results>
              <pl-file-preview></pl-file-preview>
            </pl-submission-panel>

            """
    }

    static func runScript(timeout: Double) -> String {
        """
        #!/bin/sh
        # PrairieLearn's external grader runs this in the grading container (stock ubuntu:22.04):
        # the student's files are in /grade/student, the results go to /grade/results/results.json.
        # GRADE_ROOT lets you try it outside PrairieLearn (see docs/grading.md).
        ROOT="${GRADE_ROOT:-/grade}"
        mkdir -p "$ROOT/results"
        BIN="$(mktemp -d)/hyperlab"
        gzip -dc "$ROOT/serverFilesCourse/hyperlab/hyperlab.gz" > "$BIN" && chmod 755 "$BIN"
        exec "$BIN" grade "$ROOT/tests/lab" --submission "$ROOT/student" \\
          --timeout \(JSON.number(timeout)) --report "prairielearn:$ROOT/results/results.json" --format tap --exit-zero

        """
    }
}
