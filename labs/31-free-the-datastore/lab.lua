-- Lab 31: free the datastore. Thin disks and a snapshot delta filled a datastore and the
-- VMs that write to it paused with a question. The student's function is handed the VMs
-- and the datastore and may take the administrator's actions on them (delete a snapshot,
-- power off or suspend a VM, answer a question); the lab then runs the world on and grades
-- what it shows: every VM that matters running again and never paused after the fix, the
-- datastore not full again.
local answer = lab.submission("answer.lua", { simulate = false })

-- What the student's function may do.
local allow = { "VM:delete_snapshot", "VM:power_off", "VM:suspend", "VM:answer" }

-- One host on a datastore of `spec.capacity`. Each VM { name, memory, disk, provisioning }
-- is created and powered on; `spec.story(vms)` then makes them write (a snapshot, a
-- rewrite, new data) until the datastore fills. `tag` prefixes every name.
local function build(tag, spec)
  local ds = lab.datastore{ name = tag .. "ds01", capacity = spec.capacity, kind = "ssd" }
  local h = lab.host{ name = tag .. "esx01", cpus = 8, memory = "96 GiB", datastores = { ds } }
  local vms, list = {}, {}
  for _, v in ipairs(spec.vms) do
    local vm = h:create_vm{ name = tag .. v[1], memory = v[2], disks = { { size = v[3], provisioning = v[4] } } }
    vm:power_on()
    vms[v[1]], list[#list + 1] = vm, vm
  end
  spec.story(vms)
  return ds, vms, list
end

-- Hands the student's fix the stopped datacenter, then runs it on for ten minutes, minute
-- by minute, noting which VMs paused again and the least free space seen.
local function operate(ds, list, expendable)
  local log = lab.operate(answer.fix, { datastore = ds, vms = list, expendable = expendable }, { allow = allow })
  local seen = { paused = {}, least = ds.free }
  for _ = 1, 10 do
    lab.run_for("1 min")
    for _, vm in ipairs(list) do
      if vm.state == "paused" then seen.paused[vm] = true end
    end
    seen.least = math.min(seen.least, ds.free)
  end
  return log, seen
end

-- The outcome checks' bodies on one scenario (lab.lua and hidden/ give them their names).
local function outcomes(ds, list, expendable, log, seen)
  local b = {}
  local spare = {}
  for _, vm in ipairs(expendable) do spare[vm] = true end
  b.ran = function()
    lab.feedback("What your fix did:\n" .. log.text)
    expect(log.ok, "the fix ran to its end without an error"):to_be_true()
  end
  b.running = function()
    local running, needed = 0, 0
    for _, vm in ipairs(list) do
      if not spare[vm] then
        needed = needed + 1
        if vm.state == "on" and not seen.paused[vm] then
          running = running + 1
        else
          lab.feedback(("%s is %s%s; %s has %s free of %s"):format(vm.name, vm.state,
            seen.paused[vm] and " (it was paused during the ten minutes after your fix)" or "", ds.name,
            lab.format.bytes(ds.free), lab.format.bytes(ds.capacity)))
        end
      end
    end
    expect(running, "VMs that matter running through the ten minutes after your fix", "count"):to_equal(needed)
  end
  b.room = function()
    if seen.least < lab.bytes("1 GiB") then
      local files = {}
      for _, f in ipairs(ds.files) do
        if f.used >= lab.bytes("1 GiB") then files[#files + 1] = ("%s %s"):format(f.name, lab.format.bytes(f.used)) end
      end
      lab.feedback(("%s: least free %s of %s; its largest files: %s"):format(ds.name, lab.format.bytes(seen.least),
        lab.format.bytes(ds.capacity), table.concat(files, ", ")))
    end
    expect(seen.least >= lab.bytes("1 GiB"), "at least 1 GiB free at every minute after your fix"):to_be_true()
  end
  return b
end

-- The datacenter: web01 took a snapshot before a patch that rewrote its data; test01 is a
-- test VM nobody needs now; db01 is thick; web01 and app01 go on writing new data.
local ds, vms, list = build("", { capacity = "90 GiB", vms = {
  { "web01", "4 GiB", "40 GiB", "thin" }, { "test01", "16 GiB", "20 GiB", "thin" },
  { "db01", "8 GiB", "20 GiB", "thick-lazy" }, { "app01", "4 GiB", "40 GiB", "thin" } },
  story = function(v)
    v.web01:run(lab.workload.disk{ write = "15 GiB", rate = "1 GB/s" })
    lab.run_for("1 min")
    v.web01:snapshot("pre-patch")
    v.web01:run(lab.workload.disk{ write = "15 GiB", rate = "1 GB/s", rewrite = true })
    lab.run_for("1 min")
    v.test01:run(lab.workload.disk{ write = "8 GiB", rate = "1 GB/s" })
    v.db01:run(lab.workload.disk{ write = "200 GiB", rate = "20 MB/s", rewrite = true })
    lab.run_for("30 s")
    v.web01:run(lab.workload.disk{ write = "12 GiB", rate = "30 MB/s" })
    v.app01:run(lab.workload.disk{ write = "16 GiB", rate = "60 MB/s" })
    lab.run_for("5 min")
  end })
for _, vm in ipairs(list) do print(("before: %s %s"):format(vm.name, vm.state)) end
print(("before: %s free %s"):format(ds.name, lab.format.bytes(ds.free)))
local expendable = { vms.test01 }
local log, seen = operate(ds, list, expendable)
print(log.text)
local b = outcomes(ds, list, expendable, log, seen)
check("your fix ran", { points = 1, reveal = "value" }, b.ran)
check("every VM that matters runs again", { points = 3, reveal = "value" }, b.running)
check("the datastore never full again", { points = 1, reveal = "value" }, b.room)

return { build = build, operate = operate, outcomes = outcomes }
