-- Instructor-only: the lab's functions on weights, caps and credits the public checks do
-- not use, so copying the public results does not pass them. Never shipped to students.
local shared = ...

local hosts = 0
-- Busy 1-vCPU domains on a 1-pCPU Xen host (2.6 GHz) for one minute: mean %RUN each.
local function domains(settings)
  hosts = hosts + 1
  local h = lab.host{ name = "h-xen" .. hosts, cpus = 1, mhz = "2.6 GHz", memory = "16 GiB", scheduler = "credit" }
  local vms = {}
  for i, cpu in ipairs(settings) do
    vms[i] = h:create_vm{ name = h.name .. "-dom" .. i, memory = "1 GiB", cpu = cpu }
    vms[i]:power_on()
    vms[i]:run(lab.workload.busy())
  end
  lab.run_for("1 min")
  local out = {}
  for i, vm in ipairs(vms) do
    out[i] = lab.series(vm, "cpu.run"):mean()
    vm:power_off()
  end
  return out
end

-- As in lab.lua: numbers the student gave, and their functions.
local number_of, function_answer = shared.number_of, shared.answer_function

check("weights the public checks do not try", { number = "H1", points = 1, visibility = "after_due_date",
  hide_errors = "share gave a wrong fraction for weights the public checks do not use." }, function()
  local share = function_answer("share")
  local right, cases = 0, { { 1024, 256 }, { 128, 640 }, { 2000, 1000 } }
  for _, c in ipairs(cases) do
    local measured = domains({ { weight = c[1] }, { weight = c[2] } })[1] / 100
    local ok, got = pcall(share, c[1], c[2])
    local n = ok and number_of(got, true)
    if n and math.abs(n - measured) <= 0.02 then right = right + 1
    else print(("H1 share(%d, %d): host %.3f, submission %s"):format(c[1], c[2], measured, tostring(got))) end
  end
  partial(right / #cases)
  expect(right, "unseen weight cases answered right", "count"):to_equal(#cases)
end)

check("caps the public checks do not try", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "capped_run gave a wrong %RUN for caps the public checks do not use (a full cap, "
             .. "a small one, a large one)." }, function()
  local capped_run = function_answer("capped_run")
  local right, cases = 0, { 80, 10, 100 }
  for _, cap in ipairs(cases) do
    local measured = domains({ { cap = cap } })[1]
    local ok, got = pcall(capped_run, cap)
    local n = ok and number_of(got, false)
    if n and math.abs(n - measured) <= 1.5 then right = right + 1
    else print(("H2 capped_run(%d): host %.1f, submission %s"):format(cap, measured, tostring(got))) end
  end
  partial(right / #cases)
  expect(right, "unseen cap cases answered right", "count"):to_equal(#cases)
end)

check("priorities at the edges", { number = "H3", points = 1, visibility = "after_due_date",
  hide_errors = "priority gave the wrong priority for a credit at or near zero, or at the floor." }, function()
  local priority = function_answer("priority")
  local right, cases = 0, { { 0, "UNDER" }, { -300, "OVER" }, { -0.5, "OVER" }, { 1, "UNDER" }, { 300, "UNDER" } }
  for _, c in ipairs(cases) do
    local ok, got = pcall(priority, c[1])
    if ok and type(got) == "string" and got:upper() == c[2] then right = right + 1
    else print(("H3 priority(%s): %s, submission %s"):format(tostring(c[1]), c[2], tostring(got))) end
  end
  partial(right / #cases)
  expect(right, "edge priority cases answered right", "count"):to_equal(#cases)
end)
