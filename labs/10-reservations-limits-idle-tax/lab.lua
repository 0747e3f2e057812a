-- Lab 10: memory reservations, limits, shares and the idle memory tax — how ESXi
-- decides whose memory to reclaim. Verdicts come from the simulated hosts; the one fixed
-- answer (question 5) is compared by hash.
local answer = lab.submission("answer.lua", { simulate = false })

local hosts = 0
local function host(memory)
  hosts = hosts + 1
  return lab.host{ name = "esx" .. hosts, cpus = 8, memory = memory }
end

-- A value a student's function returned, as students read it.
local function shown(v)
  if type(v) == "number" then return ("%.4g"):format(v) end
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

-- A ratio returned by a student's function: a number, or a string such as "0.25" or "25%".
local function ratio_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local n = tonumber(v)
  if n then return n end
  local p = tonumber(v:match("^%s*([%d.]+)%s*%%%s*$") or "")
  return p and p / 100 or nil
end

-- A yes-or-no answer: a boolean, or the string "true" or "false".
local function boolean_of(v)
  if v == "true" then return true end
  if v == "false" then return false end
  return v
end

check("a limit on a free host", { number = "1", points = 2, reveal = "direction",
  hint = "Is this host short of memory? Which of the VM's settings still bounds what it may hold?" }, function()
  local h = host("64 GiB")
  local vm = h:create_vm{ name = "limited", memory = "4 GiB", guest = "ubuntu-22.04", mem = { limit = "2 GiB" } }
  vm:power_on()
  vm:run(lab.workload.memory{ size = "3 GiB", active = "1 GiB", rate = "64 MB/s" })
  lab.run_for("20 min")
  print(("limited: consumed %s, ballooned %s, compressed %s, swapped %s; host %s"):format(
    lab.format.bytes(vm.memory.consumed), lab.format.bytes(vm.memory.ballooned),
    lab.format.bytes(vm.memory.compressed), lab.format.bytes(vm.memory.swapped), h.memory.state))
  expect(h.memory.state, "the host's memory state (the scenario needs a host with plenty free)"):to_equal("high")
  expect(lab.answer_bytes(answer, "limited_consumed"), "M.limited_consumed", "bytes")
    :to_be_near(vm.memory.consumed, "2%")
end)

check("admission control on reservations", { number = "2", points = 1,
  hint = "What must the host set aside to power app on, and how much has it left unreserved once db runs?" }, function()
  local h = host("8 GiB")
  h:create_vm{ name = "db", memory = "6 GiB", mem = { reservation = "4 GiB" } }:power_on()
  local app = h:create_vm{ name = "app", memory = "6 GiB", mem = { reservation = "4 GiB" } }
  local ok, err = pcall(app.power_on, app)
  print(("app powers on: %s %s"):format(tostring(ok), ok and "" or tostring(err)))
  expect(boolean_of(lab.answer(answer, "app_powers_on")), "M.app_powers_on (true or false)"):to_equal(ok)
end)

-- Two 12 GiB VMs with equal shares on a 10 GiB host: one is idle (7 GiB touched, none of
-- it active), the other busy (11 GiB, all active). Targets after 30 min, idle ÷ busy.
-- hidden/ passes its own host and sizes ({ vm =, idle =, busy = }).
local function idle_vs_busy(tax, h, sizes)
  h = h or host("10 GiB")
  sizes = sizes or { vm = "12 GiB", idle = "7 GiB", busy = "11 GiB" }
  h.reclaim.idle_tax = tax
  local idle = h:create_vm{ name = h.name .. "-idle", memory = sizes.vm, guest = "ubuntu-22.04" }
  local busy = h:create_vm{ name = h.name .. "-busy", memory = sizes.vm, guest = "ubuntu-22.04" }
  idle:power_on(); busy:power_on()
  idle:run(lab.workload.memory{ size = sizes.idle, active = 0, rate = "512 MB/s" })
  lab.run_for("30 s")
  busy:run(lab.workload.memory{ size = sizes.busy, active = sizes.busy, rate = "16 MB/s" })
  lab.run_for("30 min")
  local ratio = idle.memory.target / busy.memory.target
  idle:power_off(); busy:power_off()
  return ratio
end

