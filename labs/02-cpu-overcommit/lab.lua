-- Lab 02: CPU over-commitment and time slicing.
-- Each answer is checked against scenarios run on the simulated hosts: the verdict comes
-- from the %RDY the model measures, not from a formula. The one answer the model cannot
-- give (the lecture's bands) is compared by hash, so this public script does not hold it.
local answer = lab.submission("answer.lua", { simulate = false })

local hosts = 0

-- Runs `n` single-vCPU VMs with duty cycle `load` on a host with `p` pCPUs for five
-- minutes. Returns the VMs and the window to average over (the first minute is
-- skipped). The VMs are powered off afterwards, so one scenario does not weigh on the next.
local function scenario(p, n, load, options)
  options = options or {}
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = p, memory = "512 GiB", scheduler = options.scheduler }
  local vms = {}
  for i = 1, n do
    local vm = h:create_vm{ name = ("esx%d-vm%d"):format(hosts, i), memory = "1 GiB",
                            cpu = { shares = options.shares and options.shares[i] or "normal" } }
    vm:power_on()
    vm:run(lab.workload.cpu{ load = load })
    vms[i] = vm
  end
  local start = lab.now()
  lab.run_for("5 min")
  for _, vm in ipairs(vms) do vm:power_off() end
  return vms, { start + 60, lab.now() }
end

-- Mean of a metric over VMs, within a window of time.
local function mean(vms, metric, window)
  local sum, count = 0, 0
  for _, vm in ipairs(vms) do
    for t, v in lab.series(vm, metric):points() do
      if t > window[1] and t <= window[2] then sum, count = sum + v, count + 1 end
    end
  end
  return sum / count
end

local function ready_fraction(p, n, load, options)
  local vms, window = scenario(p, n, load, options)
  return mean(vms, "cpu.ready", window) / 100
end

-- A value a student's function returned, as a number of `kind` ("fraction", "count", "%"
-- or nil for a plain number), or nil and what is wrong with it. Unlike lab.answer it does
-- not fail the check, so checks that try several cases can go on to the next one.
local function number_of(v, kind)
  if type(v) == "string" then
    local s = v:match("^%s*(.-)%s*$")
    local pct = tonumber(s:match("^(.-)%s*%%$") or "")
    if pct and (kind == "fraction" or kind == "%") then
      v = kind == "fraction" and pct / 100 or pct
    elseif kind == nil and s:match(":%s*1$") then
      v = tonumber((s:gsub("%s*:%s*1$", "")))
    else
      v = tonumber(s)
    end
    if v == nil then return nil, ("%q is not a number"):format(s) end
  end
  if type(v) ~= "number" or v ~= v then return nil, (v ~= v and "NaN" or tostring(v)) .. " is not a number" end
  if kind == "count" and v ~= math.floor(v) then return nil, ("%g is not a whole number"):format(v) end
  return v
end

-- What a student's function gave for one case: the number, or nil and a sentence.
local function call(name, kind, ...)
  local ok, got = pcall(answer[name], ...)
  if not ok then return nil, "failed: " .. tostring(got) end
  local n, why = number_of(got, kind)
  if n == nil then return nil, "returned " .. why:gsub(" is not ", ", which is not ", 1) end
  return n
end

local function pct(fraction) return ("%.1f %%"):format(fraction * 100) end

