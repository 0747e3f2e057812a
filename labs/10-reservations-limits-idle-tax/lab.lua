-- Lab 10: memory reservations, limits, shares and the idle memory tax — how ESXi
-- decides whose memory to reclaim. Verdicts come from the simulated hosts; the one fixed
-- answer (question 5) is compared by hash.
local answer = lab.submission("answer.lua")

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

return { ratio_of = ratio_of, idle_vs_busy = idle_vs_busy }
