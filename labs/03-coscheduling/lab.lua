-- Lab 03: co-scheduling of SMP VMs — strict (ESX 2.x) against relaxed (ESX 3+).
-- Every answer is checked against the scenario run on the simulated hosts; the one the
-- model cannot give (a sizing rule) is compared by hash, so this public script does not
-- hold it.
local answer = lab.submission("answer.lua", { simulate = false })

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

-- A percentage answer (a number from 0 to 100 or a string such as "50%"); a missing one
-- or one of another kind fails the check with a message naming M.<name>.
local function percent(name) return lab.answer(answer, name, "%") end

-- The same, for checks that grade several answers: nil and why instead of failing.
local function percent_or_why(name)
  local v = answer[name]
  if v == nil then return nil, "no answer (nil)" end
  if type(v) == "string" then v = tonumber(v:match("^%s*(.-)%s*%%?%s*$")) or v end
  if type(v) ~= "number" or v ~= v then
    return nil, (type(v) == "string" and ("%q"):format(v) or v ~= v and "NaN" or tostring(v))
      .. " is not a percentage (give a number from 0 to 100, or a string such as \"50%\")"
  end
  return v
end

local strict66_host, strict66, strict66_window = pair("strict", 6, 6)
check("strict, 6 + 6 vCPUs: how much each VM runs", { number = "1", points = 2,
  hint = "Under strict co-scheduling a VM runs only when all its vCPUs get a pCPU at once: can both VMs?" }, function()
  local measured = mean(strict66[1], "cpu.run", strict66_window)
  expect(percent("strict_six_six_run"), "M.strict_six_six_run", "%"):to_be_near(measured, 3)
end)

check("strict, 6 + 6 vCPUs: host CPU use", { number = "2", points = 2,
  hint = "How many of the host's pCPUs are busy while a VM runs, and what do the others do?" }, function()
  local measured = mean(strict66_host, "cpu.used", strict66_window)
  expect(percent("strict_six_six_host_used"), "M.strict_six_six_host_used", "%"):to_be_near(measured, 3)
end)

local _, strict44, strict44_window = pair("strict", 4, 4)
check("strict, 4 + 4 vCPUs: ready time", { number = "3", points = 1,
  hint = "Can all the vCPUs of both VMs hold a pCPU at the same time?" }, function()
  local measured = mean(strict44[1], "cpu.ready", strict44_window) + mean(strict44[1], "cpu.costop", strict44_window)
  expect(percent("strict_four_four_waiting"), "M.strict_four_four_waiting", "%"):to_be_near(measured, 3)
end)

local _, strict64, strict64_window = pair("strict", 6, 4)
local _, relaxed64, relaxed64_window = pair("esx", 6, 4)
check("4 of 6 vCPUs busy: strict against relaxed", { number = "4", points = 3, reveal = "value",
  hint = "What does each scheduler wait for before a VM's vCPUs run? An idle vCPU builds no skew." }, function()
  local measured = {
    strict_four_of_six_run = busy_mean(strict64[1], "run", 4, strict64_window),
    relaxed_four_of_six_run = busy_mean(relaxed64[1], "run", 4, relaxed64_window),
  }
  local right = 0
  for _, name in ipairs({ "strict_four_of_six_run", "relaxed_four_of_six_run" }) do
    local given, why = percent_or_why(name)
    if given == nil then
      lab.feedback("M." .. name .. ": " .. why)
    elseif math.abs(given - measured[name]) <= 3 then
      right = right + 1
    else
      lab.feedback(("M.%s: %g %% is not within 3 points of what the host measured (%s)")
        :format(name, given, given > measured[name] and "too high" or "too low"))
    end
  end
  print(("busy vCPUs ran %.1f %% under strict, %.1f %% under relaxed")
    :format(measured.strict_four_of_six_run, measured.relaxed_four_of_six_run))
  partial(right / 2)
  expect(right, "answers within 3 points", "count"):to_equal(2)
end)

local _, relaxed66, relaxed66_window = pair("esx", 6, 6)

