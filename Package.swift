// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HyperLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hyperlab", targets: ["hyperlab"]),
        .library(name: "HyperModel", targets: ["HyperModel"]),
        .library(name: "LuaKit", targets: ["LuaKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Lua 5.4 from the system; only non-raising helpers are declared in its header.
        .systemLibrary(
            name: "CLua", path: "Sources/CLua", pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]),
        // Everything that may call lua_error lives here, in C.
        .target(name: "CLuaShim", dependencies: ["CLua"], path: "Sources/CLuaShim"),
        .target(name: "LuaKit", dependencies: ["CLua", "CLuaShim"], path: "Sources/LuaKit"),
        // a cache prefetch hint for the model's hot loops (no Lua here)
        .target(name: "CPrefetch", path: "Sources/CPrefetch"),
        .target(name: "HyperModel", dependencies: ["CPrefetch"], path: "Sources/HyperModel"),
        // hyperlab shell's line editor and history (no terminal code)
        .target(name: "LineEdit", path: "Sources/LineEdit"),
        .executableTarget(name: "EmbedLua", path: "Sources/EmbedLua"),
        .plugin(
            name: "EmbedStdlibPlugin", capability: .buildTool(),
            dependencies: ["EmbedLua"], path: "Sources/EmbedStdlibPlugin"),
        .target(
            name: "LabRuntime", dependencies: ["LuaKit", "HyperModel"], path: "Sources/LabRuntime",
            plugins: ["EmbedStdlibPlugin"]),
        // hyperlab top: frames recorded from the model, panels, batch CSV (no terminal code)
        .target(name: "HyperTop", dependencies: ["HyperModel"], path: "Sources/HyperTop"),
        .target(name: "LabGrading", dependencies: ["LabRuntime", "HyperModel", "LuaKit"], path: "Sources/LabGrading"),
        .executableTarget(
            name: "hyperlab",
            dependencies: [
                "LabGrading", "LabRuntime", "HyperTop", "LineEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/hyperlab"),
        .executableTarget(
            name: "HyperLabBench", dependencies: ["LabGrading", "LabRuntime", "HyperModel"],
            path: "bench/Sources/HyperLabBench"),
        .executableTarget(name: "TopBench", dependencies: ["HyperTop", "HyperModel"], path: "bench/TopBench"),
        .testTarget(name: "LuaKitTests", dependencies: ["LuaKit", "CLua"], path: "Tests/LuaKitTests"),
        .testTarget(name: "HyperModelTests", dependencies: ["HyperModel"], path: "Tests/HyperModelTests"),
        .testTarget(name: "HyperTopTests", dependencies: ["HyperTop", "HyperModel"], path: "Tests/HyperTopTests"),
        .testTarget(
            name: "LabRuntimeTests", dependencies: ["LabRuntime", "LuaKit", "HyperModel"],
            path: "Tests/LabRuntimeTests"),
        .testTarget(
            name: "ShellTests", dependencies: ["LineEdit", "LabRuntime", "LuaKit", "HyperModel"],
            path: "Tests/ShellTests"),
        .testTarget(
            name: "LabGradingTests", dependencies: ["LabGrading", "LabRuntime", "HyperModel", "hyperlab"],
            path: "Tests/LabGradingTests"),
    ]
)
