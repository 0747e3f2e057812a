-- Lab 03: co-scheduling of SMP VMs — strict (ESX 2.x) against relaxed (ESX 3+).
-- Every answer is checked against the scenario run on the simulated 8-pCPU host.
local answer = lab.submission("answer.lua")

local hosts = 0

-- Two VMs with `vcpus` vCPUs each, `busy` of them CPU-bound, on an 8-pCPU host running
-- `scheduler`, for three minutes. Returns the host, the two VMs and the window to average.
local function pair(scheduler, vcpus, busy)
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = 8, mhz = "2.4 GHz", memory = "64 GiB", scheduler = scheduler }
  local vms = {}
  for i = 1, 2 do
    vms[i] = h:create_vm{ name = ("esx%d-vm%d"):format(hosts, i), vcpus = vcpus, memory = "4 GiB" }
    vms[i]:power_on()
    vms[i]:run(lab.workload.cpu{ threads = busy, load = 1 })
  end
  local start = lab.now()
  lab.run_for("3 min")
  for _, vm in ipairs(vms) do vm:power_off() end
  return h, vms, { start + 20, lab.now() }
end

local function mean(obj, metric, window)
  local sum, n = 0, 0
  for t, v in lab.series(obj, metric):points() do
    if t > window[1] and t <= window[2] then sum, n = sum + v, n + 1 end
  end
  return sum / n
end

-- Mean over the busy vCPUs of a VM (vCPUs 1..busy run the threads).
local function busy_mean(vm, state, busy, window)
  local sum = 0
  for i = 1, busy do sum = sum + mean(vm, ("cpu.%s.vcpu%d"):format(state, i), window) end
  return sum / busy
end

local function number(name)
  expect(answer[name], "M." .. name):to_be_set()
  return answer[name]
end

local strict66_host, strict66, strict66_window = pair("strict", 6, 6)
check("strict, 6 + 6 vCPUs: how much each VM runs", { number = "1", points = 2,
  hint = "6 + 6 > 8: under strict co-scheduling the two VMs can never run at the same time." }, function()
  local measured = mean(strict66[1], "cpu.run", strict66_window)
  expect(number("strict_six_six_run"), "%RUN of each VM", "%"):to_be_near(measured, 3)
end)

check("strict, 6 + 6 vCPUs: host CPU use", { number = "2", points = 2,
  hint = "While one VM runs, its 6 vCPUs hold 6 pCPUs; the other VM needs 6 more." }, function()
  local measured = mean(strict66_host, "cpu.used", strict66_window)
  expect(number("strict_six_six_host_used"), "host CPU used", "%"):to_be_near(measured, 3)
end)

local _, strict44, strict44_window = pair("strict", 4, 4)
check("strict, 4 + 4 vCPUs: ready time", { number = "3", points = 1 }, function()
  local measured = mean(strict44[1], "cpu.ready", strict44_window) + mean(strict44[1], "cpu.costop", strict44_window)
  expect(number("strict_four_four_waiting"), "%RDY + %CSTP", "%"):to_be_near(measured, 3)
end)

local _, strict64, strict64_window = pair("strict", 6, 4)
local _, relaxed64, relaxed64_window = pair("esx", 6, 4)
check("4 of 6 vCPUs busy: strict against relaxed", { number = "4", points = 3,
  hint = "Relaxed co-scheduling counts an idle vCPU as making progress: it builds no skew." }, function()
  local strict_run = busy_mean(strict64[1], "run", 4, strict64_window)
  local relaxed_run = busy_mean(relaxed64[1], "run", 4, relaxed64_window)
  local right = 0
  if type(answer.strict_four_of_six_run) == "number" and math.abs(answer.strict_four_of_six_run - strict_run) <= 3 then
    right = right + 1
  end
  if type(answer.relaxed_four_of_six_run) == "number" and math.abs(answer.relaxed_four_of_six_run - relaxed_run) <= 3 then
    right = right + 1
  end
  print(("busy vCPUs ran %.1f %% under strict, %.1f %% under relaxed"):format(strict_run, relaxed_run))
  partial(right / 2)
  expect(right, "answers within 3 points"):to_equal(2)
end)

check("fits_strict(pcpus, vcpus)", { number = "5", points = 2,
  hint = "Under strict co-scheduling all the VMs run at once only if all their vCPUs fit on the pCPUs together." }, function()
  local cases = { { 8, { 6, 6 }, false }, { 8, { 4, 4 }, true }, { 8, { 2, 2, 2, 2 }, true },
                  { 4, { 4, 2 }, false }, { 16, { 8, 4, 4 }, true } }
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(answer.fits_strict, c[1], c[2])
    if ok and got == c[3] then
      right = right + 1
    else
      print(("fits_strict(%d, {%s}): expected %s, got %s"):format(c[1], table.concat(c[2], ", "), tostring(c[3]), tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "cases right"):to_equal(#cases)
end)

-- costop_alarm is tried on the %CSTP the VMs of the scenarios above showed.
local _, relaxed66, relaxed66_window = pair("esx", 6, 6)
check("costop_alarm(percent): the esxtop %CSTP alarm", { number = "6", points = 2,
  hint = "esxtop's reference alarm for %CSTP is 3 %." }, function()
  expect(answer.costop_alarm, "M.costop_alarm"):to_be_set()
  local cases = { { relaxed66[1], relaxed66_window }, { strict44[1], strict44_window }, { relaxed64[1], relaxed64_window } }
  local right = 0
  for _, c in ipairs(cases) do
    local costop = mean(c[1], "cpu.costop", c[2])
    local ok, got = pcall(answer.costop_alarm, costop)
    if ok and got == (costop > 3) then right = right + 1
    else print(("costop_alarm(%.1f): expected %s, got %s"):format(costop, tostring(costop > 3), tostring(got))) end
  end
  partial(right / #cases)
  expect(right, "alarms right"):to_equal(#cases)
end)

check("right-sizing", { number = "7", points = 1,
  hint = "vCPUs the guest does not use only make co-scheduling harder." }, function()
  expect(number("vcpus_for_two_busy_threads"), "vCPUs for a guest with two busy threads"):to_equal(2)
end)
