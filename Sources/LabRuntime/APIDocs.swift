import HyperModel
import LuaKit

/// The API reference (docs/api.md) and the LuaCATS types (stdlib-lua/types/*.lua),
/// generated from the binding declarations by `hyperlab docs`.
public enum APIDocs {
    /// The type files by area, so each stays readable.
    static let typeFiles: [(file: String, classes: [String])] = [
        ("stdlib-lua/types/infrastructure.lua",
         ["Host", "HostCPU", "HostMemory", "Reclaim", "PageSharing", "Balloon", "Compression", "HostSwap", "BalloonPolicy",
          "Scheduler", "Policy", "Datastore", "Cluster", "ISA"]),
        ("stdlib-lua/types/vm.lua", ["VM", "VMCPU", "VMMemory", "Guest", "Disk", "Migration"]),
        ("stdlib-lua/types/workloads-and-checks.lua", []),
    ]

    /// docs/api.md, then each LuaCATS file with its path.
    public static func generate() throws -> (markdown: String, types: [(file: String, text: String)]) {
        let session = try LabSession(options: LabOptions(labFile: "", labDirectory: ""))
        var api = session.api.documentedAPI
        api.classes.append(expectation)
        let docs = LuaDocs(
            api: api, namespace: "lab.", title: "HyperLab Lua API reference",
            intro: """
                Everything a lab script or a submission can call. Quantities go in as numbers in base units \
                (bytes, seconds, MHz, bytes/s, percent) or as strings with units ("4 GiB", "50 ms", "2.4 GHz", \
                "200 MB/s", "65%"; KB/MB/GB are binary, as in vSphere) and come out as numbers in base units. \
                Every bad argument raises an error at the caller's file:line that names the function, the field, \
                the value and what is allowed, and changes nothing. See docs/writing-labs.md for how labs use it.
                """)
        return (docs.markdown() + catalogues(),
                docs.luaCATSFiles(main: "stdlib-lua/types/hyperlab.lua", groups: typeFiles, options: "stdlib-lua/types/options.lua"))
    }

    /// The names `lab.series` and `lab.events` take, from the model's own lists.
    static func catalogues() -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "## Metrics\n\nThe series `lab.series(object, metric)` reads, sampled every sample interval (`lab.sample_interval`, 20 s by default). Percentages are 0–100 per sample interval; sizes in bytes; rates in bytes per second.\n\n"
        for (title, entries) in [("VM", MetricCatalogue.vm), ("Host", MetricCatalogue.host)] {
            out += "### \(title) metrics\n\n| Metric | Unit | Meaning |\n|---|---|---|\n"
            for e in entries { out += "| `\(e.name)` | \(e.unit) | \(cell(e.meaning)) |\n" }
            out += "\n"
        }
        out += "`memory.state` is stored as a number: \(MetricCatalogue.stateEncoding). A series' `:mean()` of it is therefore not a state; read `h.memory.state` or the `memory.state` events for the state itself.\n\n"
        out += "## Event kinds\n\nWhat `lab.events{ kind = ... }` takes: a kind, or its category before the dot (\"memory\" selects every `memory.*` kind). Any other kind is refused.\n\n| Kind | Meaning |\n|---|---|\n"
        for k in EventKinds.all { out += "| `\(k.kind)` | \(cell(k.meaning)) |\n" }
        out += "\n## Alarm metrics and states\n\nWhat `lab.alarm{ metric = ... }` and `lab.alarm{ state = ... }` take, by target kind (docs/datacenter.md explains the model). Thresholds are in the metric's unit; a VM's and host's metrics are read from the sample just taken, so they are the numbers their series record.\n\n| Target | Metric | Unit | Meaning |\n|---|---|---|---|\n"
        for t in AlarmTarget.allCases {
            for m in AlarmMetrics.catalogue(t) where !m.meaning.hasPrefix("The `") {
                out += "| \(t.rawValue) | `\(m.name)` | \(m.unit) | \(cell(m.meaning)) |\n"
            }
        }
        out += "\nVMs and hosts also take every metric of their series above (`cpu.ready`, `memory.ballooned`…), in its unit.\n\n| Target | State | Values | Meaning |\n|---|---|---|---|\n"
        for t in AlarmTarget.allCases {
            for st in AlarmStates.catalogue(t) {
                out += "| \(t.rawValue) | `\(st.name)` | \(st.values.map { "`\($0)`" }.joined(separator: ", ")) | \(cell(st.meaning)) |\n"
            }
        }
        out += "\nActions on the object (`actions = { { run = ... } }`): \(AlarmActions.names(for: .vm).map { "`\($0)`" }.joined(separator: ", ")) on VMs; none yet on hosts (maintenance mode and standby come with DPM).\n"
        return out + "\n"
    }

    static var expectation: LuaDocClass {
        func m(_ name: String, _ doc: String, _ params: [LuaParam] = []) -> LuaFunctionDecl {
            LuaFunctionDecl(name, doc: doc, params: params, returns: [LuaParam("", "lab.Expectation")], body: nil)
        }
        let quantity = "number|string"
        return LuaDocClass(
            "Expectation", doc: "What `expect(value, label, unit)` returns; each matcher fails the check with expected and found values, in the declared unit. Students see only their own value unless the check's `reveal` says otherwise.",
            methods: [
                m("to_equal", "Equal (tables compared deeply).", [LuaParam("expected", "any")]),
                m("to_be_near", "Within `tolerance` (absolute, or relative as \"5%\").", [LuaParam("expected", quantity), LuaParam("tolerance", quantity)]),
                m("to_be_at_most", "At most `limit`.", [LuaParam("limit", quantity)]),
                m("to_be_at_least", "At least `limit`.", [LuaParam("limit", quantity)]),
                m("to_be_between", "Between `lo` and `hi` inclusive.", [LuaParam("lo", quantity), LuaParam("hi", quantity)]),
                m("to_be_true", "Exactly true."),
                m("to_be_false", "Exactly false."),
                m("to_be_nil", "nil."),
                m("to_be_set", "Anything but nil (an answer was given)."),
                m("to_be_a", "Of a Lua type: \"function\", \"table\", \"string\", \"number\" or \"boolean\" (a value of another type fails saying what it is).",
                  [LuaParam("kind", "string")]),
                m("to_contain", "A table holding `item`, or a string holding the substring.", [LuaParam("item", "any")]),
                m("to_match", "A string matching the Lua pattern.", [LuaParam("pattern", "string")]),
                m("to_error", "A function that raises an error (matching `pattern` when given).", [LuaParam("pattern", "string", "", optional: true)]),
                m("to_hash", "A value whose `lab.hash` is `hash` (\"sha256:…\"): checks an answer without revealing it; failures never show the expected value.",
                  [LuaParam("hash", "string")]),
            ])
    }
}
