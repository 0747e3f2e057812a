-- Lab 04: CPU shares, reservations and limits on ESXi's proportional-share scheduler,
-- and admission control. Verdicts come from the simulated hosts.
local answer = lab.submission("answer.lua", { simulate = false })

local hosts = 0
local function host(cpus)
  hosts = hosts + 1
  return lab.host{ name = "esx" .. hosts, cpus = cpus, mhz = "2 GHz", memory = "64 GiB" }
end

-- Runs busy VMs (one per entry: { vcpus, cpu allocation }) for two minutes; returns them
-- with their mean MHz used and %RUN / %RDY / %MLMTD, then powers them off.
local function run(h, specs)
  local vms = {}
  for i, spec in ipairs(specs) do
    vms[i] = h:create_vm{ name = h.name .. "-vm" .. i, vcpus = spec[1], memory = "1 GiB", cpu = spec[2] }
    vms[i]:power_on()
    if spec[3] ~= false then vms[i]:run(lab.workload.busy(spec[1])) end
  end
  lab.run_for("2 min")
  local out = {}
  for i, vm in ipairs(vms) do
    local s = function(m) return lab.series(vm, m):mean() end
    out[i] = { mhz = s("cpu.used_mhz"), run = s("cpu.run"), ready = s("cpu.ready"), limited = s("cpu.limited") }
    vm:power_off()
  end
  return out
end

-- A fraction returned by a student's function: a number, or a string such as "0.25" or
-- "25%"; nil when it is neither.
local function fraction_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local pct = v:match("^%s*([%d%.]+)%s*%%%s*$")
  if pct then return tonumber(pct) and tonumber(pct) / 100 end
  return tonumber(v)
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

-- What a student's value looks like in per-case feedback.
local function shown(v)
  if type(v) == "number" then return ("%.4g"):format(v) end
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

