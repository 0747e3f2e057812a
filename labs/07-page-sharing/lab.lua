-- Lab 07: memory overcommitment and transparent page sharing (TPS), with salting, large
-- pages and copy-on-write. Every verdict comes from the simulated hosts' counters and
-- event log, never from a number written in this script.
local answer = lab.submission("answer.lua", { simulate = false })

-- The free-memory states, from the most free memory to the least.
local STATES = { "high", "clear", "soft", "hard", "low" }

-- A size answer: bytes or a string such as "256 MiB"; the check fails when it is missing.
local function size_of(name) return lab.answer_bytes(answer, name) end

-- A choice answer in lower case without surrounding spaces; the check fails when it is missing.
local function choice_of(name)
  local v = lab.answer(answer, name)
  if type(v) == "string" then v = v:lower():match("^%s*(.-)%s*$") end
  return v
end

-- A function answer: the check fails when it is missing or not a function.
local function function_of(name)
  return lab.answer(answer, name, "function")
end

-- Calls a function of the submission before the scenario it is about is built, so that it
-- cannot read the answer off the lab's own hosts. Returns { ok, value } (ok false on an error).
local function ask(name, ...)
  local found, f = pcall(function() return answer[name] end)
  if not found or type(f) ~= "function" then return { ok = false, value = "M." .. name .. " is not a function" } end
  local ok, value = pcall(f, ...)
  return { ok = ok, value = value }
end

-- A size for feedback, with the exact bytes when the rounded form would hide a difference.
local function shown(bytes)
  local text = lab.format.bytes(bytes)
  if bytes % lab.bytes("1 MiB") ~= 0 then text = text .. (" (%.0f bytes)"):format(bytes) end
  return text
end

-- What a student's function gave, for feedback: their own value, never the expected one.
local function said(call, got, truth)
  if not got.ok then return call .. " failed: " .. tostring(got.value) end
  local bytes = lab.size_of(got.value)
  if bytes == nil then
    return call .. " returned " .. (type(got.value) == "string" and ("%q"):format(got.value) or tostring(got.value))
      .. ", which is not a size (give bytes or a string such as \"1.5 GiB\")"
  end
  return ("%s returned %s, which is not right (%s)"):format(call, shown(bytes),
    bytes > truth and "too high" or "too low")
end

-- `vms` 4 GiB Ubuntu VMs (default 4); each guest writes 2 GiB: its 256 MiB OS image first,
-- then data of which 10 % is zero pages. Then TPS runs for two hours.
local hosts = 0
local function scenario(options)
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = 8, memory = options.memory or "32 GiB" }
  h.reclaim.tps.salting = options.salting or 2
  h.reclaim.tps.large_pages = options.large_pages or false
  local names = options.names or { "vm1", "vm2", "vm3", "vm4" }
  local vms = {}
  for i, name in ipairs(names) do
    local salt = options.salts and options.salts[name] or nil
    vms[i] = h:create_vm{ name = h.name .. "-" .. name, memory = "4 GiB", guest = "ubuntu-22.04",
                          mem = { share_salt = salt } }
    vms[i]:power_on()
    vms[i].guest:touch("2 GiB", { zero = 0.1 })
  end
  lab.run_for("2 h")  -- TPS scans each VM once an hour (Mem.ShareScanTime)
  return h, vms
end

-- A scenario read is over: its VMs power off, so the next scenarios' hours cost nothing here.
local function retire(vms)
  for _, vm in ipairs(vms) do vm:power_off() end
end

-- The state the host was in at `time`, from its log of state changes.
local function state_at(h, time)
  local state = "high"
  for _, e in ipairs(lab.events{ kind = "memory.state", subject = h }) do
    if e.time <= time then state = e.message:match("→ (%a+)") or state end
  end
  return state
end

check("memory overcommitment", { number = "1", points = 1,
  hint = "What does the host promise its powered-on VMs, and what does it have?" }, function()
  local h = lab.host{ name = "small", cpus = 8, memory = "16 GiB" }
  for i = 1, 6 do h:create_vm{ name = "oc" .. i, memory = "4 GiB" }:power_on() end
  expect(lab.answer(answer, "overcommit", "fraction"), "M.overcommit", "fraction"):to_be_near(h.memory.overcommit, 0.01)
end)

-- saved(salting, 4) is asked before the scenarios run; then each runs on a host of its own.
local SALTINGS = { 0, 1, 2 }
local saved_said, saved = {}, {}
for _, salting in ipairs(SALTINGS) do saved_said[salting] = ask("saved", salting, 4) end
for _, salting in ipairs(SALTINGS) do
  local h, vms = scenario{ salting = salting }
  saved[salting] = h.memory.shared_saved
  retire(vms)
