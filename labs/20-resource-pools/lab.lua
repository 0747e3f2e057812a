-- Lab 20: resource pools, the priority-pie paradox, scalable shares and expandable
-- reservations. Every verdict comes from the simulated clusters.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("direction")

local clusters = 0
-- A cluster of one host with `cpus` pCPUs at 2.5 GHz (`cpus` × 2.5 GHz in its root pool).
local function cluster(cpus)
  clusters = clusters + 1
  local h = lab.host{ name = "esx" .. clusters, cpus = cpus, mhz = "2.5 GHz", memory = "256 GiB" }
  return h, lab.cluster{ name = "c" .. clusters, hosts = { h } }
end

-- The paradox's layout on a fresh cluster: RP-Prod (High) holding `prod` VMs, RP-Test
-- (Low) holding `test` VMs and one VM at the root, every VM 1 vCPU, Normal shares and
-- CPU-bound. `fix` (optional, already checked) changes pool shares or turns scalable
-- shares on. Runs two minutes; returns per group the VMs' mean entitlement and the MHz
-- they used in the last minute (least, most and mean), then powers them off.
local function paradox(cpus, prod, test, fix)
  fix = fix or {}
  local h, c = cluster(cpus)
  if fix.scalable_shares then c.scalable_shares = true end
  local rp_prod = c.root:create_pool{ name = "RP-Prod", cpu = { shares = fix.prod_shares or "high" } }
  local rp_test = c.root:create_pool{ name = "RP-Test", cpu = { shares = fix.test_shares or "low" } }
  local groups = { prod = {}, test = {}, root = {} }
  local function add(group, pool, i)
    local vm = h:create_vm{ name = ("%s-%s%d"):format(h.name, group, i), memory = "256 MiB", pool = pool }
    vm:power_on()
    vm:run(lab.workload.cpu{ threads = 1 })
    table.insert(groups[group], vm)
  end
  for i = 1, prod do add("prod", rp_prod, i) end
  for i = 1, test do add("test", rp_test, i) end
  add("root", nil, 1)
  lab.run_for("1 min")
  local start = lab.now()
  lab.run_for("1 min")
  local out = {}
  for group, vms in pairs(groups) do
    local ent, lo, hi, all = 0, math.huge, 0, 0
    for _, vm in ipairs(vms) do
      ent = ent + vm.cpu.entitlement / #vms
      local used = lab.series(vm, "cpu.used_mhz"):mean(start)
      lo, hi, all = math.min(lo, used), math.max(hi, used), all + used / #vms
    end
    out[group] = { entitlement = ent, least = lo, most = hi, mean = all }
  end
  for _, vm in ipairs(h.vms) do vm:power_off() end
  return out
end

-- The RP-MOM / RP-KID layout on a fresh 20 GHz cluster: RP-MOM with a fixed
-- reservation whose own VMs reserve `mom_vms`; RP-KID inside it with its reservation and
-- type, whose VMs reserve `kid_vms`. True when a VM reserving `request` MHz powers on in
-- RP-KID.
local function admitted(mom_reservation, mom_vms, kid_reservation, kid_expandable, kid_vms, request)
  local h, c = cluster(8)
  local mom = c.root:create_pool{ name = "RP-MOM", cpu = { reservation = mom_reservation, expandable = false } }
  local n = 0
  local function vm(pool, reservation)
    n = n + 1
    local v = h:create_vm{ name = ("%s-vm%d"):format(h.name, n), vcpus = 4, memory = "256 MiB", pool = pool,
                           cpu = { reservation = reservation } }
    return v
  end
  if mom_vms > 0 then vm(mom, mom_vms):power_on() end
  local kid = mom:create_pool{ name = "RP-KID", cpu = { reservation = kid_reservation, expandable = kid_expandable } }
  if kid_vms > 0 then vm(kid, kid_vms):power_on() end
  local ok = pcall(function() vm(kid, request):power_on() end)
  for _, v in ipairs(h.vms) do if v.state == "on" then v:power_off() end end
  return ok
end

-- A speed returned by a student's function: MHz as a number, or a string such as
-- "1.5 GHz"; nil when it is neither.
local function mhz_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local ok, m = pcall(lab.mhz, v)
  return ok and m or nil
end

local function shown(v)
  if type(v) == "number" then return lab.format.mhz(v) end
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