check("the idle memory tax: target_ratio(tax)", { number = "3", points = 3, reveal = "value",
  hint = "With equal shares the host balances shares per page. How many active pages is one idle page "
      .. "worth under a tax τ, and what does that make of the two targets?" }, function()
  local fn = lab.answer(answer, "target_ratio")
  expect(type(fn), "M.target_ratio should be a function; its type"):to_equal("function")
  local right = 0
  for _, tax in ipairs({ 0, 50, 75 }) do
    local measured = idle_vs_busy(tax)
    local ok, got = pcall(fn, tax / 100)
    local r = ok and ratio_of(got) or nil
    if r and math.abs(r - measured) <= 0.05 then
      right = right + 1
    else
      local said = not ok and ("an error: " .. tostring(got))
                   or (r == nil and (shown(got) .. ", which is not a number"))
                   or (shown(got) .. (r > measured and " (too high)" or " (too low)"))
      lab.feedback(("target_ratio(%.2f) returned %s"):format(tax / 100, said))
      print(("target_ratio(%.2f): the host gave %.3f"):format(tax / 100, measured))
    end
  end
  partial(right / 3)
  expect(right, "tax settings answered right", "count"):to_equal(3)
end)

check("shares", { number = "4", points = 2, reveal = "direction",
  hint = "The two VMs have the same size and are both fully active: what is left to tell their shares per page apart?" },
  function()
  local h = host("6 GiB")
  local hi = h:create_vm{ name = "gold", memory = "8 GiB", guest = "ubuntu-22.04", mem = { shares = "high" } }
  local lo = h:create_vm{ name = "bronze", memory = "8 GiB", guest = "ubuntu-22.04", mem = { shares = "low" } }
  hi:power_on(); lo:power_on()
  for _, vm in ipairs({ hi, lo }) do vm:run(lab.workload.memory{ size = "7 GiB", active = "7 GiB", rate = "16 MB/s" }) end
  lab.run_for("30 min")
  print(("gold's target %s, bronze's %s: ratio %.3f"):format(lab.format.bytes(hi.memory.target),
    lab.format.bytes(lo.memory.target), hi.memory.target / lo.memory.target))
  expect(lab.answer(answer, "shares_ratio"), "M.shares_ratio (gold's target ÷ bronze's)")
    :to_be_near(hi.memory.target / lo.memory.target, 0.1)
end)

check("a reservation under pressure", { number = "5", points = 2, reveal = "direction",
  hint = "Which part of this VM's memory may the host never take back, however short it is?" }, function()
  local h = host("12 GiB")
  local guarded = h:create_vm{ name = "guarded", memory = "8 GiB", guest = "ubuntu-22.04", mem = { reservation = "6 GiB" } }
  guarded:power_on()
  guarded:run(lab.workload.memory{ size = "8 GiB", active = "1 GiB", rate = "256 MB/s" })
  for i = 1, 2 do
    local hog = h:create_vm{ name = "hog" .. i, memory = "8 GiB", guest = "ubuntu-22.04" }
    hog:power_on()
    hog:run(lab.workload.memory{ size = "8 GiB", active = "6 GiB", rate = "64 MB/s" })
  end
  lab.run_for("20 min")
  -- the most reclaimed at any one sample
  local total = {}
  for _, metric in ipairs({ "memory.ballooned", "memory.compressed", "memory.swapped" }) do
    local i = 0
    for _, v in lab.series(guarded, metric):points() do
      i = i + 1
      total[i] = (total[i] or 0) + v
    end
  end
  local most = 0
  for _, v in ipairs(total) do most = math.max(most, v) end
  print(("the most reclaimed from guarded at one sample: %s"):format(lab.format.bytes(most)))
  local said = lab.answer_bytes(answer, "guarded_max_reclaimed")
  -- the host did reclaim this much, so the answer cannot be less
  expect(said, "M.guarded_max_reclaimed", "bytes"):to_be_at_least(most)
  expect(said, "M.guarded_max_reclaimed", "bytes")
    :to_hash("sha256:39f8d58187887b481fe709f7b323f2b876d9f522e9f7afef815c2089084a36d7")
end)

---------------------------------------------------------------------------------------
-- 6 and 7. Mem.SamplePeriod: how the active-memory estimate, and so the idle tax, follows a
-- change in a VM's working set.

-- The scenarios above are done: their VMs are powered off so that the hosts under
-- pressure do not keep the memory clock busy while the next ones run for an hour.
for _, vm in ipairs(lab.vms()) do
  if vm.state == "on" then vm:power_off() end
end

