-- Instructor-only: saved(salting, vms) for numbers of VMs the public check does not try
-- (3 and 6 instead of 4). Never shipped to students; `hyperlab pack` puts it only in the
-- autograder. Runs after lab.lua in the same world: its hosts are named "h-...".
local answer = lab.submission("answer.lua")

local SALTINGS, COUNTS = { 0, 1, 2 }, { 3, 6 }

-- The submission is asked first, before the hosts it is about exist.
local said = {}
for _, n in ipairs(COUNTS) do
  for _, salting in ipairs(SALTINGS) do
    local found, f = pcall(function() return answer.saved end)
    local ok, value = false, "M.saved is not a function"
    if found and type(f) == "function" then ok, value = pcall(f, salting, n) end
    said[n .. "/" .. salting] = { ok = ok, value = value }
  end
end

-- The public scenario with `n` VMs: 4 GiB Ubuntu guests writing 2 GiB (10 % zero pages).
local saved = {}
for _, n in ipairs(COUNTS) do
  for _, salting in ipairs(SALTINGS) do
    local h = lab.host{ name = ("h-tps-%d-%d"):format(n, salting), cpus = 8, memory = "32 GiB" }
    h.reclaim.tps.salting = salting
    h.reclaim.tps.large_pages = false
    for i = 1, n do
      local vm = h:create_vm{ name = ("h-tps-%d-%d-vm%d"):format(n, salting, i), memory = "4 GiB", guest = "ubuntu-22.04" }
      vm:power_on()
      vm.guest:touch("2 GiB", { zero = 0.1 })
    end
    saved[n .. "/" .. salting] = h
  end
end
lab.run_for("2 h")  -- every hidden host scans its VMs together

check("saved(salting, vms) for other numbers of VMs", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "saved(salting, vms) gave a wrong saving (or no size) for a number of VMs the public check does not try." },
  function()
  lab.answer(answer, "saved")
  local right, total = 0, 0
  for _, n in ipairs(COUNTS) do
    for _, salting in ipairs(SALTINGS) do
      local key = n .. "/" .. salting
      local truth = saved[key].memory.shared_saved
      local got = said[key]
      local bytes = got.ok and lab.size_of(got.value) or nil
      total = total + 1
      if bytes and math.abs(bytes - truth) <= 0.02 * truth then
        right = right + 1
      else
        print(("H1 saved(%d, %d): the host saved %s, the submission said %s"):format(salting, n,
          lab.format.bytes(truth), tostring(got.value)))
      end
    end
  end
  partial(right / total)
  expect(right, "cases answered right", "count"):to_equal(total)
end)
