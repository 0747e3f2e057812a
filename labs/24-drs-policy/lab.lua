-- Lab 24: a DRS balancing policy written by the student, graded against vCenter's DRS on
-- the same cluster: the balance it reaches, the moves it makes, and the rules it keeps.
-- Two copies of each cluster run side by side: one balanced by the built-in DRS, one by
-- the student's policy (DRS still makes its own mandatory moves in both).
local answer = lab.submission("answer.lua", { simulate = false })

local ds = lab.datastore{ name = "san", capacity = "100 TiB", kind = "san" }

-- A cluster from `spec`: hosts { cpus, mhz } (64 GiB each, fair-share CPU), VMs
-- { name, host, vcpus, load } running CPU-bound guests, rules { name, kind, vms, hosts,
-- must, avoid } (VM and host names), hosts that have failed (`failed`, by name). `tag`
-- prefixes every name. With `policy`, DRS's
-- balancing is the policy's. Returns the cluster, its hosts and its VMs by name.
local function cluster(spec, tag, policy)
  local hosts, byName, vms = {}, {}, {}
  for i, h in ipairs(spec.hosts) do
    hosts[i] = lab.host{ name = tag .. "-esx" .. i, cpus = h[1], mhz = h[2], memory = "64 GiB",
                         datastores = { ds }, scheduler = "fair" }
    byName["esx" .. i] = hosts[i]
  end
  for _, v in ipairs(spec.vms) do
    local vm = byName[v[2]]:create_vm{ name = tag .. "-" .. v[1], vcpus = v[3], memory = v[5] or "4 GiB" }
    vm:power_on()
    vm:run(lab.workload.cpu{ threads = v[3], load = v[4] })
    vms[v[1]] = vm
  end
  local c = lab.cluster{ name = tag, hosts = hosts }
  c:enable_drs{ automation = "fully", threshold = spec.threshold or 3 }
  for _, r in ipairs(spec.rules or {}) do
    local rv, rh = {}, {}
    for i, n in ipairs(r.vms) do rv[i] = vms[n] end
    for i, n in ipairs(r.hosts or {}) do rh[i] = byName[n] end
    c:add_rule{ name = tag .. "-" .. r.name, kind = r.kind, vms = rv, hosts = #rh > 0 and rh or nil, must = r.must,
                avoid = r.avoid }
  end
  for _, n in ipairs(spec.failed or {}) do byName[n]:fail() end
  if policy then c.drs.policy = policy end
  return c, hosts, vms
end

-- Changes of load during the run: { at = seconds after the start, vm = name, load = duty }.
local function change(vms, spec, elapsed)
  for _, ch in ipairs(spec.changes or {}) do
    if ch.at == elapsed then
      local v = vms[ch.vm]
      v:stop()
      v:run(lab.workload.cpu{ threads = v.vcpus, load = ch.load })
    end
  end
end

-- vMotions started for the VMs of cluster `tag`: all of them (DRS's mandatory moves
-- included), and those the policy asked for (reason "policy").
local function vmotions(tag)
  local n, own = 0, 0
  for _, e in ipairs(lab.events{ kind = "drs.migrate" }) do
    if e.message:find("vMotion", 1, true) and e.subject:find("VM(" .. tag .. "-", 1, true) then
      n = n + 1
      if e.message:find(", policy:", 1, true) then own = own + 1 end
    end
  end
  return n, own
end

-- True once the policy has run out of its limits (instructions, memory, time) in two
-- passes: the lab then stops calling it (see contest).
local function exhausted(c)
  local n = 0
  for _, p in ipairs(c.drs.policy_problems) do
    if p.kind == "limit" then n = n + 1 end
  end
  return n >= 2
end

