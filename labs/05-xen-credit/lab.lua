-- Lab 05: Xen's credit scheduler — weights, caps, credits and BOOST.
-- Every answer is checked against domains run on a simulated Xen host, or against a hash
-- where the model has no counter to compare with.
local answer = lab.submission("answer.lua", { simulate = false })

local hosts = 0
-- Busy 1-vCPU domains (their cpu settings) on a 1-pCPU Xen host for one minute;
-- returns each domain's mean %RUN and %MLMTD, then powers them off.
local function domains(settings, workload)
  hosts = hosts + 1
  local h = lab.host{ name = "xen" .. hosts, cpus = 1, mhz = "2 GHz", memory = "16 GiB", scheduler = "credit" }
  local vms = {}
  for i, cpu in ipairs(settings) do
    vms[i] = h:create_vm{ name = h.name .. "-dom" .. i, memory = "1 GiB", cpu = cpu }
    vms[i]:power_on()
    vms[i]:run(workload and workload[i] or lab.workload.busy())
  end
  lab.run_for("1 min")
  local out = {}
  for i, vm in ipairs(vms) do
    out[i] = { run = lab.series(vm, "cpu.run"):mean(), limited = lab.series(vm, "cpu.limited"):mean(),
               ready = lab.series(vm, "cpu.ready"):mean() }
    vm:power_off()
  end
  return out
end

-- A number returned by a student's function: a number, or a string such as "25%" (a
-- percentage; a fraction when `fraction` is true) or "0.25"; nil when it is neither.
local function number_of(v, fraction)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local pct = tonumber(v:match("^%s*([%d%.]+)%s*%%%s*$") or "")
  if pct then return fraction and pct / 100 or pct end
  return tonumber(v)
end

-- What a student's value looks like in feedback.
local function shown(v)
  if type(v) == "number" then return ("%.4g"):format(v) end
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

-- A function of the submission; anything else fails the check with one message.
local function answer_function(name)
  return lab.answer(answer, name, "function")
end

-- Feedback about a student's function failing or returning the wrong kind of value:
-- once per distinct problem, so one broken answer gives one message.
local told = {}
local function tell_once(key, text)
  if told[key] then return end
  told[key] = true
  lab.feedback(text)
end
local function failed_once(call, err)
  tell_once(call:match("^[%w_]+") .. " failed: " .. tostring(err), ("%s failed: %s"):format(call, tostring(err)))
end

-- Tries `f(arg...)` against the value measured on the host; returns true when within
-- `tolerance`, else gives the student feedback naming the case and their own value.
local function judge(call, f, args, measured, tolerance, fraction, what)
  local ok, got = pcall(f, table.unpack(args))
  local n = ok and number_of(got, fraction)
  if n and math.abs(n - measured) <= tolerance then return true end
  print(("%s: the host gave %.3f, you said %s"):format(call, measured, tostring(got)))
  if not ok then
    failed_once(call, got)
  elseif not n then
    tell_once(call:match("^[%w_]+") .. " returned " .. shown(got), ("%s returned %s: give %s"):format(call, shown(got), what))
  else
    lab.feedback(("%s: you said %s, which is %s"):format(call, shown(got), n > measured and "too high" or "too low"))
  end
  return false
end