end

check("savings under each salting setting: saved(salting, vms)", { number = "2", points = 3, reveal = "value",
  hint = "Which pages are identical within one VM, and which across VMs? Which VMs may share under each setting?" },
  function()
  function_of("saved")
  local right = 0
  for _, salting in ipairs(SALTINGS) do
    local got, truth = saved_said[salting], saved[salting]
    local bytes = got.ok and lab.size_of(got.value) or nil
    if bytes and math.abs(bytes - truth) <= 0.02 * truth then
      right = right + 1
    else
      lab.feedback(said(("saved(%d, 4)"):format(salting), got, truth))
      print(("saved(%d, 4): the host saved %s, the submission said %s"):format(salting, lab.format.bytes(truth),
        tostring(got.value)))
    end
  end
  partial(right / #SALTINGS)
  expect(right, "settings answered right", "count"):to_equal(#SALTINGS)
end)

check("salts for two groups", { number = "3", points = 2, reveal = "value",
  hint = "Under salting 2, which VMs may back identical pages with one machine page?" }, function()
  local salts = lab.answer(answer, "salts")
  expect(type(salts) == "table", "M.salts is a table of salts by VM name"):to_be_true()
  local names = { "web1", "web2", "db1", "db2" }
  for _, name in ipairs(names) do
    local salt = salts[name]
    if salt ~= nil and type(salt) ~= "string" then
      lab.feedback(("M.salts.%s should be a string (or nil); it is a %s."):format(name, type(salt)))
    end
    expect(salt == nil or type(salt) == "string", "M.salts." .. name .. " is a string or nil"):to_be_true()
  end
  -- Who shares a VM's OS image: when it rewrites the image, copy-on-write leaves the VMs
  -- that shared it with the page to themselves, so what they consume grows. Each VM is
  -- probed in a scenario of its own.
  local function partners(i)
    local _, vms = scenario{ names = names, salts = salts }
    local before = {}
    for j, vm in ipairs(vms) do before[j] = vm.memory.consumed end
    vms[i].guest:write("256 MiB", "image")
    lab.run_for("1 min")
    local found = {}
    for j, vm in ipairs(vms) do
      if j ~= i and vm.memory.consumed - before[j] > lab.bytes("1 MiB") then found[#found + 1] = names[j] end
    end
    retire(vms)
    return found
  end
  local right = 0
  for _, group in ipairs({ { 1, 2 }, { 3, 4 } }) do
    local with = partners(group[1])
    if #with == 1 and with[1] == names[group[2]] then
      right = right + 1
    else
      lab.feedback(("With your salts, %s shares its OS image with %s."):format(names[group[1]],
        #with == 0 and "no other VM" or table.concat(with, ", ")))
    end
  end
  partial(right / 2)
  expect(right, "groups that share only within themselves", "count"):to_equal(2)
end)

check("large pages", { number = "4", points = 2,
  hint = "TPS compares 4 KB pages. When does ESXi give up the speed of 2 MB pages to find some?" }, function()
  local roomy, roomy_vms = scenario{ salting = 0, large_pages = true, memory = "32 GiB" }
  local roomy_saved = roomy.memory.shared_saved
  retire(roomy_vms)
  local tight, tight_vms = scenario{ salting = 0, large_pages = true, memory = "10 GiB" }
  retire(tight_vms)
  expect(size_of("saved_with_large_pages"), "M.saved_with_large_pages", "bytes")
    :to_be_near(roomy_saved, lab.bytes("16 MiB"))
  -- the tight host breaks its large pages when free memory first falls below an edge
  local breaks = lab.events{ kind = "memory.share", subject = tight }
  expect(#breaks, "large-page breaks on the tight host", "count"):to_be_at_least(1)
  local broken_in = state_at(tight, breaks[1].time)
  local above
  for i, s in ipairs(STATES) do if s == broken_in then above = STATES[i - 1] end end
  expect(choice_of("large_pages_broken_below"), "M.large_pages_broken_below"):to_equal(above)
end)

check("copy-on-write", { number = "5", points = 2,
  hint = "When one guest rewrites a page it shares, what happens to the copy the others still map?" }, function()
  local h, vms = scenario{ salting = 0 }
  local before = h.memory.shared_saved
  vms[1].guest:write("256 MiB", "image")   -- an OS update rewrites vm1's image
  lab.run_for("10 min")
  expect(size_of("saved_drop_after_update"), "M.saved_drop_after_update", "bytes")
    :to_be_near(before - h.memory.shared_saved, lab.bytes("4 MiB"))
end)
