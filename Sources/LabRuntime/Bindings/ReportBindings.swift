import HyperModel
import LuaKit

/// `lab.report{...}`: the lab author says what its report is about, instead of leaving it
/// to the objects its checks read.
extension LabAPI {
    static let reportOptions = LuaRecord(
        "lab.ReportOptions", doc: "What the HTML report and `hyperlab run`'s VM panels show.",
        fields: [
            LuaParam("hosts", "lab.Host[]", "Hosts to draw: their memory (and reclaimed memory) and CPU use.", optional: true),
            LuaParam("vms", "lab.VM[]", "VMs to draw: their CPU states and memory, and their summary panels in `hyperlab run`.", optional: true),
            LuaParam("datastores", "lab.Datastore[]", "Datastores to draw: used, provisioned and capacity.", optional: true),
            LuaParam("charts", "(\"cpu\"|\"memory\"|\"storage\")[]",
                     "Which sides of the named objects to draw (default all: memory and CPU of hosts and VMs, space of datastores).",
                     optional: true),
        ])

    func reportFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "report",
            doc: """
                Names what the HTML report (`run --report html:FILE`, `grade --format html`) draws and which VMs `hyperlab run` \
                shows panels for, instead of the hosts, VMs and datastores whose metrics the lab's code read (its checks and \
                the code that works out what they compare). Named objects are drawn even when their values never change. Call it again to add more. Names given in a hidden/ script appear in the author's \
                view only.
                """,
            params: [LuaParam("options", "lab.ReportOptions")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.report"
            let o = try call.options(1, LabAPI.reportOptions, context: ctx)
            var aspects = ReportAspects.all
            if let list = try o.array("charts") {
                aspects = []
                for v in list {
                    guard case .string(let s) = v, let a = ReportAspects.names.first(where: { $0.0 == s })?.1 else {
                        throw o.bad("charts", v, expected: "a chart kind", hint: "use \"cpu\", \"memory\" or \"storage\"")
                    }
                    aspects.formUnion(a)
                }
            }
            // every object is checked before any is named, so a bad list changes nothing
            func objects<T: AnyObject>(_ key: String, _ cls: LuaClass<T>, _ what: String) throws -> [T] {
                try (o.array(key) ?? []).map { v in
                    guard case .object(let obj, let t) = v, t == call.state.typeID(of: cls) else {
                        throw o.bad(key, v, expected: "a \(what)", hint: "give a list such as { \(key == "vms" ? "web01, web02" : "a, b") }")
                    }
                    return unsafeDowncast(obj, to: T.self)
                }
            }
            let hosts = try objects("hosts", self.host, "Host")
            let vms = try objects("vms", self.vm, "VM")
            let stores = try objects("datastores", self.datastore, "Datastore")
            guard !(hosts.isEmpty && vms.isEmpty && stores.isEmpty) else {
                throw LuaError("\(ctx): name at least one of hosts, vms or datastores")
            }
            let hidden = self.session.inHiddenScripts
            for h in hosts { self.session.focus.name(h, aspects.subtracting(.storage), hidden: hidden) }
            for v in vms { self.session.focus.name(v, aspects.subtracting(.storage), hidden: hidden) }
            for d in stores { self.session.focus.name(d, aspects.intersection(.storage), hidden: hidden) }
            return 0
        }
    }
}