check("weights: share(w1, w2)", { number = "1", points = 2, reveal = "value",
  hint = "Each slice's credit is handed out by weight, and a domain that has spent its credit (OVER) waits "
      .. "behind those that still have some (UNDER). What does that leave each domain over many slices?" }, function()
  local share = answer_function("share")
  local right, cases = 0, { { 512, 256 }, { 256, 256 }, { 100, 300 } }
  for _, c in ipairs(cases) do
    local r = domains({ { weight = c[1] }, { weight = c[2] } })
    if judge(("share(%d, %d)"):format(c[1], c[2]), share, c, r[1].run / 100, 0.02, true,
             "a fraction from 0 to 1 (or a string such as \"25%\")") then
      right = right + 1
    end
  end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

check("caps on an idle host: capped_run(cap)", { number = "2", points = 2, reveal = "value",
  hint = "Is a cap enforced when nothing else wants the pCPU? And what does a cap of 0 mean in Xen?" }, function()
  local capped_run = answer_function("capped_run")
  local right, cases = 0, { 50, 0, 25 }
  for _, cap in ipairs(cases) do
    local r = domains({ { cap = cap } })
    if judge(("capped_run(%d)"):format(cap), capped_run, { cap }, r[1].run, 1.5, false,
             "a percentage from 0 to 100 (or a string such as \"40%\")") then
      right = right + 1
    end
  end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

-- credit.c's constants are not counters of the model: the answers are compared by hash
check("credit arithmetic", { number = "3", points = 2,
  hint = "How fast does a running vCPU burn credit, and how long is a slice? For the floor, see how far "
      .. "below zero the accounting lets credit go (docs/model.md, \"Xen credit\")." }, function()
  local burned = lab.answer(answer, "credits_burned_per_slice", "count")
  local floor = lab.answer(answer, "credit_floor", "count")
  expect(burned, "credits a vCPU burns in one full 30 ms slice", "count")
    :to_hash("sha256:983bd614bb5afece5ab3b6023f71147cd7b6bc2314f9d27af7422541c6558389")
  expect(floor, "the lowest credit a vCPU can have", "count")
    :to_hash("sha256:d948bf8d9aea54c39b53c5119afa078d7529334f702e4765c9a47d3ea9c04bb4")
end)

-- each case's hash is that of "priority(<credit>) = <the right priority>"
check("priorities: priority(credit)", { number = "4", points = 1, reveal = "value",
  hint = "Which credits count as UNDER and which as OVER? The handout's description of credit1 says." }, function()
  local priority = answer_function("priority")
  local cases = {
    { 120, "sha256:d43ba7c3b14de4c7a131dc82ff52fb749cc337ff9cbc28ff8a96f0261440d733" },
    { -5, "sha256:1b810ce80dba3975f08a9507aaf7c7bb7b88db48099c97643d02d811e929bec3" },
    { 250, "sha256:0b655c96875089a379f8b31bf97e3ed0ddd64f6245530c40367e6c44cfdb90a4" },
    { -120, "sha256:2d7db01e92001b0b597fc0ffe4e7d6bd42ffcacbb37ee0ad95362bb2d78fd60a" },
  }
  local right, said = 0, {}
  for _, c in ipairs(cases) do
    local call = ("priority(%d)"):format(c[1])
    local ok, got = pcall(priority, c[1])
    if not ok then
      failed_once(call, got)
    elseif type(got) ~= "string" then
      tell_once("priority returned " .. shown(got), ("%s returned %s: give \"UNDER\" or \"OVER\""):format(call, shown(got)))
    else
      -- with two choices, marking one case wrong would give its answer away: list them all
      said[#said + 1] = ("%s = %q"):format(call, got)
      if lab.hash(("%s = %s"):format(call, got:upper())) == c[2] then right = right + 1 end
    end
  end
  if right < #cases and #said > 0 then lab.feedback("your answers: " .. table.concat(said, ", ")) end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

-- an I/O-bound domain (25 ms of work each second) next to a CPU hog
local io = domains({ {}, {} }, { lab.workload.busy(), lab.workload.cpu{ load = 0.025, period = "1 s" } })
check("a waking domain: BOOST", { number = "5", points = 2, reveal = "direction",
  hint = "When the I/O domain wakes, does it still have credit? What does BOOST do to the vCPU that is "
      .. "running at that moment?" }, function()
  local ready = lab.answer(answer, "io_domain_ready", "%")
  expect(ready, "%RDY of the I/O-bound domain", "%"):to_be_near(io[2].ready, 1)
end)

-- the targets below are stated in the handout, so failures may show them
check("your weights and cap", { number = "6", points = 3, reveal = "value",
  hint = "Which setting matters when both domains are busy, and which one still matters when bronze runs "
      .. "alone?" }, function()
  local gold, bronze = lab.answer(answer, "gold"), lab.answer(answer, "bronze")
  expect(type(gold) == "table", "M.gold is a table of settings such as { weight = 512 }"):to_be_true()
  expect(type(bronze) == "table", "M.bronze is a table of settings such as { weight = 512 }"):to_be_true()
  -- a setting the host refuses fails the check with the host's reason, naming the answer
  for name, settings in pairs({ gold = gold, bronze = bronze }) do
    for key in pairs(settings) do
      if key ~= "weight" and key ~= "cap" then
        error(("M.%s: %s is not a setting of Xen's credit scheduler (use weight and cap)"):format(name, tostring(key)), 0)
      end
    end
  end
  local function try(name, settings)
    local ok, out = pcall(domains, settings)
    if not ok then error(("M.%s was refused: %s"):format(name, (tostring(out):gsub("^[^:]*:%d+: ", ""))), 0) end
    return out
  end
  local together = try("gold or M.bronze", { gold, bronze })
  local alone = try("bronze", { bronze })
  lab.feedback(("with your settings, gold got %.1f %% of the pCPU against bronze, and bronze alone got %.1f %%")
    :format(together[1].run, alone[1].run))
  local right = 0
  if together[1].run >= 75 then right = right + 1 end
  if alone[1].run <= 20.5 then right = right + 1 end
  partial(right / 2)
  expect(together[1].run, "gold's share against bronze", "%"):to_be_at_least(75)
  expect(alone[1].run, "bronze alone", "%"):to_be_at_most(20.5)
end)

return { number_of = number_of, answer_function = answer_function }
