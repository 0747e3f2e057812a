-- Instructor-only: target_ratio(tax) for tax settings and a host the public checks do not
-- try. Never shipped to students; `hyperlab pack` puts it only in the autograder.
local answer = lab.submission("answer.lua")

-- a ratio a student's function returned: a number, or a string such as "0.25" or "25%"
local function ratio_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local n = tonumber(v)
  if n then return n end
  local p = tonumber(v:match("^%s*([%d.]+)%s*%%%s*$") or "")
  return p and p / 100 or nil
end

-- Two 20 GiB VMs with equal shares on a 16 GiB host, one idle (11 GiB touched, none of it
-- active), one busy (18 GiB, all active): their targets after 30 min, idle ÷ busy.
local n = 0
local function idle_vs_busy(tax)
  n = n + 1
  local h = lab.host{ name = "hidden-esx" .. n, cpus = 8, memory = "16 GiB" }
  h.reclaim.idle_tax = tax
  local idle = h:create_vm{ name = h.name .. "-idle", memory = "20 GiB", guest = "ubuntu-22.04" }
  local busy = h:create_vm{ name = h.name .. "-busy", memory = "20 GiB", guest = "ubuntu-22.04" }
  idle:power_on(); busy:power_on()
  idle:run(lab.workload.memory{ size = "11 GiB", active = 0, rate = "512 MB/s" })
  lab.run_for("30 s")
  busy:run(lab.workload.memory{ size = "18 GiB", active = "18 GiB", rate = "16 MB/s" })
  lab.run_for("30 min")
  local ratio = idle.memory.target / busy.memory.target
  idle:power_off(); busy:power_off()
  return ratio
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
