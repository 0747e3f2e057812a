-- Instructor-only: the lab's functions on hosts, ratios and targets the public checks do
-- not try, so answers fitted to the public cases do not pass. Never shipped to students;
-- `hyperlab pack` puts it only in the autograder. Runs after lab.lua, in the same world.
local answer = lab.submission("answer.lua")

local hosts = 0

-- `n` single-vCPU VMs with duty cycle `load` on `p` pCPUs for five minutes; the mean
-- %RDY after the first minute, as a fraction.
local function measured_ready(p, n, load)
  hosts = hosts + 1
  local h = lab.host{ name = "h-esx" .. hosts, cpus = p, memory = "512 GiB" }
  local vms = {}
  for i = 1, n do
    local vm = h:create_vm{ name = ("h-esx%d-vm%d"):format(hosts, i), memory = "1 GiB" }
    vm:power_on()
    vm:run(lab.workload.cpu{ load = load })
    vms[i] = vm
  end
  local start = lab.now()
  lab.run_for("5 min")
  for _, vm in ipairs(vms) do vm:power_off() end
  local sum, count = 0, 0
  for _, vm in ipairs(vms) do
    for t, v in lab.series(vm, "cpu.ready"):points() do
      if t > start + 60 and t <= lab.now() then sum, count = sum + v, count + 1 end
    end
  end
  return sum / count / 100
end

-- A number from what a student's function returned (numbers, numeric strings, "40%"
-- for fractions); nil when it is none or the call failed.
local function returned(kind, name, ...)
  local ok, v = pcall(answer[name], ...)
  if not ok then return nil end
  if type(v) == "string" then
    local s = v:match("^%s*(.-)%s*$")
    local pct = tonumber(s:match("^(.-)%s*%%$") or "")
    if pct and kind == "fraction" then v = pct / 100
    elseif kind == "ratio" and s:match(":%s*1$") then v = tonumber((s:gsub("%s*:%s*1$", "")))
    else v = tonumber(s) end
  end
  if type(v) ~= "number" or v ~= v then return nil end
  if kind == "count" and v ~= math.floor(v) then return nil end
  return v
end

check("ready_fraction on unseen hosts", { number = "H1", points = 2, visibility = "after_due_date", reveal = "value",
  hide_errors = "ready_fraction(n, p) was off by more than 0.03 from the %RDY measured on hosts the public checks do not use." },
  function()
    lab.answer(answer, "ready_fraction")
    local cases = { { 10, 4 }, { 3, 2 }, { 2, 8 }, { 16, 6 }, { 9, 3 } }
    local right = 0
    for _, c in ipairs(cases) do
      local measured = measured_ready(c[2], c[1], 1)
      local got = returned("fraction", "ready_fraction", c[1], c[2])
      if got and math.abs(got - measured) <= 0.03 then right = right + 1
      else print(("H1 ready_fraction(%d, %d): measured %.3f, got %s"):format(c[1], c[2], measured, tostring(got))) end
    end
    partial(right / #cases)
    expect(right, "unseen scenarios predicted within 0.03", "count"):to_equal(#cases)
  end)

-- Over-commit ratios of two hosts (one with a VM suspended and one off), and bands of other ratios.
local ratio_hosts = {}
do
  local h = lab.host{ name = "h-ratio-6", cpus = 6, memory = "64 GiB" }
  for i, spec in ipairs({ { 4, "on" }, { 2, "suspended" }, { 8, "off" }, { 2, "on" }, { 1, "on" } }) do
    local vm = h:create_vm{ name = "h-ratio-6-vm" .. i, vcpus = spec[1], memory = "2 GiB" }
    if spec[2] ~= "off" then vm:power_on() end
    if spec[2] == "suspended" then vm:suspend() end
  end
  ratio_hosts[#ratio_hosts + 1] = h
  local h2 = lab.host{ name = "h-ratio-4", cpus = 4, memory = "64 GiB" }
  for i, vcpus in ipairs({ 4, 4, 4, 4, 2 }) do
    local vm = h2:create_vm{ name = "h-ratio-4-vm" .. i, vcpus = vcpus, memory = "2 GiB" }
    vm:power_on()
  end
  ratio_hosts[#ratio_hosts + 1] = h2
end
local bands = { { 0.5, "fine" }, { 2, "fine" }, { 3.5, "may degrade" }, { 5, "may degrade" }, { 7, "problem" },
                { 12, "problem" } }

check("ratio and band on unseen hosts", { number = "H2", points = 2, visibility = "after_due_date", reveal = "value",
  hide_errors = "ratio(host) or band(ratio) was wrong for hosts or ratios the public checks do not use "
    .. "(think of every power state a VM can be in)." },
  function()
    lab.answer(answer, "ratio")
    lab.answer(answer, "band")
    local right, total = 0, #ratio_hosts + #bands
    for _, h in ipairs(ratio_hosts) do
      local got = returned("ratio", "ratio", h)
      if got and math.abs(got - h.cpu.overcommit) <= 1e-9 then right = right + 1
      else print(("H2 ratio(%s): expected %g, got %s"):format(h.name, h.cpu.overcommit, tostring(got))) end
    end
    for _, c in ipairs(bands) do
      local ok, got = pcall(answer.band, c[1])
      if ok and type(got) == "string" and got:lower() == c[2] then right = right + 1
      else print(("H2 band(%g): expected %q, got %s"):format(c[1], c[2], tostring(got))) end
    end
    partial(right / total)
    expect(right, "unseen ratios answered right", "count"):to_equal(total)
  end)

check("sizing on unseen hosts", { number = "H3", points = 2, visibility = "after_due_date", reveal = "value",
  hide_errors = "max_vms or contention_starts gave a size the host did not confirm, for hosts and targets "
    .. "the public checks do not use." },
  function()
    lab.answer(answer, "max_vms")
    lab.answer(answer, "contention_starts")
    local right, total = 0, 0
    for _, c in ipairs({ { 6, 0.4 }, { 16, 0.2 }, { 3, 0.7 } }) do
      total = total + 1
      local n = returned("count", "max_vms", c[1], c[2])
      if n and n >= 1 and n <= 100 then
        local at, beyond = measured_ready(c[1], n, 1), measured_ready(c[1], n + 1, 1)
        if at <= c[2] + 0.01 and beyond > c[2] + 0.01 then right = right + 1
        else print(("H3 max_vms(%d, %g) = %d: ready %.3f, then %.3f"):format(c[1], c[2], n, at, beyond)) end
      else
        print(("H3 max_vms(%d, %g): got %s"):format(c[1], c[2], tostring(n)))
      end
    end
    for _, c in ipairs({ { 0.25, 8 }, { 0.5, 6 } }) do
      total = total + 1
      local n = returned("count", "contention_starts", c[1], c[2])
      if n and n >= 1 and n <= 100 then
        local before, after = measured_ready(c[2], n, c[1]), measured_ready(c[2], n + 2, c[1])
        if before <= 0.10 and after >= 0.30 then right = right + 1
        else print(("H3 contention_starts(%g, %d) = %d: ready %.3f, then %.3f"):format(c[1], c[2], n, before, after)) end
      else
        print(("H3 contention_starts(%g, %d): got %s"):format(c[1], c[2], tostring(n)))
      end
    end
    partial(right / total)
    expect(right, "unseen sizings confirmed by the host", "count"):to_equal(total)
  end)
