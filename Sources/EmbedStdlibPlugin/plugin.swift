import Foundation
import PackagePlugin

/// Embeds stdlib-lua/*.lua (the engine's Lua library) into the LabRuntime target.
@main
struct EmbedStdlibPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let dir = context.package.directoryURL.appending(path: "stdlib-lua")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".lua") }.sorted()
        let inputs = names.map { dir.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedStdlib.swift")
        return [
            .buildCommand(
                displayName: "Embedding stdlib-lua (\(inputs.count) files)",
                executable: try context.tool(named: "EmbedLua").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
