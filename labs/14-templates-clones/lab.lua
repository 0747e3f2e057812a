-- Lab 14: templates, full clones and linked clones — what deploying from a template
-- costs in time and space, and what a clone keeps of its template.
local answer = lab.submission("answer.lua")

local function size_of(name) return lab.answer_bytes(answer, name) end

-- A web appliance: 2 vCPUs, 4 GiB with 2 GiB reserved and high memory shares, a 40 GiB
-- thin disk holding 12 GiB (its OS and application), on a SAN datastore (300 MB/s).
local san = lab.datastore{ name = "SAN1", capacity = "2 TiB", kind = "san" }
local h = lab.host{ name = "esx01", cpus = 16, memory = "128 GiB", datastores = { san } }
local gold = h:create_vm{ name = "web-gold", vcpus = 2, memory = "4 GiB",
                          mem = { reservation = "2 GiB", shares = "high" },
                          disks = { { size = "40 GiB", provisioning = "thin" } } }
gold:power_on()
local install = gold:run(lab.workload.disk{ write = "12 GiB", rate = "1 GB/s" })
lab.run_until(function() return not install.running end, "1 h")
gold:power_off()
local powered_on_before_template = pcall(gold.clone, gold, { name = "try", linked = true })
gold:to_template()
local template_powers_on = pcall(gold.power_on, gold)

local first = gold:clone{ name = "web-full-1" }
local t0 = lab.now()
lab.run_until(function() return first.disks[1].ready end, "1 h")
local full_clone_seconds = lab.now() - t0

check("a template", { number = "1", points = 2,
  hint = "A template is a golden image: it is cloned, never run; linked clones need one." }, function()
  expect(answer.template_powers_on, "M.template_powers_on"):to_equal(template_powers_on)
  expect(answer.linked_clone_of_a_plain_vm, "M.linked_clone_of_a_plain_vm"):to_equal(powered_on_before_template)
end)

check("a full clone takes time", { number = "2", points = 2,
  hint = "A full clone copies the template's data at the datastore's write bandwidth." }, function()
  expect(answer.full_clone_seconds, "M.full_clone_seconds"):to_be_set()
  expect(answer.full_clone_seconds, "seconds to deploy a full clone", "seconds"):to_be_near(full_clone_seconds, "5%")
end)

-- Nine more full clones and ten linked clones.
local full, linked = { first }, {}
for i = 2, 10 do full[i] = gold:clone{ name = "web-full-" .. i } end
for i = 1, 10 do linked[i] = gold:clone{ name = "web-linked-" .. i, linked = true } end
lab.run_for("10 min")
local function disk_space(list)
  local total = 0
  for _, vm in ipairs(list) do total = total + vm.disks[1].used end
  return total
end
local full_space, linked_space = disk_space(full), disk_space(linked)

check("space of ten clones", { number = "3", points = 2,
  hint = "Full clones copy the data; linked clones share the template's disk and start with empty deltas." }, function()
  expect(size_of("ten_full_clones_space"), "disk space of ten full clones", "bytes"):to_equal(full_space)
  expect(size_of("ten_linked_clones_space"), "disk space of ten linked clones", "bytes"):to_equal(linked_space)
end)

-- Each linked clone powers on and its application rewrites 1 GiB of the shared data.
for _, vm in ipairs(linked) do
  vm:power_on()
  vm:run(lab.workload.disk{ write = "1 GiB", rate = "200 MB/s", rewrite = true })
end
lab.run_for("10 min")
local linked_after = disk_space(linked)
local template_after = gold.disks[1].used

check("linked clones write to their deltas", { number = "4", points = 2,
  hint = "The shared base is read-only: every write of a linked clone goes to its own delta." }, function()
  expect(size_of("linked_space_after_writes"), "disk space of the ten linked clones after the writes", "bytes")
    :to_equal(linked_after)
  expect(size_of("template_space_after_writes"), "the template's disk after the writes", "bytes"):to_equal(template_after)
end)

check("an appliance keeps its settings", { number = "5", points = 2,
  hint = "Deploying from a template copies its configuration: vCPUs, memory, shares, reservations, disks." }, function()
  local c = linked[1]
  expect(size_of("clone_reservation"), "a clone's memory reservation", "bytes"):to_equal(c.memory.reservation)
  expect(answer.clone_vcpus, "M.clone_vcpus"):to_equal(c.vcpus)
end)
