-- Instructor-only: vm_cpu_mhz on hosts, periods and quotas the public checks do not try.
-- Never shipped to students.
local shared = ...
local answer = lab.submission("answer.lua")

local function fn_of()
  local fn = lab.answer(answer, "vm_cpu_mhz")
  expect(type(fn), "M.vm_cpu_mhz should be a function; its type"):to_equal("function")
  return fn
end

check("vm_cpu_mhz on other hosts and periods", { number = "H1", points = 3, visibility = "after_due_date",
  hide_errors = "vm_cpu_mhz gave a wrong speed for pCPU speeds, periods and quotas the public checks do not try." },
  function()
  local cases = {
    { 3, 6, 60, 200, 100, 2400 },
    { 8, 8, 20, 100, 50, 3000 },
    { 2, 4, nil, 300, 200, 2400 },
    { 5, 8, 100, 400, 250, 3000 },
    { 1, 2, 150, nil, 500, 2400 },
  }
  local right = shared.judge(fn_of(), cases, false)
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)

check("vm_cpu_mhz when the threads, not the quotas, bound the VM", { number = "H2", points = 2,
  visibility = "after_due_date",
  hide_errors = "vm_cpu_mhz gave a wrong speed when there are more threads than vCPUs, or a VM-wide quota "
             .. "larger than the vCPUs can use." }, function()
  local cases = {
    { 8, 4, 50, nil, 200, 3000 },
    { 2, 4, nil, 300, 100, 2400 },
    { 1, 8, nil, 400, 100, 3000 },
  }
  local right = shared.judge(fn_of(), cases, false)
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)
