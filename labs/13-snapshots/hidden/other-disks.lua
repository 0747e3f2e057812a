-- Instructor-only: delta_size on situations the public checks do not try, and
-- consolidate's actions on another paused VM. Never shipped to students; `hyperlab pack` puts it
-- only in the autograder. Runs after lab.lua in the same world: names start with "h-".
local shared = ...
local answer = lab.submission("answer.lua")

local ds = lab.datastore{ name = "h-ds", capacity = "500 GiB", kind = "ssd" }
local h = lab.host{ name = "h-esx01", cpus = 8, memory = "64 GiB", datastores = { ds } }

-- { data on the disk, rewritten after the snapshot, new data after that }
local cases = {
  { "12 GiB", "5 GiB", "3 GiB" }, { "6 GiB", "15 GiB", 0 }, { "10 GiB", "25 GiB", "4 GiB" },
  { "3 GiB", 0, "2 GiB" }, { "4 GiB", "1536 MiB", "512 MiB" },
}
for i, c in ipairs(cases) do
  local vm = h:create_vm{ name = "h-vm" .. i, memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = "40 GiB", provisioning = "thin" } } }
  vm:power_on()
  local function write(bytes, rewrite)
    if lab.bytes(bytes) == 0 then return end
    local w = vm:run(lab.workload.disk{ write = bytes, rate = "1 GB/s", rewrite = rewrite })
    lab.run_until(function() return not w.running end, "1 h")
  end
  write(c[1], false)
  vm:snapshot("s")
  write(c[2], true)
  write(c[3], false)
  c.args = { lab.bytes(c[1]), lab.bytes(c[2]), lab.bytes(c[3]) }
  c.delta = vm.disks[1].deltas[1]
  vm:power_off()
end

check("delta_size on unseen disks", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "delta_size gave a wrong size for a disk and writes the public checks do not try." }, function()
  local f = lab.answer(answer, "delta_size")
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(f, c.args[1], c.args[2], c.args[3])
    local b = ok and lab.size_of(got) or nil
    if b and math.abs(b - c.delta) <= lab.bytes("1 MiB") then right = right + 1 end
    print(("delta_size(%s, %s, %s): answered %s, the delta is %s"):format(lab.format.bytes(c.args[1]),
      lab.format.bytes(c.args[2]), lab.format.bytes(c.args[3]), tostring(got), lab.format.bytes(c.delta)))
  end
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)

-- A thick disk on an HDD datastore with a snapshot named "backup": it pauses rewriting.
local tight = lab.datastore{ name = "h-tight", capacity = "30 GiB", kind = "hdd" }
local h2 = lab.host{ name = "h-esx02", cpus = 4, memory = "16 GiB", datastores = { tight } }
local app = h2:create_vm{ name = "h-app", memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = "24 GiB", provisioning = "thick-lazy" } } }
app:power_on()
local fill = app:run(lab.workload.disk{ write = "20 GiB", rate = "1 GB/s" })
lab.run_until(function() return not fill.running end, "1 h")
app:snapshot("backup")
app:run(lab.workload.disk{ write = "12 GiB", rate = "1 GB/s", rewrite = true })
lab.run_until(function() return app.state == "paused" end, "1 h")

local read_actions, apply_actions = shared.read_actions, shared.apply_actions

check("consolidate on another VM", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "consolidate did not return actions that get another paused VM with a snapshot \"backup\" "
             .. "running again with its snapshot merged." }, function()
  expect(app.state, "h-app before consolidate"):to_equal("paused")
  local consolidate = lab.answer(answer, "consolidate")
  local ok, list = pcall(consolidate, app)
  if not ok then error("consolidate(vm) failed: " .. tostring(list), 0) end
  apply_actions(read_actions(list, { [app.name] = app }, "consolidate(vm)", app), "consolidate(vm)")
  expect(app.snapshots, "h-app's snapshots"):to_equal({})
  expect(app.state, "h-app's state"):to_equal("on")
  expect(app.disks[1].used, "h-app's disk on the datastore", "bytes"):to_equal(app.disks[1].size)
  lab.run_for("1 min")
  expect(app.state, "h-app a minute later"):to_equal("on")
end)