-- The least common multiple of whole numbers of seconds.
local function lcm(a, b)
  local x, y = a, b
  while y ~= 0 do x, y = y, x % y end
  return a // x * b
end

-- Runs each case { before, after, t, period } on a host of its own (64 GiB, nothing short):
-- a VM whose working set was `before` for at least 40 samples changes it to `after` at a
-- sample instant (the sample of that instant has just been taken), by starting or stopping
-- a fully active workload. Returns vm.memory.active `t` seconds after the change, per case.
-- Every case runs at once; hidden/ passes its own cases and a prefix for its hosts.
local estimate_hosts = 0
local function estimates(cases, prefix)
  local runs, hold, step = {}, 0, 1
  for i, c in ipairs(cases) do
    estimate_hosts = estimate_hosts + 1
    local h = lab.host{ name = (prefix or "sample") .. estimate_hosts, cpus = 8, memory = "64 GiB" }
    h.reclaim.sample_period = c[4]
    local vm = h:create_vm{ name = h.name .. "-vm", memory = "8 GiB", guest = "ubuntu-22.04" }
    vm:power_on()
    local before, after = lab.bytes(c[1]), lab.bytes(c[2])
    local low = math.min(before, after)
    vm:run(lab.workload.memory{ size = low, active = low, rate = "1 GiB/s" })
    local extra = math.abs(before - after)
    local run = { vm = vm, at = c[3], burst = after > before, extra = extra }
    if not run.burst then
      run.workload = vm:run(lab.workload.memory{ size = extra, active = extra, rate = "1 GiB/s" })
    end
    runs[i] = run
    hold = math.max(hold, 40 * c[4])
    step = lcm(step, c[4])
  end
  lab.run_for(hold)
  local now = math.floor(lab.now() + 0.5)
  lab.run_for((step - now % step) % step)   -- a sample instant of every period
  local t0 = lab.now()
  for _, run in ipairs(runs) do
    if run.burst then
      run.vm:run(lab.workload.memory{ size = run.extra, active = run.extra, rate = "1 GiB/s" })
    else
      run.workload:stop()
    end
  end
  local order = {}
  for i in ipairs(runs) do order[i] = i end
  table.sort(order, function(a, b) return runs[a].at < runs[b].at end)
  local out = {}
  for _, i in ipairs(order) do
    lab.run_for(t0 + runs[i].at - lab.now())
    out[i] = runs[i].vm.memory.active
  end
  for _, run in ipairs(runs) do run.vm:power_off() end
  return out
end

local function estimate_call(c)
  return ("active_estimate(%d, %d, %d, %d), %s to %s,"):format(lab.bytes(c[1]), lab.bytes(c[2]), c[3], c[4],
    c[1], c[2])
end

-- Runs a student's active_estimate on the cases; returns how many it got within 2 % (or
-- 32 MiB). `tell` false: instructor prints only (hidden checks).
local function judge_estimates(fn, cases, tell)
  local measured = estimates(cases, not tell and "h-sample" or nil)
  local right, told = 0, {}
  for i, c in ipairs(cases) do
    local ok, got = pcall(fn, lab.bytes(c[1]), lab.bytes(c[2]), c[3], c[4])
    local bytes = ok and lab.size_of(got) or nil
    if bytes and math.abs(bytes - measured[i]) <= math.max(0.02 * measured[i], lab.bytes("32 MiB")) then
      right = right + 1
    else
      print(("%s the host estimated %s, the submission said %s"):format(estimate_call(c),
        lab.format.bytes(measured[i]), bytes and lab.format.bytes(bytes) or tostring(got)))
      if tell then
        if not ok then
          if not told.failed then lab.feedback(("%s failed: %s"):format(estimate_call(c), tostring(got))) end
          told.failed = true
        elseif bytes == nil then
          if not told[shown(got)] then
            lab.feedback(("%s returned %s, which is not a size (give bytes or a string such as \"1.5 GiB\")")
              :format(estimate_call(c), shown(got)))
          end
          told[shown(got)] = true
        else
          lab.feedback(("%s returned %s, which is %s"):format(estimate_call(c), lab.format.bytes(bytes),
            bytes > measured[i] and "too high" or "too low"))
        end
      end
    end
  end
  return right
end