-- fits_strict is judged by the model: each case runs on a strict host of its own, all
-- vCPUs busy, and the VMs all ran at once when none of them waited (%RDY + %CSTP).
-- The host is named host_name (hidden/ names its own), else the next "esxN".
local function all_run_at_once(pcpus, vcpus, host_name)
  if not host_name then
    hosts = hosts + 1
    host_name = "esx" .. hosts
  end
  local h = lab.host{ name = host_name, cpus = pcpus, memory = "256 GiB", scheduler = "strict" }
  local vms = {}
  for i, n in ipairs(vcpus) do
    vms[i] = h:create_vm{ name = ("%s-vm%d"):format(host_name, i), vcpus = n, memory = "1 GiB" }
    vms[i]:power_on()
    vms[i]:run(lab.workload.cpu{ threads = n, load = 1 })
  end
  local start = lab.now()
  lab.run_for("1 min")
  for _, vm in ipairs(vms) do vm:power_off() end
  local window = { start + 20, lab.now() }
  for _, vm in ipairs(vms) do
    if mean(vm, "cpu.ready", window) + mean(vm, "cpu.costop", window) > 1 then return false end
  end
  return true
end

local function list(vcpus) return "{ " .. table.concat(vcpus, ", ") .. " }" end

-- A value a student's function returned, for messages.
local function shown(v) return type(v) == "string" and ("%q"):format(v) or tostring(v) end

check("fits_strict(pcpus, vcpus)", { number = "5", points = 2, reveal = "value",
  hint = "Under strict co-scheduling, what must be free for every VM to run at the same moment?" }, function()
  lab.answer(answer, "fits_strict")
  local cases = { { 8, { 6, 6 } }, { 8, { 4, 4 } }, { 8, { 2, 2, 2, 2 } }, { 4, { 4, 2 } }, { 16, { 8, 4, 4 } } }
  local right = 0
  for _, c in ipairs(cases) do
    local truth = all_run_at_once(c[1], c[2])
    local ok, got = pcall(answer.fits_strict, c[1], c[2])
    local case = ("fits_strict(%d, %s)"):format(c[1], list(c[2]))
    if ok and got == truth then
      right = right + 1
    elseif not ok then
      lab.feedback(case .. " failed: " .. tostring(got))
    elseif type(got) ~= "boolean" then
      lab.feedback(("%s returned %s, not true or false"):format(case, shown(got)))
    else
      lab.feedback(("%s: %s is not what the host showed when it ran these VMs"):format(case, tostring(got)))
      print(("%s: expected %s, got %s"):format(case, tostring(truth), tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "cases right", "count"):to_equal(#cases)
end)

-- costop_alarm is tried on the %CSTP the VMs of these scenarios showed.
local COSTOP_ALARM = 3  -- esxtop's reference threshold for %CSTP, which the handout gives
check("costop_alarm(percent): the esxtop %CSTP alarm", { number = "6", points = 2, reveal = "value",
  hint = "Compare each VM's %CSTP with esxtop's reference threshold, given in the handout." }, function()
  lab.answer(answer, "costop_alarm")
  local cases = {
    { relaxed66[1], relaxed66_window, "relaxed, 6 + 6 vCPUs all busy" },
    { strict44[1], strict44_window, "strict, 4 + 4 vCPUs all busy" },
    { relaxed64[1], relaxed64_window, "relaxed, 6 + 6 vCPUs with 4 busy in each" },
    { strict66[1], strict66_window, "strict, 6 + 6 vCPUs all busy" },
  }
  local right = 0
  for _, c in ipairs(cases) do
    local costop = mean(c[1], "cpu.costop", c[2])
    local ok, got = pcall(answer.costop_alarm, costop)
    local case = ("costop_alarm(%.1f), the %%CSTP of %s (%s)"):format(costop, c[1].name, c[3])
    if ok and got == (costop > COSTOP_ALARM) then
      right = right + 1
    elseif not ok then
      lab.feedback(case .. " failed: " .. tostring(got))
    elseif type(got) ~= "boolean" then
      lab.feedback(("%s returned %s, not true or false"):format(case, shown(got)))
    else
      lab.feedback(("%s: %s is not right"):format(case, tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "alarms right", "count"):to_equal(#cases)
end)

-- Compared by hash: the sizing rule is the lecture's, not something the model measures.
check("right-sizing", { number = "7", points = 1,
  hint = "vCPUs the guest does not use only make co-scheduling harder." }, function()
  expect(lab.answer(answer, "vcpus_for_two_busy_threads", "count"), "M.vcpus_for_two_busy_threads", "count")
    :to_hash("sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35")
end)

return { all_run_at_once = all_run_at_once }
