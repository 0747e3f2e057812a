import HyperModel
import LuaKit

/// Converts the model's refusals into Lua errors with the same message.
func model<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ModelError { throw LuaError(e.message) }
}

extension LabAPI {
    func labModule(submission: Bool) -> LuaModuleDecl {
        var fns: [LuaFunctionDecl] = [
            seedFunction(), paramFunction(), profileFunction(), datastoreFunction(), hostFunction(), clusterFunction(),
            listFunction("hosts", "Every host, in creation order.", "lab.Host[]") { c in c.pushArray(self.world(c).hosts) { c.push($0, self.host) } },
            listFunction("vms", "Every VM, in creation order.", "lab.VM[]") { c in c.pushArray(self.world(c).vms) { c.push($0, self.vm) } },
            listFunction("datastores", "Every datastore, in creation order.", "lab.Datastore[]") { c in
                c.pushArray(self.world(c).datastores) { c.push($0, self.datastore) }
            },
        ]
        fns.append(LuaFunctionDecl(
            "size_of", doc: "Bytes from a number or a size string such as \"1.5 GiB\"; nil when the value is neither (written in Lua).",
            params: [LuaParam("value", "any")], returns: [LuaParam("", "integer?")], body: nil))
        if !submission {
            fns.append(LuaFunctionDecl(
                "answer_bytes",
                doc: "Inside a check: `answer[name]` as bytes; a missing answer or one that is not a size fails the check with a message naming M.<name> (written in Lua). Same as `lab.answer(answer, name, \"bytes\")`.",
                params: [LuaParam("answer", "table"), LuaParam("name", "string")], returns: [LuaParam("", "integer")], body: nil))
            fns.append(LuaFunctionDecl(
                "answer",
                doc: "Inside a check: `answer[name]` as a number in `unit` (a size, duration, CPU speed, rate or percentage given as a number or a string such as \"2 GHz\"); a missing answer or one of the wrong kind (\"a duration was asked, you gave a size\") fails the check with a message naming M.<name>. With \"function\", \"table\", \"string\" or \"boolean\" instead of a unit, the answer must be of that Lua type (\"M.f: a function was asked, got 42\"). Without a unit, the answer as it is, which must be set (written in Lua).",
                params: [LuaParam("answer", "table"), LuaParam("name", "string"),
                         LuaParam("unit", "\"bytes\"|\"seconds\"|\"MHz\"|\"%\"|\"bytes/s\"|\"cycles\"|\"count\"|\"fraction\"|\"number\"|\"function\"|\"table\"|\"string\"|\"boolean\"", "", optional: true)],
                returns: [LuaParam("", "any")], body: nil))
        }
        fns.append(imageFunction())
        fns.append(podFunction())
        fns.append(schedulerFunction())
        fns.append(isaFunction())
        fns.append(balloonPolicyFunction())
        fns.append(drsPolicyFunction())
        fns.append(desktopPoolFunction())
        fns += timeFunctions()
        fns += alarmFunctions()
        fns += unitFunctions()
        if !submission {
            fns.append(submissionFunction())
            fns.append(operateFunction())
            fns += feedbackFunctions()
            fns.append(reportFunction())
        }
        return LuaModuleDecl(
            "lab",
            doc: "The lab API: build a simulated datacenter, make guests work, run time, and read metrics. Also `require \"hyperlab\"`.",
            functions: fns, submodules: [workloadModule(), formatModule()])
    }

    private func listFunction(_ name: String, _ doc: String, _ type: String, _ push: @escaping (LuaCall) -> Void) -> LuaFunctionDecl {
        LuaFunctionDecl(name, doc: doc, returns: [LuaParam("", type)]) { call in
            push(call)
            return 1
        }
    }

