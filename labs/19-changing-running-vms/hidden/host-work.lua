-- Instructor-only: vm_mhz_beside_host on hosts, speeds and thread counts the public
-- check does not try. Never shipped to students. Its hosts are named "h-own...".
local shared = ...
local answer = lab.submission("answer.lua")

check("vm_mhz_beside_host on other hosts", { number = "H3", points = 2, visibility = "after_due_date",
  hide_errors = "vm_mhz_beside_host gave a wrong speed for host sizes, pCPU speeds or numbers of host "
             .. "threads and VMs the public check does not try." }, function()
  local fn = lab.answer(answer, "vm_mhz_beside_host")
  expect(type(fn), "M.vm_mhz_beside_host should be a function; its type"):to_equal("function")
  local cases = {
    { "esx", 8, 3000, 5, 4 },
    { "esx", 4, 3000, 2, 1 },
    { "fair", 8, 3000, 5, 4 },
    { "fair", 1, 2000, 1, 3 },
    { "fair", 4, 3000, 2, 1 },
  }
  local right = shared.judge_host_work(fn, cases, false)
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)