-- Scores M.per_vm on `cases` ({ cpus, prod, test }): the number right, with per-case
-- feedback (public checks only; prints for instructors) that never shows the expected value.
local function score_per_vm(cases, public)
  local per_vm = lab.answer(answer, "per_vm", "function")
  local tell = public and lab.feedback_once or function() end
  local right = 0
  for _, case in ipairs(cases) do
    local r = paradox(case[1], case[2], case[3])
    local capacity = case[1] * 2500
    local call = ("per_vm(%d, %d, %d)"):format(capacity, case[2], case[3])
    local ok, p, t, root = pcall(per_vm, capacity, case[2], case[3])
    if not ok then
      tell(tostring(p), ("%s failed: %s"):format(call, tostring(p)))
    else
      local got = { prod = mhz_of(p), test = mhz_of(t), root = mhz_of(root) }
      local good = 0
      for _, g in ipairs({ "prod", "test", "root" }) do
        local want = r[g].entitlement
        if got[g] and math.abs(got[g] - want) <= 0.01 * want then
          good = good + 1
        elseif not got[g] then
          local raw = ({ prod = p, test = t, root = root })[g]
          tell("speed " .. g, ("%s: the %s VM's value %s is not a CPU speed (give MHz, or a string such as \"900 MHz\")")
            :format(call, g, shown(raw)))
        elseif public and type(({ prod = p, test = t, root = root })[g]) == "number"
            and math.abs(got[g] * 1000 - want) <= 0.01 * want then
          tell("GHz", ("%s: your %s VM value %s is too low: a plain number is read as MHz; for GHz write a"
            .. " string such as \"%.4g GHz\""):format(call, g, shown(got[g]), got[g]))
        elseif public then
          lab.feedback(("%s: your %s VM value %s is %s")
            :format(call, g, shown(got[g]), got[g] > want and "too high" or "too low"))
        end
      end
      print(("%s: model %.1f / %.1f / %.1f MHz, answer %s / %s / %s"):format(call, r.prod.entitlement, r.test.entitlement,
        r.root.entitlement, tostring(p), tostring(t), tostring(root)))
      if good == 3 then right = right + 1 end
    end
  end
  return right
end