check("shares under contention: share(a, b)", { number = "1", points = 2, reveal = "value",
  hint = "Both VMs always want the pCPU: what do their shares decide about how it is split? "
      .. "Try two busy VMs on a one-pCPU host of your own and read their %RUN." }, function()
  local share = answer_function("share")
  local right, cases = 0, { { "high", "normal", 2000, 1000 }, { "low", "high", 500, 2000 },
                            { "normal", "normal", 1000, 1000 } }
  for _, c in ipairs(cases) do
    local r = run(host(1), { { 1, { shares = c[1] } }, { 1, { shares = c[2] } } })
    local measured = r[1].run / 100
    local ok, got = pcall(share, c[3], c[4])
    local f = ok and fraction_of(got)
    if f and math.abs(f - measured) <= 0.02 then
      right = right + 1
    else
      print(("share(%d, %d): the host gave %.3f, you said %s"):format(c[3], c[4], measured, tostring(got)))
      if not ok then
        failed_once(("share(%d, %d)"):format(c[3], c[4]), got)
      elseif not f then
        tell_once("share returned " .. shown(got), ("share(%d, %d) returned %s: give a fraction from 0 to 1 "
          .. "(or a string such as \"25%%\")"):format(c[3], c[4], shown(got)))
      else
        lab.feedback(("share(%d, %d): you said %s, which is %s"):format(c[3], c[4], shown(got),
          f > measured and "too high" or "too low"))
      end
    end
  end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

check("shares without contention", { number = "2", points = 1, reveal = "direction",
  hint = "Shares only matter when vCPUs compete for pCPUs: count the vCPUs and the pCPUs." }, function()
  local r = run(host(2), { { 1, { shares = "high" } }, { 1, { shares = "low" } } })
  local given = lab.answer(answer, "low_share_run_without_contention", "%")
  expect(given, "%RUN of the Low VM", "%"):to_be_near(r[2].run, 1)
end)

check("admission control: admits(capacity, reserved, request)", { number = "3", points = 2, reveal = "value",
  hint = "Work out what is still unreserved once the first VM is on, and think about a request that "
      .. "fits exactly. Over-commitment itself is never refused." }, function()
  local admits = answer_function("admits")
  local right, cases, said = 0, { { 6000, 5000 }, { 6000, 4000 }, { 0, 10000 }, { 9000, 1500 } }, {}
  for _, c in ipairs(cases) do
    local h = host(5)  -- 10 GHz
    if c[1] > 0 then
      local a = h:create_vm{ name = h.name .. "-a", vcpus = 5, memory = "1 GiB", cpu = { reservation = c[1] } }
      a:power_on()
    end
    local b = h:create_vm{ name = h.name .. "-b", vcpus = 5, memory = "1 GiB", cpu = { reservation = c[2] } }
    local actual = pcall(b.power_on, b)
    local ok, got = pcall(admits, 10000, c[1], c[2])
    local call = ("admits(10000, %d, %d)"):format(c[1], c[2])
    if ok and got == actual then
      right = right + 1
    else
      print(("%s: the host said %s, you said %s"):format(call, tostring(actual), tostring(got)))
    end
    -- a yes/no answer marked wrong would give the right one away: show the answers only
    if not ok then
      failed_once(call, got)
    elseif type(got) ~= "boolean" then
      tell_once("admits returned " .. shown(got), ("%s returned %s: give true or false"):format(call, shown(got)))
    else
      said[#said + 1] = ("%s = %s"):format(call, tostring(got))
    end
    for _, vm in ipairs(h.vms) do if vm.state == "on" then vm:power_off() end end
  end
  if right < #cases and #said > 0 then lab.feedback("your answers: " .. table.concat(said, ", ")) end
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

local idle_reserved = run(host(5), { { 4, { reservation = "6 GHz" }, false }, { 4, { reservation = "4 GHz" } } })
check("an idle VM's reservation is not wasted", { number = "4", points = 2, reveal = "direction",
  hint = "Is a reservation a cap? Think about what happens to reserved MHz that the idle VM does not use." }, function()
  local given = lab.answer(answer, "busy_mhz_while_reserver_idle", "MHz")
  expect(given, "MHz used by the busy VM", "MHz"):to_be_near(idle_reserved[2].mhz, 40)
end)

local limited = run(host(1), { { 1, { limit = "500 MHz" } } })
check("a limit on an idle host", { number = "5", points = 2, reveal = "direction",
  hint = "A limit holds a VM back even when nothing else wants the CPU; esxtop shows that time as %MLMTD, "
      .. "which is part of %RDY." }, function()
  local run_pct = lab.answer(answer, "limited_run", "%")
  local mlmtd = lab.answer(answer, "limited_mlmtd", "%")
  expect(run_pct, "%RUN of the limited VM", "%"):to_be_near(limited[1].run, 1)
  expect(mlmtd, "%MLMTD of the limited VM", "%"):to_be_near(limited[1].limited, 1)
end)

-- the targets below are stated in the handout, so failures may show them
check("your allocation settings", { number = "6", points = 4, reveal = "value",
  hint = "Shares only divide contended CPU. Which setting guarantees a minimum however busy the host is, "
      .. "and which one holds a VM back on an idle host?" }, function()
  local web, batch = lab.answer(answer, "web_cpu"), lab.answer(answer, "batch_cpu")
  expect(type(web) == "table", "M.web_cpu is a table of CPU settings such as { shares = \"high\" }"):to_be_true()
  expect(type(batch) == "table", "M.batch_cpu is a table of CPU settings such as { shares = \"high\" }"):to_be_true()
  -- a setting the host refuses fails the check with the host's reason, naming the answer
  local function try(name, ...)
    local ok, out = pcall(run, ...)
    if not ok then error(("M.%s was refused: %s"):format(name, tostring(out):gsub("^[^:]*:%d+: ", "")), 0) end
    return out
  end
  -- contended: web against 3 busy normal VMs on 2 pCPUs (4 GHz)
  local busy = try("web_cpu", host(2), { { 2, web }, { 2, {} }, { 2, {} }, { 2, {} } })
  -- idle host: batch alone
  local alone = try("batch_cpu", host(2), { { 2, batch } })
  lab.feedback(("with your settings, web got %s under contention and batch used %s alone on an idle host")
    :format(lab.format.mhz(busy[1].mhz), lab.format.mhz(alone[1].mhz)))
  local right = 0
  if busy[1].mhz >= 1500 * 0.98 then right = right + 1 end
  if alone[1].mhz <= 1000 * 1.02 then right = right + 1 end
  partial(right / 2)
  expect(busy[1].mhz, "web under contention", "MHz"):to_be_at_least(1500 * 0.98)
  expect(alone[1].mhz, "batch on an idle host", "MHz"):to_be_at_most(1000 * 1.02)
end)

return { run = run, fraction_of = fraction_of }