check("ready time of busy VMs: ready_fraction(n, p)", { number = "1", points = 3, reveal = "value",
  hint = "When more busy vCPUs want to run than there are pCPUs, the scheduler slices time: "
    .. "how much of each second can each VM run, and how much must it wait?" }, function()
  lab.answer(answer, "ready_fraction")
  local cases = { { 4, 4 }, { 8, 4 }, { 12, 4 }, { 24, 4 }, { 6, 2 } }
  local right = 0
  for _, c in ipairs(cases) do
    local n, p = c[1], c[2]
    local measured = ready_fraction(p, n, 1)
    local predicted, why = call("ready_fraction", "fraction", n, p)
    if predicted and math.abs(predicted - measured) <= 0.03 then
      right = right + 1
    else
      local said = predicted and ("%g (%s)"):format(predicted, predicted > measured and "too high" or "too low") or why
      lab.feedback(("ready_fraction(%d, %d), %d busy VMs on %d pCPUs: %s"):format(n, p, n, p, said))
      print(("ready_fraction(%d, %d): the host measured %.3f, got %s"):format(n, p, measured, tostring(predicted or why)))
    end
  end
  partial(right / #cases)
  expect(right, "scenarios predicted within 0.03", "count"):to_equal(#cases)
end)

check("vCPU:pCPU over-commitment of a host: ratio(host)", { number = "2", points = 2,
  hint = "Which VMs' vCPUs actually compete for the host's pCPUs?" }, function()
  lab.answer(answer, "ratio")
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = 4, memory = "64 GiB" }
  for i, spec in ipairs({ { 2, true }, { 2, true }, { 4, true }, { 4, false }, { 1, true } }) do
    local vm = h:create_vm{ name = ("esx%d-vm%d"):format(hosts, i), vcpus = spec[1], memory = "2 GiB" }
    if spec[2] then vm:power_on() end
  end
  local returned = answer.ratio(h)
  local got = number_of(returned, nil) or returned  -- "2.25:1" as well as 2.25
  if type(got) == "number" and math.abs(got - h.cpu.overcommit) > 1e-9 then
    lab.feedback(("%s has 4 pCPUs and VMs of 2, 2, 4 and 1 vCPUs powered on, and one of 4 vCPUs powered off")
      :format(h.name))
  end
  expect(got, "ratio(" .. h.name .. ")"):to_be_near(h.cpu.overcommit, 1e-9)
end)

-- The lecture's bands are not something the model measures: each case's answer is
-- compared by the hash of "<ratio> <band>".
check("over-commit bands: band(ratio)", { number = "3", points = 2, reveal = "value",
  hint = "Use the lecture's bands from the handout; mind which band each edge belongs to." }, function()
  lab.answer(answer, "band")
  local cases = {
    { 1.5, "sha256:4430bdb149545950ba6aa1115d2a10eea38e54aed38f437f50cce44700320722" },
    { 2.5, "sha256:8984234b17b044ca504c25be5852c9eb1a412a32cc479aae316e18c789bdec70" },
    { 4, "sha256:032d69e6ab75c5e37105cf7fa4cc4b490358f6922d0039106f3c7f1b059ba9f6" },
    { 4.5, "sha256:b8fc0ab61ae34c032f35b20f388b1591986ba2eb107496e02b882a1201b8ca0b" },
    { 6, "sha256:3d72c92afc2f606a7cedcc061e4d65052c6432bcb4454fc7073e0a9fb565ff31" },
    { 8, "sha256:cd62ce899f4d2702186661ca54c3bc1472ee5774b079f67f8e80735c72147ca8" },
  }
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(answer.band, c[1])
    if ok and type(got) == "string" and lab.hash(("%g %s"):format(c[1], got:lower())) == c[2] then
      right = right + 1
    else
      local said = not ok and ("failed: " .. tostring(got))
        or (type(got) == "string" and ("%q"):format(got) or tostring(got))
      lab.feedback(("band(%g): %s is not the right band"):format(c[1], said))
    end
  end
  partial(right / #cases)
  expect(right, "ratios classified right", "count"):to_equal(#cases)
end)

-- Sizes the host can check in reasonable time; far beyond any right answer.
local MAX_VMS = 100

check("sizing: max_vms(p, max_ready)", { number = "4", points = 3, reveal = "value",
  hint = "The most busy VMs whose ready time stays at or below the target; one more must exceed it." }, function()
  lab.answer(answer, "max_vms")
  local right = 0
  local cases = { { 4, 0.5 }, { 8, 0.25 } }
  for _, c in ipairs(cases) do
    local p, target = c[1], c[2]
    local n, why = call("max_vms", "count", p, target)
    local case = ("max_vms(%d, %g), %d pCPUs and ready at most %s"):format(p, target, p, pct(target))
    if n == nil then
      lab.feedback(case .. ": " .. why)
    elseif n < 1 or n > MAX_VMS then
      lab.feedback(("%s: %g VMs is outside what the lab tries (1 to %d)"):format(case, n, MAX_VMS))
    else
      local at = ready_fraction(p, n, 1)
      local beyond = ready_fraction(p, n + 1, 1)
      if at <= target + 0.01 and beyond > target + 0.01 then
        right = right + 1
      elseif at > target + 0.01 then
        lab.feedback(("%s: with your %d VMs the host measured ready %s, above the target (too many)")
          :format(case, n, pct(at)))
      else
        lab.feedback(("%s: with one more VM than your %d the host measured ready %s, still within the target (too few)")
          :format(case, n, pct(beyond)))
      end
      print(("max_vms(%d, %g) = %d: ready %.3f with %d VMs, %.3f with %d"):format(p, target, n, at, n, beyond, n + 1))
    end
  end
  partial(right / #cases)
  expect(right, "sizings confirmed by the host", "count"):to_equal(#cases)
end)

check("low-duty VMs: contention_starts(load, p)", { number = "5", points = 2, reveal = "value",
  hint = "A VM busy only part of the time leaves its pCPU to others the rest of the time: "
    .. "how much CPU do all the VMs ask for together, and how much does the host have?" }, function()
  lab.answer(answer, "contention_starts")
  local n = expect(answer.contention_starts(0.2, 4), "contention_starts(0.2, 4)", "count")
    :to_be_between(1, MAX_VMS):number()
  local before = ready_fraction(4, n, 0.2)
  local after = ready_fraction(4, n + 2, 0.2)
  print(("ready with %d VMs: %.1f %%, with %d VMs: %.1f %%"):format(n, before * 100, n + 2, after * 100))
  expect(before * 100, "ready with your " .. n .. " VMs", "%"):to_be_at_most(10)
  expect(after * 100, "ready with two more (" .. (n + 2) .. " VMs)", "%"):to_be_at_least(30)
end)

check("vCenter's ready summation: ready_percent(ready_ms, interval)", { number = "6", points = 1,
  hint = "Watch the units: the summation is in milliseconds, the interval in seconds." }, function()
  lab.answer(answer, "ready_percent")
  -- three busy VMs share one pCPU, sampled every 20 s as in vCenter's real-time charts
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = 1, memory = "8 GiB" }
  local a = h:create_vm{ name = "sum-a", memory = "1 GiB" }
  local b = h:create_vm{ name = "sum-b", memory = "1 GiB" }
  local c = h:create_vm{ name = "sum-c", memory = "1 GiB" }
  a:power_on(); a:run(lab.workload.busy())
  b:power_on(); b:run(lab.workload.busy())
  c:power_on(); c:run(lab.workload.busy())
  local start = lab.now()
  lab.run_for("6 min")
  local a_ms, a_ready = a.cpu.ready_ms, a.cpu.ready
  -- a 5-minute roll-up of sum-c, as vCenter's past-day charts show: the summation over 15 samples
  local window = { start + 60, start + 360 }
  local c_ms, count = 0, 0
  for t, v in lab.series(c, "cpu.ready_ms"):points() do
    if t > window[1] and t <= window[2] then c_ms, count = c_ms + v, count + 1 end
  end
  assert(count == 15, "the roll-up needs 15 samples of 20 s")
  local c_ready = mean({ c }, "cpu.ready", window)
  a:power_off(); b:power_off(); c:power_off()
  print(("%s: %.0f ms in 20 s, %.2f %%; %s: %.0f ms in 5 min, %.2f %%"):format(a.name, a_ms, a_ready, c.name, c_ms, c_ready))

  expect(answer.ready_percent(a_ms, 20), ("ready_percent(%.0f, 20), %s's last 20 s sample"):format(a_ms, a.name), "%")
    :to_be_near(a_ready, 0.01)
  expect(answer.ready_percent(c_ms, 300), ("ready_percent(%.0f, 300), %s's 5-minute roll-up"):format(c_ms, c.name), "%")
    :to_be_near(c_ready, 0.01)
end)

check("shares and time slicing", { number = "7", points = 2, reveal = "value",
  hint = "Which of the two schedulers looks at shares at all, and how does it use them?" }, function()
  local esx_vms, esx_window = scenario(1, 2, 1, { shares = { "high", "normal" } })
  local rr_vms, rr_window = scenario(1, 2, 1, { shares = { "high", "normal" }, scheduler = "round-robin" })
  local measured = {
    high_share_esx = mean({ esx_vms[1] }, "cpu.run", esx_window) / 100,
    high_share_round_robin = mean({ rr_vms[1] }, "cpu.run", rr_window) / 100,
  }
  local right = 0
  for _, name in ipairs({ "high_share_esx", "high_share_round_robin" }) do
    local given, why = number_of(answer[name], "fraction")
    if answer[name] == nil then
      lab.feedback("M." .. name .. ": no answer (nil)")
    elseif given == nil then
      lab.feedback("M." .. name .. ": " .. why .. " (give a fraction from 0 to 1, or a string such as \"40%\")")
    elseif math.abs(given - measured[name]) <= 0.02 then
      right = right + 1
    else
      lab.feedback(("M.%s: %g is not within 0.02 of what the host measured (%s)")
        :format(name, given, given > measured[name] and "too high" or "too low"))
    end
  end
  print(("the High-shares VM ran %.3f of the time under esx, %.3f under round robin")
    :format(measured.high_share_esx, measured.high_share_round_robin))
  partial(right / 2)
  expect(right, "fractions within 0.02", "count"):to_equal(2)
end)
