-- Instructor-only: fair_vm_mhz and chunks_done on hosts, clocks, VMs and chunk sizes the
-- public checks do not try. Never shipped to students. Its hosts are named "h-fair..."
-- and "h-slow...".
local shared = ...
local answer = lab.submission("answer.lua")

check("fair_vm_mhz on other hosts, VMs and bounds", { number = "H4", points = 2, visibility = "after_due_date",
  hide_errors = "fair_vm_mhz gave a wrong speed for a host size, clock, VM width, thread count or limit the "
             .. "public check does not try." }, function()
  local fn = lab.answer(answer, "fair_vm_mhz", "function")
  local cases = {
    { 1, 1000, 4, 4, nil },
    { 2, 2400, 8, 1, nil },
    { 4, 3000, 8, 8, nil },
    { 1, 2000, 4, 2, 500 },
    { 3, 2000, 5, 5, 4000 },
    { 8, 2000, 12, 3, nil },
  }
  local right = shared.judge_fair_pairs(fn, cases, false)
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)

check("chunks_done on other slow hosts and chunk sizes", { number = "H5", points = 2, visibility = "after_due_date",
  hide_errors = "chunks_done gave a wrong number of chunks for a clock, host size, VM or chunk size the public "
             .. "check does not try." }, function()
  local fn = lab.answer(answer, "chunks_done", "function")
  local cases = {
    { 7, 2, 5, 4, 1000, 1000 },
    { 3000, 1, 4, 3, 1000, 5 },
    { 12000, 1, 3, 2, 7000, 10 },
    { 50, 4, 2, 6, 1200, 300 },
    { 2, 3, 8, 8, 1000, 1800 },
  }
  local right = shared.judge_chunks(fn, cases, false)
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)
