import ArgumentParser
import Foundation
import LabGrading
import LabRuntime

@main
struct Hyperlab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hyperlab",
        abstract: "Run and grade virtualization labs on a simulated datacenter.",
        discussion: """
            Exit codes: 0 every check passed (top: quit with q), 1 a check failed (shell without a terminal: a line failed), 2 the lab script failed \
            (top: no terminal, or nothing recorded), \
            3 a file could not be written (pack; grade-many: a result), 4 the command was used wrongly, \
            124 grade-many's global time budget ran out, 128+N interrupted by signal N (results are still written).
            """,
        version: Engine.version,
        subcommands: [RunCommand.self, TopCommand.self, ShellCommand.self, CheckCommand.self, GradeCommand.self, GradeManyCommand.self, LintCommand.self, PackCommand.self, VerifyCommand.self, DocsCommand.self])

    /// Parses and runs, with usage errors as exit code 4 (ArgumentParser's default is 64).
    static func main() {
        // the worker: the binary re-executed by the grading commands
        if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "__worker" {
            Foundation.exit(WorkerMain.run(CommandLine.arguments[2]))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let usage as UsageError {
            FileHandle.standardError.write(Data("hyperlab: \(usage.message)\n".utf8))
            Foundation.exit(4)
        } catch let io as OutputError {
            FileHandle.standardError.write(Data("hyperlab: \(io.message)\n".utf8))
            Foundation.exit(3)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(4)
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case pretty, json
}

/// `--param name=value`, repeatable.
func parseParams(_ items: [String]) throws -> [String: String] {
    var params: [String: String] = [:]
    for item in items {
        guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
            throw UsageError("--param \(item): use --param name=value")
        }
        params[String(item[..<eq])] = String(item[item.index(after: eq)...])
    }
    return params
}

func isTerminal() -> Bool { isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }
