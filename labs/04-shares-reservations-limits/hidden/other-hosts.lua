-- Instructor-only: the same questions on hosts and settings the public checks do not
-- use, so copying the public results does not pass them. Never shipped to students.
local shared = ...
local answer = lab.submission("answer.lua")

local hosts = 0
local function host(cpus, mhz)
  hosts = hosts + 1
  return lab.host{ name = "h-esx" .. hosts, cpus = cpus, mhz = mhz, memory = "64 GiB" }
end

-- Busy VMs ({ vcpus, cpu allocation }) for two minutes, and fractions, as in lab.lua.
local run, fraction_of = shared.run, shared.fraction_of

check("admission control on a 7.2 GHz host", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "admits gave the wrong verdict on a host of another capacity (3 pCPUs at 2.4 GHz)." }, function()
  local admits = lab.answer(answer, "admits", "function")
  -- { already reserved, request } in MHz, including exact fits and a fully reserved host
  local right, cases = 0, { { 3000, 4200 }, { 3000, 4300 }, { 7200, 0 }, { 4800, 2401 }, { 0, 7200 } }
  for _, c in ipairs(cases) do
    local h = host(3, "2.4 GHz")
    if c[1] > 0 then
      h:create_vm{ name = h.name .. "-a", vcpus = 3, memory = "1 GiB", cpu = { reservation = c[1] } }:power_on()
    end
    local b = h:create_vm{ name = h.name .. "-b", vcpus = 3, memory = "1 GiB", cpu = { reservation = c[2] } }
    local actual = pcall(b.power_on, b)
    local ok, got = pcall(admits, 7200, c[1], c[2])
    if ok and got == actual then right = right + 1
    else print(("H1 admits(7200, %d, %d): host %s, submission %s"):format(c[1], c[2], tostring(actual), tostring(got))) end
    for _, vm in ipairs(h.vms) do if vm.state == "on" then vm:power_off() end end
  end
  partial(right / #cases)
  expect(right, "unseen admission cases answered right", "count"):to_equal(#cases)
end)

check("shares given as numbers", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "share gave a wrong fraction for share values the public checks do not use." }, function()
  local share = lab.answer(answer, "share", "function")
  local right, cases = 0, { { 3000, 1000 }, { 700, 1300 }, { 250, 4000 } }
  for _, c in ipairs(cases) do
    local r = run(host(1, "3 GHz"), { { 1, { shares = c[1] } }, { 1, { shares = c[2] } } })
    local ok, got = pcall(share, c[1], c[2])
    local f = ok and fraction_of(got)
    if f and math.abs(f - r[1].run / 100) <= 0.02 then right = right + 1
    else print(("H2 share(%d, %d): host %.3f, submission %s"):format(c[1], c[2], r[1].run / 100, tostring(got))) end
  end
  partial(right / #cases)
  expect(right, "unseen share cases answered right", "count"):to_equal(#cases)
end)

check("your settings on other hosts", { number = "H3", points = 2, visibility = "after_due_date",
  hide_errors = "Your settings did not hold on another host: web was not guaranteed 1.5 GHz against more "
             .. "busy VMs, or batch went above 1 GHz on a bigger idle host." }, function()
  local web, batch = lab.answer(answer, "web_cpu"), lab.answer(answer, "batch_cpu")
  expect(type(web) == "table" and type(batch) == "table", "M.web_cpu and M.batch_cpu are tables"):to_be_true()
  -- web against seven busy 2-vCPU VMs on 2 pCPUs; batch alone on 4 pCPUs at 3 GHz
  local specs = { { 2, web } }
  for i = 2, 8 do specs[i] = { 2, {} } end
  local busy = run(host(2, "2 GHz"), specs)
  local alone = run(host(4, "3 GHz"), { { 2, batch } })
  print(("H3 web got %.0f MHz against 7 busy VMs; batch used %.0f MHz alone on 12 GHz"):format(busy[1].mhz, alone[1].mhz))
  local right = 0
  if busy[1].mhz >= 1500 * 0.98 then right = right + 1 end
  if alone[1].mhz <= 1000 * 1.02 then right = right + 1 end
  partial(right / 2)
  expect(busy[1].mhz, "web against seven busy VMs", "MHz"):to_be_at_least(1500 * 0.98)
  expect(alone[1].mhz, "batch alone on a 12 GHz host", "MHz"):to_be_at_most(1000 * 1.02)
end)
