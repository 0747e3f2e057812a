-- Instructor-only: reclaimable(vm) on VMs and histories the public checks do not try
-- (other sizes, a workload stopped, a free list partly and wholly reused, a Windows
-- guest that zeroes its memory at boot, a VM powered off and on again). Never shipped
-- to students; `hyperlab pack` puts it only in the autograder.
local answer = lab.submission("answer.lua")

local h = lab.host{ name = "hidden-esx", cpus = 16, memory = "128 GiB" }
local function vm_of(name, memory, guest)
  local vm = h:create_vm{ name = "hidden-" .. name, memory = memory, guest = guest }
  vm:power_on()
  return vm
end

local cases = {}
do -- 16 GiB: writes 12, frees 9, allocates 4 again (part of the free list is reused)
  local vm = vm_of("db", "16 GiB")
  vm.guest:touch("12 GiB"); vm.guest:free("9 GiB"); vm.guest:touch("4 GiB")
  cases[#cases + 1] = vm
end
do -- 2 GiB: a workload allocates 1.5 GiB, then stops
  local vm = vm_of("web", "2 GiB")
  vm:run(lab.workload.memory{ size = "1.5 GiB", active = "512 MiB", rate = "256 MiB/s" })
  lab.run_for("1 min")
  vm:stop()
  cases[#cases + 1] = vm
end
do -- 6 GiB, written in full, 512 MiB freed
  local vm = vm_of("cache", "6 GiB")
  vm.guest:touch("6 GiB"); vm.guest:free("512 MiB")
  cases[#cases + 1] = vm
end
do -- 8 GiB: the new allocation is larger than the free list
  local vm = vm_of("batch", "8 GiB")
  vm.guest:touch("2 GiB"); vm.guest:free("1 GiB"); vm.guest:touch("3 GiB")
  cases[#cases + 1] = vm
end
do -- a Windows guest zeroes all its memory at boot
  cases[#cases + 1] = vm_of("win", "3 GiB", "windows")
end
do -- powered off and on again: a fresh start
  local vm = vm_of("rebooted", "4 GiB")
  vm.guest:touch("3 GiB"); vm.guest:free("2 GiB")
  vm:power_off(); vm:power_on()
  cases[#cases + 1] = vm
end

check("reclaimable(vm) on unseen VMs", { number = "H1", points = 2, visibility = "after_due_date", reveal = "value",
  hide_errors = "reclaimable(vm) gave a wrong amount (or no size) for VMs whose history the public checks do not try." },
  function()
    lab.answer(answer, "reclaimable")
    local right = 0
    for _, vm in ipairs(cases) do
      local truth = vm.guest.free_list
      local ok, got = pcall(answer.reclaimable, vm)
      local bytes = ok and lab.size_of(got) or nil
      if bytes ~= bytes then bytes = nil end  -- NaN is not a size
      if bytes == truth then
        right = right + 1
      else
        print(("H1 reclaimable(%s): expected %.0f bytes, got %s"):format(vm.name, truth, tostring(bytes or got)))
      end
    end
    partial(right / #cases)
    expect(right, "unseen VMs answered right", "count"):to_equal(#cases)
  end)
