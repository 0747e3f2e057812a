import Foundation
import LabRuntime

/// What students get, never hidden/ or solution/: the handout, lab.lua, the starter, and
/// editor support (the LuaCATS types and a .luarc.json pointing at them).
public enum StudentPackage {
    /// The student package: a folder LAB/ holding README.md, lab.lua, starter/, types/ and
    /// .luarc.json. Inside it `hyperlab check` (no arguments) checks ./answer.lua.
    public static func build(_ lab: LabLocation) throws -> PackageFiles {
        var f = PackageFiles()
        let root = lab.name + "/"
        let answers = SubmissionChoice.answerFiles(of: lab)
        f.add(root + "README.md", text: handout(lab, intro: """
            > **In this package:** `lab.lua` (the lab and its public checks), `starter/` (what you \
            complete), `types/` and `.luarc.json` (completion and checking in editors that use \
            lua-language-server). Work here: `cp starter/\(answers[0]) .`, edit `\(answers[0])`, then run \
            `hyperlab check` in this folder: with no arguments it checks `./\(answers[0])` with the public \
            checks, exactly as the grader runs them. Hidden checks run only when your work is graded.
            """))
        f.addFile(lab.file, as: root + "lab.lua")
        try addStarter(lab, to: &f, as: root + "starter/")
        try addEditorSupport(to: &f, root: root)
        return f
    }

    static func addStarter(_ lab: LabLocation, to f: inout PackageFiles, as prefix: String) throws {
        let starter = (lab.directory as NSString).appendingPathComponent("starter")
        guard f.addFolder(starter, as: prefix) > 0 else {
            throw UsageError("\(lab.directory) has no starter/: students need the files they complete (starter/answer.lua)")
        }
    }

    static func addEditorSupport(to f: inout PackageFiles, root: String) throws {
        for t in try APIDocs.generate().types {
            f.add(root + "types/" + (t.file as NSString).lastPathComponent, text: t.text)
        }
        f.add(root + ".luarc.json", text: """
            {
              "runtime.version": "Lua 5.4",
              "workspace.library": ["types"],
              "workspace.checkThirdParty": false,
              "diagnostics.globals": ["lab", "check", "expect", "partial"]
            }

            """)
    }

    /// The handout with its paths made to match the package: `labs/NAME` (the
    /// repository's layout) becomes `.`, and `intro` says what the package holds.
    /// With `answersAtTop` (a repository whose answer.lua sits at its top, no starter/),
    /// "Copy `starter/` to a folder of your own and fill in" becomes "Fill in", and
    /// `--submission my-answer/` becomes `--submission .`.
    static func handout(_ lab: LabLocation, answersAtTop: Bool = false, intro: String) -> String {
        let path = (lab.directory as NSString).appendingPathComponent("README.md")
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# \(lab.name)\n"
        for form in ["labs/\(lab.name)/", "labs/\(lab.name)"] { text = text.replacingOccurrences(of: form, with: ".") }
        text = text.replacingOccurrences(of: "./ --", with: ". --")
        if answersAtTop {
            // "Copy `starter/` to a folder of your own[, say `my-answer/`,] [and ]fill in"
            let copy = try! NSRegularExpression(pattern: #"Copy `starter/` to a folder of your own(?:, say `[^`]*`,)? (?:and )?(\w)"#)
            while let m = copy.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let whole = Range(m.range, in: text), let letter = Range(m.range(at: 1), in: text) {
                text.replaceSubrange(whole, with: text[letter].uppercased())
            }
            text = text.replacingOccurrences(of: #"--submission my-answer/?"#, with: "--submission .", options: .regularExpression)
        }
        // after the title, so the handout still opens with it
        if text.hasPrefix("#"), let nl = text.firstIndex(of: "\n") {
            return String(text[...nl]) + "\n" + intro + "\n" + text[text.index(after: nl)...]
        }
        return intro + "\n\n" + text
    }
}

/// A GitHub Classroom template repository: the student package's files with answer.lua
/// at the top (students edit it and push), a workflow that grades every push with the
/// public checks, and the binary. GitHub Classroom has no hidden tests (students own the
/// repository), so hidden/ is left out; grade hidden checks with `grade-many` later.
public enum ClassroomPackage {
    public static func build(_ p: PackInputs) throws -> PackageFiles {
        var f = PackageFiles()
        let answers = SubmissionChoice.answerFiles(of: p.lab)
        f.add("README.md", text: StudentPackage.handout(p.lab, answersAtTop: true, intro: """
            > **This repository:** edit `\(answers.joined(separator: ", "))`, commit and push: GitHub Actions \
            grades every push with the lab's public checks (the Actions tab shows each check and your \
            points). `lab.lua` is the lab; `types/` and `.luarc.json` give editor completion. To check \
            before pushing, run `hyperlab check` here (no arguments), or `sh .hyperlab/grade`.
            """))
        f.addFile(p.lab.file, as: "lab.lua")
        try StudentPackage.addStarter(p.lab, to: &f, as: "")
        try StudentPackage.addEditorSupport(to: &f, root: "")
        f.add(".hyperlab/hyperlab.gz", p.binaryGz)
        f.add(".hyperlab/grade", text: gradeScript(timeout: p.timeout), executable: true)
        f.add(".github/workflows/classroom.yml", text: workflow(timeout: p.timeout))
        f.add(".gitignore", text: "/report.html\n")
        return f
    }

    static func gradeScript(timeout: Double) -> String {
        """
        #!/bin/sh
        # Grades this repository's work with the lab's public checks. On GitHub Actions the
        # step output `result` carries GitHub Classroom's runner result (read by the grading
        # reporter), and annotations and a job summary show each check. Exit 0 once results
        # are written: the reporter fails the job when a check did not pass.
        set -eu
        cd "$(dirname "$0")/.."
        BIN="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/hyperlab-$$"
        gzip -dc .hyperlab/hyperlab.gz > "$BIN"
        chmod 755 "$BIN"
        exec "$BIN" grade . --submission . --timeout \(JSON.number(timeout)) --format github --exit-zero

        """
    }

    static func workflow(timeout: Double) -> String {
        let minutes = Int((timeout / 60).rounded(.up)) + 2
        return """
            # GitHub Classroom autograding: the HyperLab step hands its result to Classroom's
            # grading reporter, which posts the points Classroom records.
            name: Autograding Tests
            on: [push, workflow_dispatch, repository_dispatch]
            permissions:
              checks: write
              actions: read
              contents: read
            jobs:
              run-autograding-tests:
                runs-on: ubuntu-22.04
                if: github.actor != 'github-classroom[bot]'
                steps:
                  - name: Checkout code
                    uses: actions/checkout@v4
                  - name: HyperLab checks
                    id: hyperlab
                    timeout-minutes: \(minutes)
                    run: sh .hyperlab/grade
                  - name: Autograding Reporter
                    uses: classroom-resources/autograding-grading-reporter@v1
                    env:
                      HYPERLAB_RESULTS: "${{ steps.hyperlab.outputs.result }}"
                    with:
                      runners: hyperlab

            """
    }
}