check("the priority-pie paradox: per_vm(capacity, prod_vms, test_vms)", { number = "1", points = 3, reveal = "value",
  hint = "Shares are compared among siblings only. Which objects are the root's children, and how is a "
      .. "pool's slice then divided among the VMs inside it?" }, function()
  local cases = { { 4, 20, 2 }, { 8, 10, 5 }, { 2, 4, 4 } }
  local right = score_per_vm(cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

check("why a Production VM gets less", { number = "2", points = 1, reveal = "none",
  hint = "Compare what each pool's shares are compared with, and what a pool's VMs share among themselves." }, function()
  local why = lab.answer(answer, "why", "string")
  expect(why, "M.why"):to_hash("sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d")
end)

local fix_keys = { scalable_shares = "boolean", prod_shares = "shares", test_shares = "shares" }
-- M.fix checked before it is applied: a wrong key or value fails with one message.
local function checked_fix()
  local fix = lab.answer(answer, "fix", "table")
  for k, v in pairs(fix) do
    local kind = fix_keys[k]
    if not kind then
      error(("M.fix: unknown key %s (use scalable_shares, prod_shares, test_shares)"):format(tostring(k)), 0)
    end
    if kind == "boolean" and type(v) ~= "boolean" then error(("M.fix.%s must be true or false"):format(k), 0) end
  end
  return fix
end

-- Runs the paradox's layout with the student's fix on each of `layouts` ({ cpus, prod,
-- test }) and judges two things: (1) in every layout every Production VM used more CPU
-- than every Test VM and than the root VM; (2) the pools' levels act as per-VM classes:
-- what a Production VM and a Test VM used, as a multiple of the root VM's, stays within
-- 10 % from one layout to the next, whatever the counts. (Fixed pool shares, even extreme
-- ones, give (1) at some counts but never (2).) Returns the number of the two that hold,
-- with feedback that names what failed and shows no figure; a fix the host refuses fails
-- with the host's reason.
local function judge_fix(layouts, public)
  local fix = checked_fix()
  local say = public and lab.feedback or function() end
  local runs, first_ok, steady = {}, true, true
  for i, l in ipairs(layouts) do
    local ok, r = pcall(paradox, l[1], l[2], l[3], fix)
    if not ok then error(("M.fix was refused: %s"):format((tostring(r):gsub("^[^:]*:%d+: ", ""))), 0) end
    runs[i] = r
    print(("fix on %d × 2.5 GHz, %d Prod, %d Test: Prod VMs %.0f–%.0f MHz, Test %.0f–%.0f, root %.0f"):format(
      l[1], l[2], l[3], r.prod.least, r.prod.most, r.test.least, r.test.most, r.root.most))
    local name = ("with %d Production and %d Test VM%s"):format(l[2], l[3], l[3] == 1 and "" or "s")
    if r.prod.least <= r.root.most then
      first_ok = false
      say(name .. ", some Production VM got no more CPU than the root VM")
    elseif r.prod.least <= r.test.most then
      first_ok = false
      say(name .. ", some Production VM got no more CPU than a Test VM")
    end
  end
  for i = 2, #runs do
    for _, g in ipairs({ "prod", "test" }) do
      local before, after = runs[1][g].mean / runs[1].root.mean, runs[i][g].mean / runs[i].root.mean
      if not (before > 0 and math.abs(after / before - 1) <= 0.1) then
        steady = false
        say(("from %d to %d Production VMs, what a %s VM gets compared with the root VM changed: the pools' levels"
          .. " are not per-VM classes yet"):format(layouts[1][2], layouts[i][2], g == "prod" and "Production" or "Test"))
      end
    end
  end
  return (first_ok and 1 or 0) + (steady and 1 or 0)
end

check("fix the paradox: M.fix", { number = "3", points = 3, reveal = "value",
  hint = "With fixed pool shares, what one VM gets depends on how many VMs share its pool. What would a pool's"
      .. " shares have to be computed from for its level to mean the same thing for each VM?" }, function()
  local right = judge_fix({ { 4, 20, 2 }, { 4, 30, 1 } }, true)
  partial(right / 2)
  expect(right, "conditions met (Production VMs first; the same proportions whatever the counts)", "count"):to_equal(2)
end)

check("a pool limit: M.capped_vm_mhz", { number = "4", points = 2,
  hint = "A pool's limit caps its VMs together, even when the rest of the cluster is idle." }, function()
  local h, c = cluster(8)
  local capped = c.root:create_pool{ name = "capped", cpu = { limit = "3 GHz" } }
  local vms = {}
  for i = 1, 2 do
    vms[i] = h:create_vm{ name = h.name .. "-vm" .. i, memory = "256 MiB", pool = capped }
    vms[i]:power_on()
    vms[i]:run(lab.workload.cpu{ threads = 1 })
  end
  lab.run_for("2 min")
  local used = lab.series(vms[1], "cpu.used_mhz"):mean()
  for _, vm in ipairs(vms) do vm:power_off() end
  expect(lab.answer(answer, "capped_vm_mhz", "MHz"), "MHz used by each VM", "MHz"):to_be_near(used, "3%")
end)

-- Scores M.admits on `cases`; returns the number right and what the student said.
local function score_admits(cases, public)
  local admits = lab.answer(answer, "admits", "function")
  local tell = public and lab.feedback_once or function() end
  local right, said = 0, {}
  for _, case in ipairs(cases) do
    local actual = admitted(table.unpack(case))
    local call = ("admits(%d, %d, %d, %s, %d, %d)")
      :format(case[1], case[2], case[3], tostring(case[4]), case[5], case[6])
    local ok, got = pcall(admits, table.unpack(case))
    if ok and got == actual then right = right + 1 end
    print(("%s: the cluster said %s, the answer %s"):format(call, tostring(actual), tostring(got)))
    if not ok then
      tell(tostring(got), ("%s failed: %s"):format(call, tostring(got)))
    elseif type(got) ~= "boolean" then
      tell("kind", ("%s returned %s: give true or false"):format(call, shown(got)))
    else
      said[#said + 1] = ("%s = %s"):format(call, tostring(got))
    end
  end
  return right, said
end

check("expandable reservations: admits(...)", { number = "5", points = 3, reveal = "value",
  hint = "Start from RP-KID: what can it give from its own reservation? When may it ask RP-MOM for the "
      .. "rest, and what does RP-MOM have left once its own VMs and RP-KID's reservation are counted?" }, function()
  local cases = { { 6000, 1000, 2000, true, 2000, 2000 }, { 6000, 3000, 2000, true, 2000, 2000 },
                  { 6000, 1000, 2000, false, 2000, 2000 }, { 6000, 1000, 2000, true, 0, 3000 } }
  local right, said = score_admits(cases, true)
  -- a yes/no answer marked wrong would give the right one away: show the answers only
  if right < #cases and #said > 0 then lab.feedback("your answers: " .. table.concat(said, ", ")) end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

-- Part 6. A three-tier vApp: the database, the application server and the web front end,
-- booting in `boots` seconds ({ db, app, web }), each tier's member settings taken from
-- M.tiers. The tiers depend on each other: app needs db running, web needs app. Judges
-- three things from what the cluster did: (1) each tier powered on only once the tier it
-- needs had VMware Tools running; (2) the start did not wait longer than the boots need
-- (web powered on by db's boot + app's boot + 1 s); (3) on power-off each tier stopped by
-- a guest shutdown, web first, app's starting only once web was off, db's once app was off.
-- Returns the number of the three that hold; feedback (public) names what failed, never a
-- setting.
local tier_names = { "db", "app", "web" }
local vapps = 0
local function judge_vapp(boots, public)
  local tiers = lab.answer(answer, "tiers", "table")
  local say = public and lab.feedback or function() end
  vapps = vapps + 1
  local h, c = cluster(8)
  local app = c.root:create_vapp{ name = "shop" .. vapps }
  local vm = {}
  for i, t in ipairs(tier_names) do
    vm[t] = h:create_vm{ name = ("%s-%s"):format(h.name, t), memory = "1 GiB", boot = boots[i], shutdown = "10 s" }
    local settings = tiers[t]
    if type(settings) ~= "table" then
      error(("M.tiers.%s must be a table of member settings, got %s"):format(t, tostring(settings)), 0)
    end
    local ok, err = pcall(app.add, app, vm[t], settings)
    if not ok then error(("M.tiers.%s was refused: %s"):format(t, (tostring(err):gsub("^[^:]*:%d+: ", ""))), 0) end
  end
  local ok, err = pcall(app.power_on, app)
  if not ok then error(("the vApp could not power on: %s"):format((tostring(err):gsub("^[^:]*:%d+: ", ""))), 0) end
  local t0 = lab.now()
  lab.run_until(function() return app.state == "started" end, "20 min")
  -- when each tier powered on, and when its Tools ran
  local on, ready = {}, {}
  for _, t in ipairs(tier_names) do
    for _, e in ipairs(lab.events{ kind = "vm.power", subject = vm[t] }) do
      if e.time >= t0 and e.message:find("^powered on") then on[t] = on[t] or e.time end
    end
    ready[t] = vm[t].tools_ready_at
  end
  local good = 0
  local ordered = true
  for i = 2, 3 do
    local t, needs = tier_names[i], tier_names[i - 1]
    if not on[t] then
      ordered = false
      say(("%s was not powered on by the vApp"):format(t))
    elseif not (on[needs] and ready[needs] and on[t] >= ready[needs]) then
      ordered = false
      say(("%s powered on before %s had VMware Tools running"):format(t, needs))
    end
  end
  if ordered then good = good + 1 end
  local bound = t0 + boots[1] + boots[2] + 1
  if on.web and on.web <= bound then good = good + 1 elseif ordered then
    say("the tiers started in the right order, but the start waited longer than the guests needed to boot")
  end
  print(("[instructor] vApp boots %s: powered on db %s, app %s, web %s (bound %.0f s)"):format(
    table.concat(boots, "/"), tostring(on.db and on.db - t0), tostring(on.app and on.app - t0),
    tostring(on.web and on.web - t0), bound - t0))
  lab.run_for("2 min")   -- the application runs a while: every guest has booted
  if app.state == "started" or app.state == "starting" then app:power_off() end
  local t1 = lab.now()
  lab.run_until(function() return app.state == "stopped" end, "20 min")
  local shut, off = {}, {}
  for _, t in ipairs(tier_names) do
    for _, e in ipairs(lab.events{ kind = "vapp.stop", subject = vm[t] }) do
      if e.time >= t1 and e.message:find("group %d+: guest shutdown %(") then shut[t] = shut[t] or e.time end
    end
    for _, e in ipairs(lab.events{ kind = "vm.power", subject = vm[t] }) do
      if e.time >= t1 and e.message == "powered off" then off[t] = off[t] or e.time end
    end
  end
  local stopped = true
  for i, t in ipairs(tier_names) do
    if not shut[t] then
      stopped = false
      say(("%s was not stopped by a guest shutdown"):format(t))
    elseif i < 3 then
      local above = tier_names[i + 1]
      if not (off[above] and shut[t] >= off[above]) then
        stopped = false
        say(("%s began to shut down before %s was off"):format(t, above))
      end
    end
  end
  if stopped then good = good + 1 end
  for _, v in pairs(vm) do if v.state ~= "off" then v:power_off() end end
  return good
end

check("a vApp's start order: M.tiers", { number = "6", points = 3, reveal = "value",
  hint = "Which group starts first, and what can a member's group wait for besides a fixed delay? How does a vApp"
      .. " stop its groups, and which stop action lets a guest close its files?" }, function()
  local right = judge_vapp({ 40, 20, 15 }, true)
  partial(right / 3)
  expect(right, "conditions met (order, no needless wait, clean reverse stop)", "count"):to_equal(3)
end)

return { paradox = paradox, admitted = admitted, score_per_vm = score_per_vm, score_admits = score_admits,
         judge_fix = judge_fix, judge_vapp = judge_vapp }
