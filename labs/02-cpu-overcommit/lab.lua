-- Lab 02: CPU over-commitment and time slicing.
-- Each answer is checked against scenarios run on the simulated hosts: the verdict comes
-- from the %RDY the model measures, not from a formula.
local answer = lab.submission("answer.lua")

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

-- Calls a submitted function; a missing function or an error fails the check clearly.
local function ask(name, ...)
  expect(answer[name], "M." .. name):to_be_set()
  return answer[name](...)
end

check("ready time of busy VMs: ready_fraction(n, p)", { number = "1", points = 3,
  hint = "n busy VMs share p pCPUs: each runs p/n of the time when n > p." }, function()
  local cases = { { 4, 4 }, { 8, 4 }, { 12, 4 }, { 24, 4 }, { 6, 2 } }
  local right = 0
  for _, c in ipairs(cases) do
    local n, p = c[1], c[2]
    local measured = ready_fraction(p, n, 1)
    local predicted = ask("ready_fraction", n, p)
    if type(predicted) == "number" and math.abs(predicted - measured) <= 0.03 then
      right = right + 1
    else
      print(("ready_fraction(%d, %d): the host measured %.3f, you predicted %s"):format(n, p, measured, tostring(predicted)))
    end
  end
  partial(right / #cases)
  expect(right, "scenarios predicted within 0.03"):to_equal(#cases)
end)

check("vCPU:pCPU over-commitment of a host: ratio(host)", { number = "2", points = 2,
  hint = "Count the vCPUs of powered-on VMs only, and divide by the host's pCPUs." }, function()
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = 4, memory = "64 GiB" }
  for i, spec in ipairs({ { 2, true }, { 2, true }, { 4, true }, { 4, false }, { 1, true } }) do
    local vm = h:create_vm{ name = ("esx%d-vm%d"):format(hosts, i), vcpus = spec[1], memory = "2 GiB" }
    if spec[2] then vm:power_on() end
  end
  expect(ask("ratio", h), "over-commit ratio of " .. h.name):to_be_near(h.cpu.overcommit, 1e-9)
end)

check("over-commit bands: band(ratio)", { number = "3", points = 2,
  hint = "The lecture: 1:1–3:1 is fine, 3:1–5:1 may degrade, 6:1 and above is a problem." }, function()
  local cases = { { 1.5, "fine" }, { 2.5, "fine" }, { 4, "may degrade" }, { 4.5, "may degrade" },
                  { 6, "problem" }, { 8, "problem" } }
  local right = 0
  for _, c in ipairs(cases) do
    local got = ask("band", c[1])
    if got == c[2] then right = right + 1 else print(("band(%g): expected %q, got %s"):format(c[1], c[2], tostring(got))) end
  end
  partial(right / #cases)
  expect(right, "ratios classified right"):to_equal(#cases)
end)

check("sizing: max_vms(p, max_ready)", { number = "4", points = 3,
  hint = "The most busy VMs whose ready time stays at or below the target; one more must exceed it." }, function()
  local right = 0
  local cases = { { 4, 0.5 }, { 8, 0.25 } }
  for _, c in ipairs(cases) do
    local p, target = c[1], c[2]
    local n = ask("max_vms", p, target)
    expect(n, "max_vms(" .. p .. ", " .. target .. ")"):to_be_set()
    local at = ready_fraction(p, n, 1)
    local beyond = ready_fraction(p, n + 1, 1)
    if at <= target + 0.01 and beyond > target + 0.01 then
      right = right + 1
    else
      print(("max_vms(%d, %g) = %d: ready %.3f with %d VMs, %.3f with %d"):format(p, target, n, at, n, beyond, n + 1))
    end
  end
  partial(right / #cases)
  expect(right, "sizings confirmed by the host"):to_equal(#cases)
end)

check("low-duty VMs: contention_starts(load, p)", { number = "5", points = 2,
  hint = "VMs busy a fraction `load` of the time fit until their total demand n·load reaches p." }, function()
  local n = ask("contention_starts", 0.2, 4)
  expect(n, "contention_starts(0.2, 4)"):to_be_set()
  local before = ready_fraction(4, n, 0.2)
  local after = ready_fraction(4, n + 2, 0.2)
  print(("ready with %d VMs: %.1f %%, with %d VMs: %.1f %%"):format(n, before * 100, n + 2, after * 100))
  expect(before * 100, "ready with " .. n .. " VMs (%)", "%"):to_be_at_most(10)
  expect(after * 100, "ready with " .. (n + 2) .. " VMs (%)", "%"):to_be_at_least(30)
end)

check("vCenter's ready summation: ready_percent(ready_ms, interval)", { number = "6", points = 1,
  hint = "vCenter sums ready milliseconds over each sample interval; % = ms / (interval × 1000) × 100." }, function()
  expect(ask("ready_percent", 2000, 20), "ready_percent(2000 ms, 20 s)", "%"):to_be_near(10, 1e-6)
  expect(ask("ready_percent", 30000, 300), "ready_percent(30000 ms, 5 min)", "%"):to_be_near(10, 1e-6)
  -- and on a VM the host measured (one vCPU, 20 s samples)
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = 1, memory = "8 GiB" }
  local a = h:create_vm{ name = "sum-a", memory = "1 GiB" }
  local b = h:create_vm{ name = "sum-b", memory = "1 GiB" }
  for _, vm in ipairs({ a, b }) do vm:power_on(); vm:run(lab.workload.busy()) end
  lab.run_for("2 min")
  expect(ask("ready_percent", a.cpu.ready_ms, 20), "ready % from " .. a.name .. "'s summation", "%"):to_be_near(a.cpu.ready, 0.01)
  a:power_off(); b:power_off()
end)

check("shares and time slicing", { number = "7", points = 2,
  hint = "ESXi divides contended CPU by shares; a plain round robin gives every runnable vCPU equal turns." }, function()
  local esx_vms, esx_window = scenario(1, 2, 1, { shares = { "high", "normal" } })
  local rr_vms, rr_window = scenario(1, 2, 1, { shares = { "high", "normal" }, scheduler = "round-robin" })
  local esx_share = mean({ esx_vms[1] }, "cpu.run", esx_window) / 100
  local rr_share = mean({ rr_vms[1] }, "cpu.run", rr_window) / 100
  local function close(given, measured) return type(given) == "number" and math.abs(given - measured) <= 0.02 end
  local right = 0
  if close(answer.high_share_esx, esx_share) then right = right + 1 end
  if close(answer.high_share_round_robin, rr_share) then right = right + 1 end
  print(("the High-shares VM ran %.3f of the time under esx, %.3f under round robin"):format(esx_share, rr_share))
  partial(right / 2)
  expect(right, "fractions within 0.02"):to_equal(2)
end)