-- Runs `spec` twice for `minutes`: built-in DRS against the policy. Returns what each did:
-- the mean imbalance (sampled every minute after the first pass), the final one, the
-- vMotions made (and how many the policy asked for), the rule violations seen at any
-- minute after the first pass, and the policy's problems. A policy that ran out of its
-- limits in two passes is not called again (its cluster's DRS is switched off, so the run
-- goes on unbalanced): a looping policy costs two passes, not the whole grading time. When
-- the contest ends both clusters stop (DRS off, VMs powered off), so later contests do not
-- keep calling the policy.
local function contest(spec, tag, policy, minutes)
  local drs, _, drsVMs = cluster(spec, tag .. "d")
  local mine, _, myVMs = cluster(spec, tag .. "p", policy)
  local result = { drs = { sum = 0, n = 0 }, policy = { sum = 0, n = 0 }, violations = 0, broken = {} }
  for minute = 1, minutes do
    lab.run_for("1 min")
    change(drsVMs, spec, minute * 60)
    change(myVMs, spec, minute * 60)
    if not result.stopped and exhausted(mine) then
      mine:disable_drs()
      result.stopped = minute
    end
    if minute > 5 then
      for key, c in pairs({ drs = drs, policy = mine }) do
        result[key].sum = result[key].sum + c.drs.imbalance
        result[key].n = result[key].n + 1
      end
      for _, r in ipairs(mine.rules) do
        if r.enabled and #r.violations > 0 then
          result.violations = result.violations + 1
          result.broken[r.name] = true
        end
      end
    end
  end
  result.drs.mean, result.policy.mean = result.drs.sum / result.drs.n, result.policy.sum / result.policy.n
  result.drs.final, result.policy.final = drs.drs.imbalance, mine.drs.imbalance
  result.drs.moves = vmotions(tag .. "d")
  result.policy.moves, result.policy.own = vmotions(tag .. "p")
  result.target = mine.drs.target_imbalance
  result.problems = mine.drs.policy_problems
  print(("[instructor] %s: DRS mean %.4f final %.4f moves %d; policy mean %.4f final %.4f moves %d (%d its own);"
    .. " violations %d, problems %d%s"):format(tag, result.drs.mean, result.drs.final, result.drs.moves,
    result.policy.mean, result.policy.final, result.policy.moves, result.policy.own, result.violations,
    #result.problems, result.stopped and (", stopped at minute " .. result.stopped) or ""))
  for _, c in ipairs({ drs, mine }) do c:disable_drs() end
  for _, vms in ipairs({ drsVMs, myVMs }) do
    for _, v in pairs(vms) do if v.state == "on" then v:power_off() end end
  end
  return result
end

-- The graded comparisons, shared with hidden/: balance within 25 % (+0.01) of DRS's mean
-- imbalance, or under the target; moves at most DRS's + half of them + 2; no rule broken
-- (kept), and also no move refused (lawful).
local function balanced(r) return r.policy.mean <= math.max(r.drs.mean * 1.25 + 0.01, r.target) end
local function frugal(r) return r.policy.moves <= r.drs.moves * 1.5 + 2 end
local function kept(r) return r.violations == 0 end
local function lawful(r) return kept(r) and #r.problems == 0 end

-- Four hosts of 10 GHz; web and db tiers piled on esx1 and esx2. web1 and web2 must stay
-- apart, db must run on esx1 or esx2 (a licence), the batch VMs should not run on esx4.
-- At 15 min the batch VMs get busy and app1 goes quiet: the least loaded host is then the
-- one the batch VMs should not run on.
local spec = {
  hosts = { { 4, 2500 }, { 4, 2500 }, { 4, 2500 }, { 4, 2500 } },
  vms = {
    { "web1", "esx1", 2, 0.6 }, { "web2", "esx2", 2, 0.6 }, { "web3", "esx1", 1, 0.8 }, { "web4", "esx1", 1, 0.7 },
    { "db", "esx1", 2, 0.9 }, { "app1", "esx2", 2, 0.5 }, { "app2", "esx2", 1, 0.9 }, { "app3", "esx1", 1, 0.4 },
    { "batch1", "esx2", 2, 0.1 }, { "batch2", "esx3", 2, 0.1 }, { "batch3", "esx2", 1, 0.1 }, { "cache", "esx3", 1, 0.3 },
  },
  rules = {
    { name = "web-apart", kind = "vm-anti-affinity", vms = { "web1", "web2" } },
    { name = "db-licence", kind = "vm-host", vms = { "db" }, hosts = { "esx1", "esx2" }, must = true },
    { name = "batch-not-esx4", kind = "vm-host", vms = { "batch1", "batch2", "batch3" }, hosts = { "esx4" }, avoid = true },
  },
  changes = { { at = 900, vm = "batch1", load = 1.0 }, { at = 900, vm = "batch2", load = 0.8 },
              { at = 900, vm = "batch3", load = 1.0 }, { at = 900, vm = "app1", load = 0.2 } },
}

local policy_ok, why = pcall(function() return lab.answer(answer, "balancer") end)
local installable = policy_ok and pcall(function()
  local probe = lab.host{ name = "probe", cpus = 1, memory = "1 GiB" }
  local c = lab.cluster{ name = "probe", hosts = { probe } }
  c.drs.policy = answer.balancer
end)

check("the policy is a DRS policy", { number = "1", points = 1,
  hint = "Build M.balancer with lab.drs_policy{ name = ..., plan = function(view) ... end }." }, function()
  if not policy_ok then lab.feedback(tostring(why)) end
  expect(installable, "M.balancer is a DRS policy a cluster accepts"):to_be_true()
end)

local r = installable and contest(spec, "p1", answer.balancer, 30) or nil

-- The policy's problems for feedback: each distinct message once (the first three), and how
-- many there were in all.
local function tell_problems(problems)
  local seen, shown = {}, 0
  for _, p in ipairs(problems) do
    if not seen[p.message] and shown < 3 then
      seen[p.message] = true
      shown = shown + 1
      lab.feedback(p.message)
    end
  end
  if #problems > shown then lab.feedback(("(%d problems in all)"):format(#problems)) end
end

check("balance reached", { number = "2", points = 3, depends = "the policy is a DRS policy",
  hint = "Which hosts are above the mean load and which below? Which single move lowers the standard deviation"
    .. " of the host loads most, and when is the cluster balanced enough to stop?" }, function()
  lab.feedback(("mean imbalance of your cluster after the first pass: %.3f (a standard deviation of host loads;"
    .. " view.target is %.3f)"):format(r.policy.mean, r.target))
  if not balanced(r) then
    tell_problems(r.problems)
    if r.stopped then
      lab.feedback(("your policy ran out of its limits in two passes: the lab stopped calling it at minute %d")
        :format(r.stopped))
    end
  end
  expect(balanced(r), "the mean imbalance is within 25 % (+ 0.01) of vCenter's DRS's, or under the target")
    :to_be_true()
end)

check("every move the policy asks for is valid", { number = "3", points = 2, reveal = "value",
  depends = "balance reached",
  hint = "Move only VMs the view marks movable, to eligible hosts of the view, at most max_moves_per_host per host,"
    .. " each VM once, never against a rule that must hold." }, function()
  tell_problems(r.problems)
  expect(r.policy.own, "vMotions your policy asked for", "count"):to_be_at_least(1)
  expect(#r.problems, "refused moves and failures of the policy", "count"):to_equal(0)
end)

check("moves made", { number = "4", points = 2, depends = "balance reached",
  hint = "Each vMotion costs CPU and time: stop once the cluster is under the target, and prefer one large move to"
    .. " several small ones." }, function()
  lab.feedback(("vMotions in your cluster: %d (%d asked for by your policy, the others DRS's mandatory moves)")
    :format(r.policy.moves, r.policy.own))
  expect(frugal(r), "the cluster made at most 1.5 times as many vMotions as vCenter's DRS, plus two"):to_be_true()
end)

check("rules kept", { number = "5", points = 2, depends = "balance reached",
  hint = "Read view.rules: keep VMs of a vm-anti-affinity rule on different hosts, and keep vm-host rules, the"
    .. " preferential (must = false) ones too." }, function()
  for name in pairs(r.broken) do lab.feedback("rule broken at some minute: " .. name) end
  expect(kept(r), "no rule broken at any minute after the first pass"):to_be_true()
end)

return { contest = contest, balanced = balanced, frugal = frugal, lawful = lawful, installable = installable }
