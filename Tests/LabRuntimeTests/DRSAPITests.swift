import Testing
@testable import LabRuntime

/// Two 10 GHz hosts on shared storage in cluster `c`, at loads 0.8 and 0.2 (scenario 48
/// of datacenter-facts §7) from running guests.
let drsWorld = #"""
    local ds = lab.datastore{ name = "san", capacity = "10 TiB", kind = "san" }
    local h1 = lab.host{ name = "esx01", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
    local h2 = lab.host{ name = "esx02", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
    local c = lab.cluster{ name = "prod", hosts = { h1, h2 } }
    local function vm(name, h, vcpus, threads, load)
      local v = h:create_vm{ name = name, vcpus = vcpus, memory = "4 GiB" }
      v:power_on()
      v:run(lab.workload.cpu{ threads = threads, load = load })
      return v
    end
    local big = vm("big", h1, 2, 2, 0.6)
    local a2, a3, b1 = vm("a2", h1, 1, 1, 1.0), vm("a3", h1, 1, 1, 1.0), vm("b1", h2, 1, 1, 0.8)

    """#

@Suite("DRS from Lua: bad input, recommendations, policies")
struct DRSAPITests {
    /// Each bad input is a clear error naming the object, the field, the value and what
    /// is allowed, and nothing changes (issue 14, "Bad input").
    @Test(arguments: [
        ("c:enable_drs{ threshold = 7 }", "Cluster(prod):enable_drs: threshold 7 is not allowed (use 1 (conservative, mandatory moves only) to 5 (aggressive))"),
        ("c:enable_drs{ threshold = 0 }", "threshold 0 is not allowed"),
        ("c:enable_drs{ automation = \"auto\" }", "Cluster(prod):enable_drs: automation \"auto\" is not allowed (use \"manual\", \"partially\", \"fully\")"),
        ("c:enable_drs{ interval = \"five\" }", "Cluster(prod):enable_drs: interval \"five\" is not a duration"),
        ("c:enable_drs{ interval = 0 }", "interval 0 is not a duration of more than 0 s"),
        ("c:enable_drs{ treshold = 2 }", "Cluster(prod):enable_drs: unknown option 'treshold' (did you mean 'threshold'?)"),
        ("c:enable_drs{ reading = \"C\" }", "reading \"C\" is not allowed (use \"A\", \"B\")"),
        ("c:enable_drs{ over = 0.3, under = 0.5 }", "over 0.3 and under 0.5 are not allowed"),
        ("c:enable_drs{ threshold = 2.5 }", "Cluster(prod):enable_drs: threshold 2.5 is not a whole number"),
    ])
    func badSettingsChangeNothing(code: String, message: String) {
        let r = runLab(drsWorld + """
            check("refused", function()
              local ok, err = pcall(function() \(code) end)
              expect(ok):to_be_false()
              print(err)
              expect(err):to_match(\(luaString(message)))
              expect(c.drs.enabled, "DRS on"):to_be_false()
              expect(c.drs.threshold):to_equal(3)
            end)
            """)
        #expect(r.check("refused")?.status == .passed, "\(code): \(r.check("refused")?.output ?? "") \(r.check("refused")?.message ?? "")")
    }

    /// Rules: VMs of another cluster, a contradiction of a must rule, unknown kinds, and
    /// a stale recommendation are refused with nothing created or applied.
    @Test func badRulesAndStaleRecommendations() {
        let r = runLab(drsWorld + #"""
            local h3 = lab.host{ name = "esx03", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
            local other = lab.cluster{ name = "test", hosts = { h3 } }
            local x = h3:create_vm{ name = "x", memory = "1 GiB" }
            c:enable_drs{ automation = "manual" }
            check("another cluster's VM", function()
              expect(function() c:add_rule{ name = "r", kind = "vm-anti-affinity", vms = { big, x } } end)
                :to_error("Cluster%(prod%):add_rule r: vms: VM%(x%) runs on esx03, which is not in cluster prod")
              expect(#c.rules, "rules"):to_equal(0)
            end)
            check("contradicting a must rule", function()
              c:add_rule{ name = "lic", kind = "vm-host", vms = { big }, hosts = { h1 }, must = true }
              expect(function() c:add_rule{ name = "lic2", kind = "vm-host", vms = { big }, hosts = { h2 }, must = true } end)
                :to_error("VM%(big%) could run on no host: the required vm%-host rules lic, lic2 leave no host in common")
              c:add_rule{ name = "pin", kind = "vm-host", vms = { a2 }, hosts = { h2 }, must = true }
              expect(function() c:add_rule{ name = "tog", kind = "vm-affinity", vms = { big, a2 } } end)
                :to_error("contradicts a required rule: tog keeps big, a2 together")
              expect(#c.rules, "rules"):to_equal(2)
            end)
            check("unknown kind", function()
              expect(function() c:add_rule{ name = "k", kind = "affinity", vms = { big, a2 } } end)
                :to_error("kind \"affinity\" is not a rule kind %(use \"vm%-affinity\", \"vm%-anti%-affinity\", \"vm%-host\"%)")
            end)
            check("stale recommendation", function()
              lab.run_for("5 min")
              local recs = c.drs.recommendations
              expect(#recs, "recommendations", "count"):to_be_at_least(1)
              c.drs:run()
              expect(function() c.drs:apply(recs[1]) end):to_error("is stale")
              c.drs:apply(c.drs.recommendations[1])
              expect(function() c.drs:apply(c.drs.recommendations[1] or recs[1]) end):to_error("stale")
            end)
            """#)
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
        #expect(r.scriptError == nil)
    }

    /// A balancing policy a student wrote moves VMs by vMotion; its invalid moves are
    /// refused one by one with a message naming what is wrong, the valid ones run.
    @Test func aPolicyMovesAndIsChecked() {
        let r = runLab(drsWorld + #"""
            local answer = lab.submission("answer.lua")
            c:enable_drs{}
            c.drs.policy = answer.balancer
            lab.run_for(330)
            check("moved", function()
              expect(big.host.name):to_equal("esx02")
              expect(#lab.events{ kind = "drs.migrate" }, "moves", "count"):to_equal(1)
            end)
            check("refused moves named", function()
              local p = c.drs.policy_problems
              local all = {}
              for _, x in ipairs(p) do all[#all + 1] = x.message end
              local text = table.concat(all, "\n")
              print(text)
              expect(text):to_match("move 2 %(ghost → esx02%) refused: no VM named ghost runs in cluster prod")
              expect(p[1].kind .. " " .. p[1].move .. " " .. p[1].vm .. " " .. p[1].to):to_equal("unknown-vm 2 ghost esx02")
              expect(p[2].kind):to_equal("unknown-host")
              expect(p[3].kind):to_equal("refused")
              expect(text):to_match("move 3 %(a2 → nowhere%) refused: no host named nowhere in cluster prod")
              expect(text):to_match("move 4 %(big → esx01%) refused: big is already moved by an earlier move of this answer")
              expect(text):to_match("move 5 %(b1 → esx02%) refused: b1 already runs on esx02")
            end)
            """#, submission: ["answer.lua": #"""
            return { balancer = lab.drs_policy{ name = "greedy", plan = function(view)
              if view.now > 301 then return {} end
              return { { vm = "big", to = "esx02" }, { vm = "ghost", to = "esx02" }, { vm = "a2", to = "nowhere" },
                       { vm = "big", to = "esx01" }, { vm = "b1", to = "esx02" } }
            end } }
            """#])
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
        #expect(r.scriptError == nil)
    }

    /// A misbehaving policy (an error, a wrong type, an endless loop, a huge answer)
    /// makes no move and fails the checks that depend on it, never the run.
    @Test(arguments: [
        ("error", "error('oops')", "error: balancing policy bad failed: answer.lua:1: oops"),
        ("type", "return 42", "result: balancing policy bad: plan must return a list of moves"),
        ("element", "return { 7 }", "result: balancing policy bad: move 1 is 7, not a move { vm = \"name\", to = \"host name\" }"),
        ("loop", "while true do end", "limit: balancing policy bad failed: answer.lua:1: instruction limit exceeded"),
        ("huge", "local t = {} for i = 1, 200000 do t[i] = { vm = 'big', to = 'esx02' } end return t", "too-many: balancing policy bad: plan returned 200000 moves"),
        ("many", "local t = {} for i = 1, 20 do t[i] = { vm = 'big', to = 'esx02' } end return t", "too-many: balancing policy bad returned 20 moves; at most 8 are possible"),
        ("change", "lab.host{ name = 'sneaky', cpus = 1, memory = '1 GiB' } return {}", "error: balancing policy bad failed: answer.lua:1: lab.host: cannot change the datacenter"),
    ])
    func aMisbehavingPolicyFailsItsChecksNotTheRun(name: String, body: String, message: String) {
        let r = runLab(drsWorld + #"""
            local answer = lab.submission("answer.lua")
            c:enable_drs{}
            c.drs.policy = answer.balancer
            lab.run_for("11 min")
            check("the policy worked", function()
              local p = c.drs.policy_problems
              if #p > 0 then lab.feedback(p[1].kind .. ": " .. p[1].message) print(p[1].kind .. ": " .. p[1].message) end
              expect(#p, "policy problems", "count"):to_equal(0)
            end)
            check("the run goes on", function() expect(lab.now(), "time", "seconds"):to_equal(660) end)
            check("no move was made", function()
              expect(#lab.events{ kind = "drs.migrate" }, "moves", "count"):to_equal(0)
              expect(big.host.name):to_equal("esx01")
            end)
            """#, submission: ["answer.lua": "return { balancer = lab.drs_policy{ name = 'bad', plan = function(view) \(body) end } }"])
        #expect(r.scriptError == nil, "\(name): \(r.scriptError ?? "")")
        #expect(r.check("the policy worked")?.status == .failed, "\(name)")
        let out = r.check("the policy worked")?.output ?? ""
        #expect(out.contains(message), "\(name): \(out)")
        #expect(r.check("the run goes on")?.status == .passed, "\(name)")
        #expect(r.check("no move was made")?.status == .passed, "\(name)")
    }
}

/// A Lua string literal for `s`, its pattern characters escaped for to_match.
func luaString(_ s: String) -> String {
    var out = ""
    for ch in s {
        if "().%+-*?[]^$".contains(ch) { out += "%" }
        if ch == "\"" || ch == "\\" { out += "\\" }
        out.append(ch)
    }
    return "\"" + out + "\""
}
