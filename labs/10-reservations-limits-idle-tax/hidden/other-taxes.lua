-- Instructor-only: target_ratio(tax) for tax settings and a host the public checks do not
-- try. Never shipped to students; `hyperlab pack` puts it only in the autograder.
local shared = ...
local answer = lab.submission("answer.lua")

local ratio_of = shared.ratio_of

-- Two 20 GiB VMs with equal shares on a 16 GiB host, one idle (11 GiB touched, none of it
-- active), one busy (18 GiB, all active): their targets after 30 min, idle ÷ busy.
local n = 0
local function idle_vs_busy(tax)
  n = n + 1
  return shared.idle_vs_busy(tax, lab.host{ name = "hidden-esx" .. n, cpus = 8, memory = "16 GiB" },
                             { vm = "20 GiB", idle = "11 GiB", busy = "18 GiB" })
end

check("target_ratio(tax) for other tax settings", { number = "H1", points = 3, visibility = "after_due_date",
  hide_errors = "target_ratio gave a wrong ratio for a tax setting the public checks do not try." }, function()
  local fn = lab.answer(answer, "target_ratio")
  local right = 0
  local taxes = { 20, 60, 90 }
  for _, tax in ipairs(taxes) do
    local measured = idle_vs_busy(tax)
    local ok, got = pcall(fn, tax / 100)
    local r = ok and ratio_of(got) or nil
    if r and math.abs(r - measured) <= 0.05 then
      right = right + 1
    else
      print(("H1 target_ratio(%.2f): the host gave %.3f, the submission %s"):format(tax / 100, measured, tostring(got)))
    end
  end
  partial(right / #taxes)
  expect(right, "unseen tax settings answered right", "count"):to_equal(#taxes)
end)