    private func seedFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "seed", doc: "Sets the seed every random choice derives from (default 1). `--seed N` overrides it. Call it before building hosts.",
            params: [LuaParam("n", "integer", "A whole number of 0 or more.")]
        ) { [unowned(unsafe) self] call in
            try self.session.refuseFromSubmission(call.state, "lab.seed")
            let n = try call.integer(1, "n", range: Int64.min...Int64.max)
            guard n >= 0 else { throw LuaError("lab.seed: n \(n) is not a seed (use a whole number of 0 or more)") }
            try self.session.setScriptSeed(UInt64(n))
            return 0
        }
    }

    private func paramFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "param", doc: "A lab parameter: the value of `--param name=value` on the command line, converted to the type of `default`, else `default`.",
            params: [LuaParam("name", "string", "Parameter name."), LuaParam("default", "number|string|boolean", "Value when not given.", optional: true)],
            returns: [LuaParam("", "number|string|boolean")]
        ) { [unowned(unsafe) self] call in
            try self.session.refuseFromSubmission(call.state, "lab.param")
            let name = try call.string(1, "name")
            if !self.session.paramsAsked.contains(name) { self.session.paramsAsked.append(name) }
            let def = call.value(2)
            guard let given = self.session.options.params[name] else {
                if def.isNil { throw LuaError("lab.param: parameter \"\(name)\" was not given (--param \(name)=...) and has no default") }
                call.pushValue(2)
                return 1
            }
            switch def {
            case .integer:
                guard let n = Int64(given) else { throw LuaError("lab.param: \(name)=\"\(given)\" is not a whole number") }
                call.push(n)
            case .number:
                guard let d = Double(given) else { throw LuaError("lab.param: \(name)=\"\(given)\" is not a number") }
                call.push(d)
            case .boolean:
                guard given == "true" || given == "false" else { throw LuaError("lab.param: \(name)=\"\(given)\" is not true or false") }
                call.push(given == "true")
            default:
                call.push(given)
            }
            return 1
        }
    }

    private func profileFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "profile", doc: "Chooses the hypervisor profile before building hosts: its default scheduler and reclaimers.",
            params: [LuaParam("name", "\"esxi\"|\"xen\"|\"kvm\"", "The profile (default \"esxi\"): esxi — esx scheduler, TPS, ballooning, compression cache, .vswp files; xen — credit scheduler, every page populated at creation, balloon targets set by `vm:mem_set`, no sharing, compression or host swap; kvm — cfs scheduler, KSM, virtio-balloon, zswap and a host swap device.")]
        ) { [unowned(unsafe) self] call in
            let name = try call.string(1, "name")
            guard let p = Profile(rawValue: name) else {
                throw LuaError("lab.profile: \"\(name)\" is not a profile (available: \(Profile.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")))")
            }
            try model { try self.world(call).setProfile(p) }
            return 0
        }
    }

    private func datastoreFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "datastore", doc: "Creates a datastore.", params: [LuaParam("options", "lab.DatastoreOptions")],
            returns: [LuaParam("", "lab.Datastore")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.datastore"
            let o = try call.options(1, LabAPI.datastoreOptions, context: ctx)
            let name = try o.string("name")!
            let capacity = try Quantity.bytes(o["capacity"], ctx, "capacity")
            var kind = DatastoreKind.ssd
            if let k = try o.string("kind") {
                guard let parsed = DatastoreKind(rawValue: k) else {
                    throw o.bad("kind", o["kind"], expected: "a datastore kind", hint: "use \"ssd\", \"hdd\", \"san\" or \"nfs\"")
                }
                kind = parsed
            }
            let rate = o.has("write_rate") ? try Quantity.rate(o["write_rate"], ctx, "write_rate") : nil
            let ds = try model { try self.world(call).addDatastore(name: name, capacity: capacity, kind: kind, writeRate: rate) }
            call.push(ds, self.datastore)
            return 1
        }
    }

    private func hostFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "host", doc: "Creates a host. Over-commitment is allowed: VMs may be configured with more vCPUs and memory than it has.",
            params: [LuaParam("options", "lab.HostOptions")], returns: [LuaParam("", "lab.Host")]
        ) { [unowned(unsafe) self] call in
            let ctx = "lab.host"
            let o = try call.options(1, LabAPI.hostOptions, context: ctx)
            let name = try o.string("name")!
            let cpus = try Quantity.positiveInteger(o["cpus"], ctx, "cpus", range: 1...1024)
            let mhz = o.has("mhz") ? try Quantity.mhz(o["mhz"], ctx, "mhz") : 2400
            let memory = try Quantity.bytes(o["memory"], ctx, "memory")
            let stores: [Datastore] = try (o.array("datastores") ?? []).map { v in
                guard case .object(let obj, let t) = v, t == call.state.typeID(of: self.datastore) else {
                    throw o.bad("datastores", v, expected: "a Datastore", hint: "make them with lab.datastore{...}")
                }
                return obj as! Datastore
            }
            var kind: SchedulerKind?
            var policy: LuaPolicy?
            switch o["scheduler"] {
            case .none, .nil: break
            case .string(let s): kind = try LabAPI.schedulerKind(s, ctx)
            case .object(let p, let t) where t == call.state.typeID(of: self.policy): policy = (p as! LuaPolicy)
            case let v: throw o.bad("scheduler", v, expected: "a scheduler", hint: "use a name such as \"esx\" or a policy from lab.scheduler{...}")
            }
            var hostSpec = HostSpec(name: name, cpus: cpus, mhz: mhz, memory: memory, datastores: stores)
            if o.has("passthrough_devices") {
                hostSpec.passthroughDevices = try Quantity.positiveInteger(o["passthrough_devices"], ctx, "passthrough_devices", range: 0...64)
            }
            if let hv = try o.string("hypervisor") {
                guard let t = HypervisorType(rawValue: hv) else {
                    throw o.bad("hypervisor", o["hypervisor"], expected: "a hypervisor type", hint: "use \"type1\", \"type2\" or \"none\" (a Linux machine for containers)")
                }
                hostSpec.hypervisor = t
            }
            if let g = try o.string("cpu_generation") {
                hostSpec.cpuGeneration = try model { try CPUGeneration.parse(g, ctx, "cpu_generation") }
            }
            if let cg = try o.string("cgroup") {
                guard let v = CgroupVersion(rawValue: cg) else { throw o.bad("cgroup", o["cgroup"], expected: "a cgroup version", hint: "use \"v2\" or \"v1\"") }
                guard hostSpec.hypervisor == .none else { throw LuaError("\(ctx): cgroup is a setting of a Linux node (hypervisor = \"none\"); a VM guest's is vm.guest.kernel.cgroup") }
                hostSpec.linux.cgroup = v
            }
            if o.has("swap") {
                guard hostSpec.hypervisor == .none else { throw LuaError("\(ctx): swap is a setting of a Linux node (hypervisor = \"none\")") }
                hostSpec.linux.swap = try Quantity.bytes(o["swap"], ctx, "swap", allowZero: true)
            }
            let spec = hostSpec
            let h = try model {
                let h = try self.world(call).addHost(spec, scheduler: kind)
                if let policy { try h.setPolicy(policy) }
                return h
            }
            call.push(h, self.host)
            return 1
        }
    }

    static func schedulerKind(_ s: String, _ ctx: String) throws -> SchedulerKind {
        guard let k = SchedulerKind(rawValue: s), k != .policy else {
            throw LuaError(
                "\(ctx): scheduler \"\(s)\" is not a scheduler\(Suggest.didYouMean(s, SchedulerKind.names)) (available: \(SchedulerKind.names.map { "\"\($0)\"" }.joined(separator: ", ")); or a policy from lab.scheduler{...})")
        }
        return k
    }

    private func clusterFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "cluster", doc: "Groups hosts into a cluster.", params: [LuaParam("options", "lab.ClusterOptions")],
            returns: [LuaParam("", "lab.Cluster")]
        ) { [unowned(unsafe) self] call in
            let o = try call.options(1, LabAPI.clusterOptions, context: "lab.cluster")
            let name = try o.string("name")!
            let hosts: [Host] = try (o.array("hosts") ?? []).map { v in
                guard case .object(let obj, let t) = v, t == call.state.typeID(of: self.host) else {
                    throw o.bad("hosts", v, expected: "a Host")
                }
                return obj as! Host
            }
            let evc = try o.string("evc").map { g in try model { try CPUGeneration.parse(g, "lab.cluster \(name)", "evc") } }
            let c = try model { try self.world(call).addCluster(name: name, hosts: hosts, evc: evc) }
            call.push(c, self.cluster)
            return 1
        }
    }
}