check("Mem.SamplePeriod: active_estimate(before, after, t, period)", { number = "6", points = 3,
  reveal = "value",
  hint = "When does the first sample that can see the change come? The estimate is the largest of the latest "
      .. "sample and two moving averages: which of them wins after a rise, and which after a fall? In a script "
      .. "of your own, drop a working set and print vm.memory.active after each sample: how much of the gap "
      .. "is left each time?" }, function()
  local fn = lab.answer(answer, "active_estimate", "function")
  local cases = {
    { "1 GiB", "5 GiB", 45, 60 },
    { "1 GiB", "5 GiB", 75, 60 },
    { "5 GiB", "1 GiB", 150, 60 },
    { "1 GiB", "5 GiB", 20, 15 },
    { "5 GiB", "1 GiB", 100, 15 },
  }
  local right = judge_estimates(fn, cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

-- On a host short of memory (10 GiB), `steady` (6 GiB, all active) and `bursty` share the
-- memory by the idle tax. In one run bursty holds 5 GiB it does not use and starts 3 GiB
-- of active work (a burst); in the other it stops its 5 GiB of active work (a drop). Each
-- change falls at a sample instant of the default 60 s period. How bursty's allocation
-- target moves: "at once" (by the next balance period, before a new sample), "after one
-- sample" (nearly all of the move at the first balance after the next sample) or "over
-- several samples".
local function target_reaction(kind)
  local h = lab.host{ name = "tax-" .. kind, cpus = 8, memory = "10 GiB" }
  local steady = h:create_vm{ name = h.name .. "-steady", memory = "8 GiB", guest = "ubuntu-22.04" }
  local bursty = h:create_vm{ name = h.name .. "-bursty", memory = "8 GiB", guest = "ubuntu-22.04" }
  steady:power_on(); bursty:power_on()
  steady:run(lab.workload.memory{ size = "6 GiB", active = "6 GiB", rate = "256 MB/s" })
  local work = bursty:run(lab.workload.memory{ size = "5 GiB", active = kind == "drop" and "5 GiB" or 0,
                                               rate = "256 MB/s" })
  lab.run_for("30 min")
  local period, balance = h.reclaim.sample_period, h.reclaim.balance_period
  local now = math.floor(lab.now() + 0.5)
  lab.run_for((period - now % period) % period)
  local before = bursty.memory.target
  if kind == "drop" then
    work:stop()
  else
    bursty:run(lab.workload.memory{ size = "3 GiB", active = "3 GiB", rate = "1 GiB/s" })
  end
  lab.run_for(balance + 5)
  local early = bursty.memory.target
  lab.run_for(period)
  local one = bursty.memory.target
  lab.run_for(12 * period)
  local final = bursty.memory.target
  steady:power_off(); bursty:power_off()
  local move = final - before
  local function done(x) return move ~= 0 and (x - before) / move or 1 end
  local reaction = done(early) >= 0.9 and "at once" or done(one) >= 0.9 and "after one sample" or "over several samples"
  print(("%s: bursty's target %s before, %s after one balance, %s after one sample, %s after 12 samples: %s")
    :format(kind, lab.format.bytes(before), lab.format.bytes(early), lab.format.bytes(one),
      lab.format.bytes(final), reaction))
  return reaction
end

-- a choice whose truth is measured, not written here
local function choice_of(v)
  if type(v) ~= "string" then return nil end
  return (v:lower():gsub("^%s+", ""):gsub("%s+$", ""))
end

check("the idle tax after a burst and after a drop", { number = "7", points = 2, reveal = "value",
  hint = "The host recomputes targets every balance period, but from the active-memory estimate, not from "
      .. "what the guest does right now. When does the estimate first change after each event, and how many "
      .. "samples does it take to settle?" }, function()
  local answers = { lab.answer(answer, "target_after_burst"), lab.answer(answer, "target_after_drop") }
  local truths = { target_reaction("burst"), target_reaction("drop") }
  local right = 0
  local choices = { ["at once"] = true, ["after one sample"] = true, ["over several samples"] = true }
  for i, name in ipairs({ "target_after_burst", "target_after_drop" }) do
    local said = choice_of(answers[i])
    if said == truths[i] then
      right = right + 1
    elseif not choices[said] then
      lab.feedback(("M.%s should be \"at once\", \"after one sample\" or \"over several samples\"; got %s")
        :format(name, shown(answers[i])))
    end
  end
  partial(right / 2)
  expect(right, "answers right", "count"):to_equal(2)
end)

return { ratio_of = ratio_of, idle_vs_busy = idle_vs_busy, judge_estimates = judge_estimates }
