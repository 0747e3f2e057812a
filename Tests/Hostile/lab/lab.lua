-- The lab every hostile submission is graded against: a good answer scores 3 points.
local answer = lab.submission("answer.lua")
local h = lab.host{ name = "esx01", cpus = 2, memory = "8 GiB" }

check("value", { points = 1 }, function()
  expect(answer.value, "answer.value"):to_equal(42)
end)

check("f()", { points = 1 }, function()
  expect(answer.f, "answer.f"):to_be_set()
  expect(answer.f(h), "answer.f(h)"):to_equal(42)   -- h: the lab's host, read-only there
end)

check("the host is untouched", { points = 1 }, function()
  local vm = h:create_vm{ name = "vm", memory = "1 GiB" }
  vm:power_on()
  vm.guest:touch("512 MiB")
  lab.run_for("1 min")
  expect(vm.memory.consumed, "consumed"):to_equal(lab.bytes("512 MiB"))
end)
